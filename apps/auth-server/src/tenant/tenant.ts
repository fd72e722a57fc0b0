import {
  ConfigError,
  isOrigin,
  shown,
  type ConfigIssue,
  type ConfigWarning,
  type ParsedConfig,
} from '@sample/contract';
import * as z from 'zod/mini';
import { MANAGEMENT_API_PLACEHOLDER, MANAGEMENT_API_SCOPES } from '../management-api/management-api';

/** An API (Auth0: Applications > APIs): its identifier is the `audience` clients ask for and the tokens' `aud`. */
export interface TenantApi {
  readonly name: string;
  /** Absolute URI such as `https://api.example.com`; never changes once tokens are out. */
  readonly identifier: string;
  /** Permissions (scopes) the API defines, e.g. `read:messages`. */
  readonly scopes: readonly string[];
  /** Lifetime of access tokens issued for this API, in seconds. */
  readonly tokenLifetimeSeconds: number;
  /** Auth0's RBAC Settings of the API. */
  readonly rbac: TenantApiRbac;
  /**
   * The only scopes a user's token may get, whatever the roles (the built-in Management API: the current_user
   * scopes); undefined for the tenant file's APIs, where the RBAC Settings decide.
   */
  readonly userScopes?: readonly string[];
  /**
   * Auth0's sender constraining of the API ("Token Sender-Constraining"; Management API `proof_of_possession`):
   * undefined when not configured. Whatever it says, a token request with a valid DPoP proof gets a bound token.
   */
  readonly proofOfPossession?: TenantApiProofOfPossession;
}

/** Sender constraining of an API: only DPoP is supported here (Auth0 also offers mTLS). */
export interface TenantApiProofOfPossession {
  readonly mechanism: 'dpop';
  /** "Require Token Sender-Constraining": a token request for this API without a DPoP proof is refused. */
  readonly required: boolean;
}

/** Tenant-wide DPoP settings of the token endpoint. */
export interface TenantDpop {
  /**
   * Every DPoP proof at the token endpoint must carry a server nonce: the first request gets `use_dpop_nonce` and
   * a `DPoP-Nonce` header, and the client retries with it (auth0-spa-js does so once).
   */
  readonly requireNonce: boolean;
}

/**
 * Auth0's RBAC Settings of an API. With RBAC off, a user's token gets every scope the app asks for that the API
 * defines, whatever the user's roles, and no `permissions` claim.
 */
export interface TenantApiRbac {
  /** "Enable RBAC": `scope` holds only what the user's roles grant. */
  readonly enabled: boolean;
  /** "Add Permissions in the Access Token": the `permissions` claim (with RBAC on only). */
  readonly addPermissionsToAccessToken: boolean;
}

/** A single-page application: public client, authorization code + PKCE, no secret. */
export interface TenantSpaClient {
  readonly type: 'spa';
  readonly name: string;
  readonly clientId: string;
  /** Allowed Callback URLs: where the login may redirect back to (exact match). */
  readonly callbackUrls: readonly string[];
  /** Allowed Logout URLs: the `returnTo` values `/v2/logout` accepts (exact match). */
  readonly logoutUrls: readonly string[];
  /** Allowed Web Origins: browser origins allowed by CORS and by silent authentication. */
  readonly webOrigins: readonly string[];
}

/** A machine-to-machine application: client credentials, with the scopes it was granted per API. */
export interface TenantM2mClient {
  readonly type: 'm2m';
  readonly name: string;
  readonly clientId: string;
  /** A demo value committed in the tenant file; never a real secret. */
  readonly clientSecret: string;
  /** API identifier -> scopes this client may request for it (Auth0: the client grant). */
  readonly grants: Readonly<Record<string, readonly string[]>>;
}

export type TenantClient = TenantSpaClient | TenantM2mClient;

/** A role: API identifier -> permissions of that API it grants (Auth0 RBAC). */
export interface TenantRole {
  readonly name: string;
  readonly description: string | undefined;
  readonly permissions: Readonly<Record<string, readonly string[]>>;
}

/** A database user who can log in on the login page. */
export interface TenantUser {
  /** Stable id; the token `sub` is `auth0|<userId>`. Derived from the email when not given. */
  readonly userId: string | undefined;
  readonly email: string;
  /** A demo value committed in the tenant file; never a real password. */
  readonly password: string;
  readonly name: string;
  readonly picture: string | undefined;
  readonly roles: readonly string[];
}

/** The whole development tenant, as declared in the tenant file. */
export interface Tenant {
  /** List the demo users and their passwords on the login page (development convenience). */
  readonly demoUsersOnLoginPage: boolean;
  readonly dpop: TenantDpop;
  readonly apis: readonly TenantApi[];
  readonly clients: readonly TenantClient[];
  readonly roles: readonly TenantRole[];
  readonly users: readonly TenantUser[];
}

/** Longest access token lifetime Auth0 allows for an API: 30 days. */
const MAX_TOKEN_LIFETIME_SECONDS = 2_592_000;
/** RFC 6749 scope-token characters: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const USER_ID = /^[A-Za-z0-9._-]+$/;

const comment = { $comment: z.optional(z.string()) };

/** An absolute http(s) URL with a host and no fragment: what Auth0 accepts as a callback, logout or picture URL. */
function isHttpUrlWithoutFragment(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '' && !value.includes('#');
  } catch {
    return false;
  }
}

const nonEmpty = (example: string) =>
  z.string().check(z.trim(), z.minLength(1, { error: `must not be empty, e.g. ${shown(example)}` }));

const absoluteUrl = (example: string) =>
  z.string().check(
    z.refine(isHttpUrlWithoutFragment, {
      error: (issue) =>
        `must be an absolute http(s) URL without a fragment, like ${example} (got ${shown(issue.input)})`,
    }),
  );

const scope = z.string().check(
  z.regex(SCOPE_TOKEN, {
    error: (issue) => `must be a permission like "read:messages", with no spaces (got ${shown(issue.input)})`,
  }),
);

/** API identifier -> scopes, as used by roles and client grants; the identifiers are checked against `apis`. */
const scopesByApi = z.record(z.string(), z.array(scope));

const apiSchema = z.strictObject({
  ...comment,
  name: nonEmpty('Sample API'),
  identifier: z.string().check(
    z.refine((value: string) => URL.canParse(value) && !value.includes('#'), {
      error: (issue) =>
        `must be an absolute URI without a fragment, like "https://api.example.com" (got ${shown(issue.input)})`,
    }),
  ),
  scopes: z.array(scope),
  tokenLifetimeSeconds: z._default(
    z.int().check(
      z.minimum(1),
      z.maximum(MAX_TOKEN_LIFETIME_SECONDS, {
        error: `must be at most ${MAX_TOKEN_LIFETIME_SECONDS} seconds (30 days)`,
      }),
    ),
    86_400,
  ),
  rbac: z._default(
    z.strictObject({
      ...comment,
      enabled: z._default(z.boolean(), true),
      addPermissionsToAccessToken: z._default(z.boolean(), true),
    }),
    { enabled: true, addPermissionsToAccessToken: true },
  ),
  proofOfPossession: z.optional(
    z.strictObject({
      ...comment,
      mechanism: z.string().check(
        z.refine((value: string) => value === 'dpop', {
          error: (issue) =>
            issue.input === 'mtls'
              ? 'must be "dpop": mTLS sender constraining needs client certificates, which this development server does not support'
              : `must be "dpop" (got ${shown(issue.input)})`,
        }),
      ),
      required: z._default(z.boolean(), false),
    }),
  ),
});

const spaClientSchema = z.strictObject({
  ...comment,
  type: z.literal('spa'),
  name: nonEmpty('Sample SPA'),
  clientId: nonEmpty('sample-spa'),
  callbackUrls: z
    .array(absoluteUrl('http://localhost:4200'))
    .check(z.minLength(1, { error: 'must list at least one callback URL, like "http://localhost:4200"' })),
  logoutUrls: z._default(z.array(absoluteUrl('http://localhost:4200')), []),
  webOrigins: z._default(
    z.array(
      z.string().check(
        z.refine(isOrigin, {
          error: (issue) =>
            `must be an origin like "http://localhost:4200" (scheme, host and port; no path, no trailing slash) (got ${shown(issue.input)})`,
        }),
      ),
    ),
    [],
  ),
});

const m2mClientSchema = z.strictObject({
  ...comment,
  type: z.literal('m2m'),
  name: nonEmpty('Sample M2M'),
  clientId: nonEmpty('sample-m2m'),
  clientSecret: z.string().check(z.minLength(16, { error: 'must be at least 16 characters long' })),
  grants: z._default(scopesByApi, {}),
});

const clientSchema = z.discriminatedUnion('type', [spaClientSchema, m2mClientSchema], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `must be "spa" or "m2m" (got ${shown(isRecord(issue.input) ? issue.input['type'] : undefined)})`
      : undefined,
});

const roleSchema = z.strictObject({
  ...comment,
  name: nonEmpty('admin'),
  description: z.optional(z.string()),
  permissions: z._default(scopesByApi, {}),
});

const userSchema = z.strictObject({
  ...comment,
  userId: z.optional(
    z.string().check(
      z.regex(USER_ID, {
        error: (issue) => `must use letters, digits, ".", "_" or "-" only (got ${shown(issue.input)})`,
      }),
    ),
  ),
  email: z
    .string()
    .check(z.regex(EMAIL, { error: (issue) => `must be an email address (got ${shown(issue.input)})` })),
  password: z.string().check(z.minLength(1, { error: 'must not be empty (use a demo value)' })),
  name: z.optional(z.string().check(z.trim(), z.minLength(1))),
  picture: z.optional(absoluteUrl('https://example.com/avatar.png')),
  roles: z._default(z.array(z.string()), []),
});

type Report = (path: PropertyKey[], message: string) => void;
type Loose = Record<string, unknown>;

function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of an array field, each an object (non-objects become `{}`: their own issue is reported already). */
function entries(value: unknown): Loose[] {
  return Array.isArray(value) ? value.map((item) => (isRecord(item) ? item : {})) : [];
}

/** Calls `each` for the string items of an array field, with their original index. */
function forEachString(value: unknown, each: (item: string, index: number) => void): void {
  if (Array.isArray(value)) value.forEach((item, index) => typeof item === 'string' && each(item, index));
}

/**
 * Cross-references: unique ids, roles and client grants that name defined APIs and scopes, users that name
 * defined roles. Reads the input loosely, since it may still hold invalid fields.
 */
function checkReferences(input: unknown, report: Report): void {
  if (!isRecord(input)) return;
  const apis = entries(input['apis']);
  const clients = entries(input['clients']);
  const roles = entries(input['roles']);
  const users = entries(input['users']);

  const unique = (items: Loose[], section: string, field: string, what: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const value = item[field];
      if (typeof value !== 'string') return;
      const first = seen.get(value.toLowerCase());
      if (first === undefined) seen.set(value.toLowerCase(), index);
      else
        report(
          [section, index, field],
          `duplicate ${what} ${shown(value)} (already used at ${section}[${first}])`,
        );
    });
  };
  unique(apis, 'apis', 'identifier', 'API identifier');
  unique(clients, 'clients', 'clientId', 'client id');
  unique(roles, 'roles', 'name', 'role name');
  unique(users, 'users', 'email', 'email');

  const apiScopes = new Map<string, Set<string>>();
  for (const api of apis) {
    if (typeof api['identifier'] !== 'string') continue;
    const scopes = new Set<string>();
    forEachString(api['scopes'], (value) => scopes.add(value));
    apiScopes.set(api['identifier'], scopes);
  }
  const apiList = [...apiScopes.keys()].map((id) => shown(id)).join(', ') || 'none';
  const checkScopesByApi = (grants: unknown, path: PropertyKey[], managementApi: boolean) => {
    // Without an apis list there is nothing to check against; its absence is reported on its own.
    if (!isRecord(grants) || !Array.isArray(input['apis'])) return;
    for (const [identifier, scopes] of Object.entries(grants)) {
      if (identifier === MANAGEMENT_API_PLACEHOLDER && !managementApi) {
        report(
          [...path, identifier],
          `the Management API cannot be granted to roles: a user's token gets only the current_user scopes it asks for; grant "${MANAGEMENT_API_PLACEHOLDER}" to an M2M client instead`,
        );
        continue;
      }
      const defined =
        identifier === MANAGEMENT_API_PLACEHOLDER
          ? new Set(MANAGEMENT_API_SCOPES)
          : apiScopes.get(identifier);
      if (!defined) {
        report(
          [...path, identifier],
          `API ${shown(identifier)} is not defined in apis (defined: ${apiList}; the Management API is ${shown(MANAGEMENT_API_PLACEHOLDER)})`,
        );
        continue;
      }
      forEachString(scopes, (value, index) => {
        if (!defined.has(value)) {
          report(
            [...path, identifier, index],
            `permission ${shown(value)} is not defined by API ${shown(identifier)} (defined: ${[...defined].join(', ') || 'none'})`,
          );
        }
      });
    }
  };
  roles.forEach((role, i) => checkScopesByApi(role['permissions'], ['roles', i, 'permissions'], false));
  clients.forEach((client, i) => {
    if (client['type'] === 'm2m') checkScopesByApi(client['grants'], ['clients', i, 'grants'], true);
  });

  const roleNames = new Set(roles.map((role) => role['name']).filter((name) => typeof name === 'string'));
  const roleList = [...roleNames].map((name) => shown(name)).join(', ') || 'none';
  users.forEach((user, i) =>
    forEachString(user['roles'], (role, j) => {
      if (!roleNames.has(role)) {
        report(
          ['users', i, 'roles', j],
          `role ${shown(role)} is not defined in roles (defined: ${roleList})`,
        );
      }
    }),
  );
}

const tenantSchema = z.pipe(
  z
    .strictObject({
      ...comment,
      demoUsersOnLoginPage: z._default(z.boolean(), true),
      dpop: z._default(z.strictObject({ ...comment, requireNonce: z._default(z.boolean(), false) }), {
        requireNonce: false,
      }),
      apis: z.array(apiSchema),
      clients: z.array(clientSchema),
      roles: z._default(z.array(roleSchema), []),
      users: z._default(z.array(userSchema), []),
    })
    .check(
      // Runs even when some fields are invalid, so a bad URL and a misspelt role are reported together.
      z.superRefine(
        (tenant, ctx) =>
          checkReferences(tenant, (path, message) =>
            ctx.addIssue({ code: 'custom', input: tenant, path, message }),
          ),
        { when: () => true },
      ),
    ),
  z.transform((raw): Tenant => ({
    demoUsersOnLoginPage: raw.demoUsersOnLoginPage,
    dpop: { requireNonce: raw.dpop.requireNonce },
    apis: raw.apis.map(({ name, identifier, scopes, tokenLifetimeSeconds, rbac, proofOfPossession }) => ({
      name,
      identifier,
      scopes,
      tokenLifetimeSeconds,
      rbac: { enabled: rbac.enabled, addPermissionsToAccessToken: rbac.addPermissionsToAccessToken },
      ...(proofOfPossession && {
        proofOfPossession: { mechanism: 'dpop' as const, required: proofOfPossession.required },
      }),
    })),
    clients: raw.clients.map((client) =>
      client.type === 'spa'
        ? {
            type: 'spa',
            name: client.name,
            clientId: client.clientId,
            callbackUrls: client.callbackUrls,
            logoutUrls: client.logoutUrls,
            webOrigins: client.webOrigins,
          }
        : {
            type: 'm2m',
            name: client.name,
            clientId: client.clientId,
            clientSecret: client.clientSecret,
            grants: client.grants,
          },
    ),
    roles: raw.roles.map(({ name, description, permissions }) => ({ name, description, permissions })),
    users: raw.users.map((user) => ({
      userId: user.userId,
      email: user.email,
      password: user.password,
      name: user.name ?? user.email,
      picture: user.picture,
      roles: user.roles,
    })),
  })),
);

/** `['clients', 0, 'callbackUrls', 1]` -> `clients[0].callbackUrls[1]`; keys that are not names are quoted. */
function formatTenantPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    const name = String(part);
    if (/^[A-Za-z_$][\w$]*$/.test(name)) return out === '' ? name : `${out}.${name}`;
    return `${out}[${JSON.stringify(name)}]`;
  }, '');
}

/** Messages for zod's built-in checks, in the same "must be ... (got ...)" voice as the schema's own. */
function genericMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `must be ${article(issue.expected)} (got ${shown(issue.input)})`;
    case 'invalid_value':
      return `must be ${issue.values.map((value) => shown(value)).join(' or ')} (got ${shown(issue.input)})`;
    case 'too_small':
      return issue.origin === 'number'
        ? `must be at least ${issue.minimum} (got ${shown(issue.input)})`
        : issue.origin === 'array'
          ? `must list at least ${issue.minimum} value${issue.minimum === 1 ? '' : 's'}`
          : 'must not be empty';
    case 'too_big':
      return `must be at most ${issue.maximum} (got ${shown(issue.input)})`;
    default:
      return undefined;
  }
}

function article(expected: string): string {
  return expected === 'array' || expected === 'object' ? `an ${expected}` : `a ${expected}`;
}

function toConfigIssues(issue: z.core.$ZodIssue): ConfigIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const where = formatTenantPath([...issue.path, key]);
      return { key: where, message: `${where}: unknown field (check its spelling)` };
    });
  }
  const where = formatTenantPath(issue.path) || '(file)';
  return [{ key: where, message: `${where}: ${issue.message}` }];
}

/** Likely mistakes that still let the server start. */
function tenantWarnings(tenant: Tenant): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  tenant.clients.forEach((client, i) => {
    if (client.type !== 'spa') return;
    for (const [field, urls] of [
      ['callbackUrls', client.callbackUrls],
      ['webOrigins', client.webOrigins],
    ] as const) {
      urls.forEach((url, j) => {
        if (new URL(url).hostname === '127.0.0.1') {
          warnings.push({
            key: `clients[${i}].${field}[${j}]`,
            message: `clients[${i}].${field}[${j}] ${shown(url)} uses 127.0.0.1: serve the app on localhost, or the session cookie is cross-site and silent authentication fails.`,
          });
        }
      });
    }
  });
  return warnings;
}

/**
 * Validates a parsed tenant file: every field, and every cross-reference (roles and client grants name
 * defined APIs and their scopes, users name defined roles; ids are unique).
 * @param json The file's content, already parsed from JSON.
 * @param source What is being read, for the error title, e.g. `Tenant file apps/auth-server/tenant.json`.
 * @throws ConfigError listing every problem at once, each naming the path, the field and the bad value.
 * @example const { config: tenant } = parseTenant(JSON.parse(text), `Tenant file ${path}`);
 */
export function parseTenant(json: unknown, source = 'Tenant file'): ParsedConfig<Tenant> {
  const result = tenantSchema.safeParse(json, { error: genericMessage });
  if (!result.success) {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new ConfigError(source, [
        {
          key: '(file)',
          message: `(file): the file must contain a JSON object with apis, clients, roles and users (got ${shown(json)})`,
        },
      ]);
    }
    throw new ConfigError(source, result.error.issues.flatMap(toConfigIssues));
  }
  return { config: result.data, warnings: tenantWarnings(result.data) };
}
