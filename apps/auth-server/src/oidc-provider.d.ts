// oidc-provider ships no type declarations. These cover only what this app uses (see the library's
// docs/README.md for the full configuration); @types/oidc-provider lags behind the 9.x minors.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type Awaitable<T> = T | Promise<T>;

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    client_name?: string;
    application_type?: 'web' | 'native';
    token_endpoint_auth_method?: 'none' | 'client_secret_basic' | 'client_secret_post';
    grant_types?: string[];
    response_types?: string[];
    redirect_uris?: string[];
    post_logout_redirect_uris?: string[];
  }

  export interface Client {
    readonly clientId: string;
    readonly clientAuthMethod: string;
    grantTypeAllowed(grantType: string): boolean;
  }

  export interface ResourceServerInfo {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg: string } };
  }

  export interface ResourceServer {
    readonly audience?: string;
    readonly scope: string;
    readonly scopes: Set<string>;
    readonly accessTokenTTL?: number;
    identifier(): string;
  }

  /** Access tokens (user) and client credentials tokens, as extraTokenClaims and the JWT customizer see them. */
  export interface IssuedAccessToken {
    readonly kind: 'AccessToken' | 'ClientCredentials';
    readonly jti: string;
    readonly clientId: string;
    readonly accountId?: string;
    readonly scope?: string;
    readonly resourceServer?: ResourceServer;
  }

  export interface ScopedArtifact {
    readonly scopes: Set<string>;
  }

  export interface Grant {
    readonly jti: string;
    readonly accountId?: string;
    readonly clientId?: string;
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    rejectResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface GrantStatic {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface Session {
    readonly accountId?: string;
    grantIdFor(clientId: string): string | undefined;
  }

  export interface OIDCContext {
    readonly route: string;
    readonly issuer: string;
    readonly params?: Record<string, unknown>;
    readonly body?: Record<string, unknown>;
    readonly client?: Client;
    readonly session?: Session;
    readonly account?: { readonly accountId: string };
    readonly result?: { readonly login?: { readonly accountId: string } };
    readonly resourceServers: Record<string, ResourceServer>;
    readonly entities: {
      readonly AuthorizationCode?: ScopedArtifact;
      readonly RefreshToken?: ScopedArtifact;
      readonly DeviceCode?: ScopedArtifact;
      readonly RotatedRefreshToken?: { readonly remainingTTL: number };
    };
    readonly provider: Provider;
  }

  /** The Koa context oidc-provider passes to configuration helpers. */
  export interface KoaContextWithOIDC {
    readonly oidc: OIDCContext;
    readonly method: string;
    /** A request header's value, `''` when absent (Koa's `ctx.get`). */
    get(field: string): string;
    readonly host: string;
    readonly query: Record<string, string | string[] | undefined>;
    type: string;
    body: unknown;
    status: number;
    set(field: string, value: string): void;
  }

  /** The Koa context a `provider.use()` middleware sees; `oidc` exists once a route matched. */
  export interface KoaContext {
    readonly oidc?: OIDCContext;
    body: unknown;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Awaitable<Record<string, unknown> & { sub: string }>;
  }

  export interface JwtStructure {
    header?: Record<string, unknown>;
    payload: Record<string, unknown>;
  }

  export interface JWKS {
    keys: Record<string, unknown>[];
  }

  export interface Interaction {
    readonly uid: string;
    readonly prompt: { readonly name: string; readonly reasons: string[] };
    readonly params: Record<string, unknown>;
  }

  export interface InteractionResults {
    login?: { accountId: string; remember?: boolean };
    error?: string;
    error_description?: string;
  }

  export interface ErrorOut {
    error: string;
    error_description?: string;
  }

  /** What oidc-provider stores per artifact (sessions, codes, tokens, grants...). */
  export interface AdapterPayload {
    [key: string]: unknown;
    uid?: string;
    userCode?: string;
    grantId?: string;
    consumed?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface Configuration {
    adapter?: new (model: string) => Adapter;
    clients?: ClientMetadata[];
    jwks?: JWKS;
    cookies?: { keys?: string[] };
    claims?: Record<string, string[] | null>;
    scopes?: string[];
    responseTypes?: string[];
    clientAuthMethods?: string[];
    conformIdTokenClaims?: boolean;
    extraParams?: Record<
      string,
      ((ctx: KoaContextWithOIDC, value: unknown, client: Client) => Awaitable<void>) | null
    >;
    routes?: Record<string, string>;
    findAccount?: (ctx: KoaContextWithOIDC, sub: string) => Awaitable<Account | undefined>;
    loadExistingGrant?: (ctx: KoaContextWithOIDC) => Awaitable<Grant | undefined>;
    extraTokenClaims?: (
      ctx: KoaContextWithOIDC,
      token: IssuedAccessToken,
    ) => Awaitable<Record<string, unknown> | undefined>;
    formats?: {
      customizers?: {
        jwt?: (ctx: KoaContextWithOIDC, token: IssuedAccessToken, jwt: JwtStructure) => Awaitable<void>;
      };
    };
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: Client) => boolean;
    pkce?: { required?: (ctx: KoaContextWithOIDC, client: Client) => boolean };
    interactions?: { url?: (ctx: KoaContextWithOIDC, interaction: Interaction) => Awaitable<string> };
    renderError?: (ctx: KoaContextWithOIDC, out: ErrorOut, error: Error) => Awaitable<void>;
    rotateRefreshToken?: boolean | ((ctx: KoaContextWithOIDC) => boolean);
    ttl?: Record<
      string,
      number | ((ctx: KoaContextWithOIDC | undefined, token: IssuedAccessToken, client: Client) => number)
    >;
    features?: {
      devInteractions?: { enabled: boolean };
      clientCredentials?: { enabled: boolean };
      revocation?: {
        enabled: boolean;
        allowedPolicy?: (
          ctx: KoaContextWithOIDC,
          client: Client,
          token: { readonly clientId?: string },
        ) => Awaitable<boolean>;
      };
      introspection?: { enabled: boolean };
      userinfo?: { enabled: boolean };
      dPoP?: {
        enabled: boolean;
        /** 32 bytes; server nonces (DPoP-Nonce) are issued and accepted only with it. */
        nonceSecret?: Buffer;
        requireNonce?: (ctx: KoaContextWithOIDC) => boolean;
        /** false: a proof's `jti` is accepted once per client. */
        allowReplay?: boolean;
      };
      pushedAuthorizationRequests?: { enabled: boolean };
      webMessageResponseMode?: { enabled: boolean; ack?: string };
      rpInitiatedLogout?: {
        enabled: boolean;
        logoutSource?: (ctx: KoaContextWithOIDC, form: string) => Awaitable<void>;
        postLogoutSuccessSource?: (ctx: KoaContextWithOIDC) => Awaitable<void>;
      };
      resourceIndicators?: {
        enabled: boolean;
        defaultResource?: (
          ctx: KoaContextWithOIDC,
          client: Client,
          oneOf?: string[],
        ) => Awaitable<string | string[] | undefined>;
        useGrantedResource?: (ctx: KoaContextWithOIDC, model: unknown) => Awaitable<boolean>;
        getResourceServerInfo?: (
          ctx: KoaContextWithOIDC,
          resourceIndicator: string,
          client: Client,
        ) => Awaitable<ResourceServerInfo>;
      };
    };
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Grant: GrantStatic;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    /** Adds a Koa middleware that runs around oidc-provider's routes. */
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): this;
  }

  type OIDCErrorClass = new (
    description?: string,
    detail?: string,
  ) => Error & {
    readonly error: string;
    readonly error_description?: string;
    readonly status: number;
  };

  export const errors: {
    readonly AccessDenied: OIDCErrorClass;
    readonly InvalidRequest: OIDCErrorClass;
    readonly InvalidScope: new (description: string, scope: string) => Error;
    readonly InvalidTarget: OIDCErrorClass;
    readonly SessionNotFound: OIDCErrorClass;
  };
}
