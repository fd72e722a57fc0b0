import { randomBytes } from 'node:crypto';
import { Provider, type ClientMetadata, type Configuration } from 'oidc-provider';
import type { Tenant, TenantClient } from './tenant/tenant';
import type { Accounts } from './accounts/accounts';
import { CLAIMS_BY_SCOPE } from './accounts/claims';
import { alignTokenResponseScope, createAccessTokenShape } from './auth0/access-token';
import { createAudienceResolver } from './auth0/audience';
import { END_SESSION_PATH, loggedOutPage, submitLogoutForm } from './auth0/logout';
import { keepOfflineAccess } from './auth0/offline-access';
import { createRoleBasedGrantLoader } from './auth0/rbac';
import { TOKEN_PATH } from './auth0/token-request';
import { USERINFO_PATH } from './auth0/userinfo';
import { loginUrl } from './interactions/login';
import { MANAGEMENT_API_TOKEN_LIFETIME_SECONDS } from './management-api/management-api';
import type { SigningKey } from './keys/signing-keys';
import { errorPage } from './pages/error-page';
import { pageHeaders } from './pages/html';
import { createMemoryAdapter } from './storage/memory-adapter';
import type { TenantDirectory } from './tenant/directory';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** ID tokens live 10 hours, Auth0's default. */
export const ID_TOKEN_TTL_SECONDS = 10 * HOUR;

/**
 * The longest a token this server signs stays valid: ID tokens, and access tokens of the tenant's APIs and the
 * built-in Management API (opaque
 * tokens are not signed). A key that stopped signing is published that long, then retired.
 */
export function longestTokenLifetimeSeconds(tenant: Tenant): number {
  return Math.max(
    ID_TOKEN_TTL_SECONDS,
    MANAGEMENT_API_TOKEN_LIFETIME_SECONDS,
    ...tenant.apis.map((api) => api.tokenLifetimeSeconds),
  );
}

/** Tenant clients as oidc-provider client metadata. */
function clientMetadata(client: TenantClient): ClientMetadata {
  if (client.type === 'spa') {
    return {
      client_id: client.clientId,
      client_name: client.name,
      application_type: 'web',
      // A public client: no secret, so PKCE is required (oidc-provider's default for `none`).
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [...client.callbackUrls],
      post_logout_redirect_uris: [...client.logoutUrls],
    };
  }
  return {
    client_id: client.clientId,
    client_name: client.name,
    client_secret: client.clientSecret,
    // Auth0's default for machine-to-machine applications.
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  };
}

export interface ProviderDependencies {
  readonly issuer: string;
  /** Epoch milliseconds, the in-memory store's clock. */
  readonly now?: () => number;
  readonly keys: readonly SigningKey[];
  readonly accounts: Accounts;
  readonly directory: TenantDirectory;
  /** 32 bytes the token endpoint's DPoP nonces derive from (keys/dpop-nonce-secret.ts). */
  readonly dpopNonceSecret: Buffer;
}

/** oidc-provider configured to behave like an Auth0 tenant (see README for the differences that remain). */
export function createProvider({
  issuer,
  now,
  keys,
  accounts,
  directory,
  dpopNonceSecret,
}: ProviderDependencies): Provider {
  const audience = createAudienceResolver(directory);
  const accessToken = createAccessTokenShape(accounts, directory, new URL('userinfo', issuer).href);

  const configuration: Configuration = {
    adapter: createMemoryAdapter({ ...(now && { now }) }),
    clients: directory.tenant.clients.map(clientMetadata),
    jwks: { keys: keys.map((key) => ({ ...key })) },
    // Sessions live in memory, so do the keys that sign their cookies: a restart logs everyone out.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: Object.fromEntries(
      Object.entries(CLAIMS_BY_SCOPE).map(([scope, claims]) => [scope, [...claims]]),
    ),
    // Like Auth0, put the profile claims of the granted scopes into the ID token too.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'client_secret_post', 'client_secret_basic'],
    // Auth0's `audience`; `scope` is listed only to run keepOfflineAccess after oidc-provider's scope checks.
    extraParams: { audience: null, scope: keepOfflineAccess },
    routes: {
      authorization: '/authorize',
      token: TOKEN_PATH,
      userinfo: USERINFO_PATH,
      jwks: '/.well-known/jwks.json',
      revocation: '/oauth/revoke',
      end_session: END_SESSION_PATH,
    },
    findAccount: accounts.findAccount,
    loadExistingGrant: createRoleBasedGrantLoader(accounts, directory),
    extraTokenClaims: accessToken.extraTokenClaims,
    formats: { customizers: { jwt: accessToken.customizeJwt } },
    // CORS only from the SPA's Allowed Web Origins.
    clientBasedCORS: (_ctx, origin, client) =>
      directory.spaClient(client.clientId)?.webOrigins.includes(origin) ?? false,
    interactions: { url: loginUrl },
    renderError: (ctx, out) => {
      for (const [name, value] of Object.entries(pageHeaders())) ctx.set(name, value);
      ctx.type = 'html';
      ctx.body = errorPage(out.error, out.error_description);
    },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 2 * HOUR,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? DAY,
      AuthorizationCode: MINUTE,
      IdToken: ID_TOKEN_TTL_SECONDS,
      Interaction: HOUR,
      Session: 3 * DAY,
      Grant: 30 * DAY,
      // Rotation keeps the first token's expiry: an absolute lifetime of 30 days, as on Auth0.
      RefreshToken: (ctx) => ctx?.oidc.entities.RotatedRefreshToken?.remainingTTL ?? 30 * DAY,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // A client revokes its own tokens only (auth0-spa-js revokes its refresh tokens on logout if asked).
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: { enabled: false },
      // RFC 9449: a token request with a valid DPoP proof gets tokens bound to its key (`cnf.jkt`, token_type
      // DPoP; a public client's refresh token too); APIs that require it are enforced in auth0/audience.ts.
      dPoP: {
        enabled: true,
        // Nonces are always issued (DPoP-Nonce) and accepted; the tenant decides whether they are required.
        nonceSecret: dpopNonceSecret,
        requireNonce: () => directory.tenant.dpop.requireNonce,
        allowReplay: false,
      },
      pushedAuthorizationRequests: { enabled: false },
      // Silent authentication in a hidden iframe (auth0-spa-js getTokenSilently without refresh tokens).
      webMessageResponseMode: { enabled: true, ack: 'individual-draft-01' },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: submitLogoutForm,
        postLogoutSuccessSource: loggedOutPage,
      },
      resourceIndicators: { enabled: true, ...audience },
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.use(alignTokenResponseScope);
  return provider;
}
