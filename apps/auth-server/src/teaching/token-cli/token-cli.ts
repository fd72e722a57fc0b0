import { decodeJwt } from 'jose';
import {
  ALL_PERMISSIONS,
  CURRENT_USER_SCOPES,
  ConfigError,
  LOCAL_TENANT,
  isLocalHost,
  issuerBase,
  managementApiAudience,
} from '@sample/contract';
import { generateDpopKey, signDpopProof } from '@sample/dpop';
import { parseCliArgs } from '@sample/teaching/cli';
import { subjectOf } from '../../accounts/accounts';
import { parseSettings } from '../../config/settings';
import { m2mSecretFromSettings } from '../../config/tenant-overrides';
import { loadTenant } from '../../tenant/load-tenant';
import type { Tenant } from '../../tenant/tenant';
import { API_DOCS_PATH, ApiRoutesError, fetchApiRoutes, type ApiRoute } from './api-routes';
import { TokenCliError, clientCredentialsToken, userToken, type IssuedToken } from './get-token';

/** Where the CLI writes: stdout for the token and curl lines, stderr for errors. */
export interface TokenCliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** What the SPA requests by default (its config.json may say otherwise): OIDC scopes plus every API permission. */
const SPA_SCOPE = ['openid', 'profile', 'email', ...ALL_PERMISSIONS].join(' ');

const [READ_CURRENT_USER, UPDATE_CURRENT_USER_METADATA] = CURRENT_USER_SCOPES;

/** What a user asks the Management API for by default: read and edit their own user_metadata, as the SPA does. */
const MANAGEMENT_USER_SCOPE = [
  'openid',
  'profile',
  'email',
  READ_CURRENT_USER,
  UPDATE_CURRENT_USER_METADATA,
].join(' ');

/** The change the PATCH curl line makes: a key the sample's Profile page edits (`null` would delete it). */
const PATCH_BODY = JSON.stringify({ user_metadata: { theme: 'dark' } });

const USAGE = `Usage: npm run token -- (--user EMAIL | --client m2m|CLIENT_ID) [options]
Prints an access token for the API and a curl line for each API route, read from the API's OpenAPI
document (GET <api-url>${API_DOCS_PATH}); without a running API, the token alone. With --management-api,
a token for the Management API (<issuer>api/v2/) and curl lines for its users endpoint.

  --user EMAIL           a demo user of the local auth server: logs in through its login page over HTTP
                         (code + PKCE, as the SPA does), so the token carries that user's permissions
  --password PASSWORD    the user's password (default: the one in the tenant file)
  --client m2m|ID        a machine-to-machine client: client credentials ("m2m": the tenant file's M2M client)
  --client-secret SECRET its secret (default: AUTH_SERVER_M2M_CLIENT_SECRET or the file named by
                         AUTH_SERVER_M2M_CLIENT_SECRET_FILE, else the tenant file's); with --issuer, any
                         Auth0 M2M application
  --issuer URL           default: AUTH_SERVER_ISSUER or ${LOCAL_TENANT.issuer}
  --audience ID          the API identifier (default: ${LOCAL_TENANT.apiAudience})
  --management-api       the Management API instead (audience <issuer>api/v2/), with curl lines for
                         GET and PATCH <issuer>api/v2/users/<id>: for --user the current_user scopes
                         only, whatever else is asked for; for --client its grant (read:users ...)
  --user-id ID           with --client --management-api: the user the curl lines read and change
                         (default: the tenant file's first user)
  --scope SCOPE          default for --user: "${SPA_SCOPE}",
                         with --management-api "${MANAGEMENT_USER_SCOPE}";
                         for --client: all it is granted
  --api-url URL          the API the curl lines call and whose routes are read (default: ${LOCAL_TENANT.apiUrl})
  --dpop                 a DPoP-bound token (RFC 9449): a fresh ES256 key, a proof with the token request,
                         and curl lines with "Authorization: DPoP" and a proof each (single use, short-lived)
  --token-only           print the access token alone (TOKEN=$(npm run -s token -- --user ... --token-only))
  -h, --help             this text`;

/** What the API will answer a route with this token, from what it grants (see formatToken). */
function expectation(route: ApiRoute, granted: ReadonlySet<string>): string {
  if (route.public) return 'expect 200 (public)';
  const missing = route.permissions.filter((permission) => !granted.has(permission));
  return missing.length === 0
    ? 'expect 200'
    : `expect 403 insufficient_permission: the token lacks ${missing.join(', ')}`;
}

/** The key thumbprint a DPoP-bound token carries (`cnf.jkt`), if any. */
function boundKeyOf(accessToken: string): string | undefined {
  const cnf = decodeJwt(accessToken)['cnf'];
  const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>)['jkt'] : undefined;
  return typeof jkt === 'string' ? jkt : undefined;
}

/** What the report says about DPoP: the key a bound token carries, or that a proof was ignored; nothing otherwise. */
function dpopNote(accessToken: string, askedForDpop: boolean): string[] {
  const jkt = boundKeyOf(accessToken);
  if (jkt !== undefined) {
    return [
      `# DPoP-bound to the key with thumbprint ${jkt} (cnf.jkt); the key lived in this process only.`,
      '# Each curl line carries its own proof for its method and URL: it works once, and only within the',
      "# API's proof lifetime (iat window, about a minute): run it now, or run this again for fresh proofs.",
      '',
    ];
  }
  return askedForDpop
    ? [
        '# Asked for DPoP, got a Bearer token: the server ignored the proof (on Auth0, turn on DPoP for the API).',
        '',
      ]
    : [];
}

/** Scopes asked for (OIDC scopes aside) that the granted `scope` leaves out: Auth0 drops them without an error. */
export function leftOutScopes(asked: string | undefined, granted: string): string[] {
  const grantedSet = new Set(granted.split(' '));
  return (asked ?? '').split(' ').filter((scope) => scope.includes(':') && !grantedSet.has(scope));
}

/** What the token is, the scopes left out of it (and why, for the Management API), and the `TOKEN=` line. */
function describeToken(
  subject: string,
  issuer: string,
  token: IssuedToken,
  asked: string | undefined,
): string[] {
  const claims = decodeJwt(token.accessToken);
  const permissions = Array.isArray(claims['permissions']) ? (claims['permissions'] as string[]) : [];
  const scope = typeof claims['scope'] === 'string' ? claims['scope'] : '';
  const leftOut = leftOutScopes(asked, scope);
  const userOnManagementApi =
    claims['gty'] !== 'client-credentials' && audiencesOf(claims.aud).includes(managementApiAudience(issuer));
  return [
    `# Access token for ${subject} from ${issuer}`,
    `#   aud ${JSON.stringify(claims.aud)}, scope ${JSON.stringify(scope)}, permissions ${JSON.stringify(permissions)}` +
      (token.expiresIn !== undefined ? `, expires in ${token.expiresIn} s` : ''),
    ...(leftOut.length === 0
      ? []
      : [
          `#   asked for but left out of the granted scope, without an error: ${leftOut.join(', ')}`,
          ...(userOnManagementApi
            ? [
                "#   (a user's token for the Management API carries current_user scopes only, for that user alone; " +
                  'a backend gets more with client credentials: --client m2m --management-api)',
              ]
            : []),
        ]),
    `TOKEN=${token.accessToken}`,
    '',
  ];
}

function audiencesOf(aud: string | string[] | undefined): string[] {
  return aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
}

/**
 * The report: what the token is, a `TOKEN=` line to paste into a POSIX shell, and one curl line per API route
 * with the answer to expect; when the routes could not be read, a one-line note instead of the curl lines.
 * @param asked The scope requested, when one was: scopes the token leaves out are listed.
 */
export function formatToken(
  subject: string,
  issuer: string,
  apiUrl: string,
  token: IssuedToken,
  routes: readonly ApiRoute[] | ApiRoutesError,
  asked?: string,
  proofs?: ReadonlyMap<ApiRoute, string>,
): string[] {
  const claims = decodeJwt(token.accessToken);
  const permissions = Array.isArray(claims['permissions']) ? (claims['permissions'] as string[]) : [];
  const scope = typeof claims['scope'] === 'string' ? claims['scope'] : '';
  // The API authorizes users by `permissions` only; a client-credentials token by its scope (its client grant) too.
  const byScope = claims['gty'] === 'client-credentials' ? scope.split(' ').filter(Boolean) : [];
  const granted = new Set([...permissions, ...byScope]);
  const api = apiUrl.replace(/\/+$/, '');
  const jkt = boundKeyOf(token.accessToken);
  const head = [
    ...describeToken(subject, issuer, token, asked),
    ...dpopNote(token.accessToken, proofs !== undefined),
  ];
  if (routes instanceof ApiRoutesError) {
    return [
      ...head,
      `# No curl lines: ${routes.message}. Start the API (npm start) or pass --api-url, then run this again.`,
    ];
  }
  return [
    ...head,
    `# Call the API at ${api} (sh, bash, zsh: paste the TOKEN= line first):`,
    ...routes.map((route) => {
      const method = route.method === 'GET' ? '' : `-X ${route.method} `;
      const proof = jkt !== undefined ? proofs?.get(route) : undefined;
      const auth = route.public
        ? ''
        : proof !== undefined
          ? `-H "Authorization: DPoP $TOKEN" -H "DPoP: ${proof}" `
          : '-H "Authorization: Bearer $TOKEN" ';
      // An empty JSON object: a change of nothing where every field is optional (put yours in -d).
      const body = route.jsonBody ? `-H 'content-type: application/json' -d '{}' ` : '';
      return `curl -i ${method}${auth}${body}${api}${route.path}   # ${expectation(route, granted)}`;
    }),
  ];
}

/**
 * The report for a Management API token: what it is, and curl lines for `GET` and `PATCH <issuer>api/v2/users/<id>`
 * with the answer to expect from its scope (a user's own record needs the current_user scopes, any other
 * `read:users` / `update:users`).
 * @param userId The user the curl lines read and change (the token's own `sub` for a user), or null for none.
 * @param proofs With --dpop: a DPoP proof for each curl line, by method.
 */
export function formatManagementToken(
  subject: string,
  issuer: string,
  token: IssuedToken,
  userId: string | null,
  asked?: string,
  proofs?: Readonly<Record<'GET' | 'PATCH', string>>,
): string[] {
  const claims = decodeJwt(token.accessToken);
  const scope = new Set(typeof claims['scope'] === 'string' ? claims['scope'].split(' ') : []);
  const head = [
    ...describeToken(subject, issuer, token, asked),
    ...dpopNote(token.accessToken, proofs !== undefined),
  ];
  const base = managementApiAudience(issuer);
  if (userId === null) {
    return [
      ...head,
      '# No curl lines: pass --user-id <user id> (e.g. auth0|...) for the user to read and change.',
    ];
  }
  const own = claims.sub === userId;
  const expect = (anyOf: string[]) => {
    const needed = anyOf.filter((needed) => own || !needed.includes('current_user'));
    return needed.some((needed) => scope.has(needed))
      ? 'expect 200'
      : `expect 403 insufficient_scope: the token lacks ${needed.join(' or ')}`;
  };
  const url = managementUserUrl(issuer, userId);
  const bound = boundKeyOf(token.accessToken) !== undefined;
  const auth = (method: 'GET' | 'PATCH') =>
    bound && proofs
      ? `-H "Authorization: DPoP $TOKEN" -H "DPoP: ${proofs[method]}"`
      : '-H "Authorization: Bearer $TOKEN"';
  return [
    ...head,
    `# Call the Management API at ${base} for user ${userId} (sh, bash, zsh: paste the TOKEN= line first):`,
    `curl -i ${auth('GET')} ${url}   # ${expect(['read:users', READ_CURRENT_USER])}`,
    `curl -i -X PATCH ${auth('PATCH')} -H 'content-type: application/json' -d '${PATCH_BODY}' ${url}   # ${expect(['update:users', UPDATE_CURRENT_USER_METADATA])}`,
  ];
}

/** The Management API URL of one user, as the curl lines (and their proofs' `htu`) name it. */
function managementUserUrl(issuer: string, userId: string): string {
  return `${managementApiAudience(issuer)}users/${encodeURIComponent(userId)}`;
}

function m2mClient(tenant: Tenant, name: string) {
  const m2m = tenant.clients.filter((client) => client.type === 'm2m');
  return name === 'm2m' ? m2m[0] : m2m.find((client) => client.clientId === name);
}

/**
 * The token CLI: `npm run token -- --user reader@example.com` or `--client m2m`.
 * @returns the exit code: 0, 1 when no token could be had (the reason printed), 2 for bad arguments.
 */
export async function runTokenCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: TokenCliIo,
): Promise<number> {
  const args = parseCliArgs(
    argv,
    {
      user: { type: 'string' },
      password: { type: 'string' },
      client: { type: 'string' },
      'client-secret': { type: 'string' },
      issuer: { type: 'string' },
      audience: { type: 'string' },
      'management-api': { type: 'boolean', default: false },
      'user-id': { type: 'string' },
      scope: { type: 'string' },
      'api-url': { type: 'string' },
      'token-only': { type: 'boolean', default: false },
      dpop: { type: 'boolean', default: false },
    },
    USAGE,
    io,
  );
  if (typeof args === 'number') return args;
  if ((args.user === undefined) === (args.client === undefined)) {
    io.err(`Give either --user EMAIL or --client m2m.\n\n${USAGE}`);
    return 2;
  }
  const management = args['management-api'];
  if (management && args.audience !== undefined) {
    io.err(
      `Give --audience or --management-api, not both: the Management API's audience is <issuer>api/v2/.\n\n${USAGE}`,
    );
    return 2;
  }
  if (args.dpop && args['token-only']) {
    io.err(
      `--dpop goes without --token-only: a bound token is worth nothing without its key, which lives in this process only.\n\n${USAGE}`,
    );
    return 2;
  }
  if (args['user-id'] !== undefined && !(management && args.client !== undefined)) {
    io.err(
      `--user-id goes with --client and --management-api (a user's token acts on that user only).\n\n${USAGE}`,
    );
    return 2;
  }

  try {
    const settings = parseSettings(env).config;
    const issuer = issuerBase(args.issuer ?? settings.issuer);
    const audience = management ? managementApiAudience(issuer) : (args.audience ?? LOCAL_TENANT.apiAudience);
    const local = isLocalHost(new URL(issuer).hostname);
    const tenant = async () => (await loadTenant(settings.tenantFile)).config;
    let subject: string;
    let token: IssuedToken;
    let asked = args.scope;
    // A fresh key per run, as the SPA's would be per browser; the private key never leaves this process.
    const dpop = args.dpop ? await generateDpopKey() : undefined;

    if (args.user !== undefined) {
      if (!local) {
        throw new TokenCliError(
          `--user logs in through the local auth server's login page; ${issuer} is not local. For a real tenant, ` +
            'log in with the SPA and copy the access token from its Token inspector, or use --client with a ' +
            'machine-to-machine application (client credentials).',
        );
      }
      const config = await tenant();
      const spa = config.clients.find((client) => client.type === 'spa');
      const user = config.users.find((candidate) => candidate.email === args.user);
      const password = args.password ?? user?.password;
      if (!spa?.callbackUrls[0])
        throw new TokenCliError('The tenant file has no SPA client with a callback URL.');
      if (password === undefined) {
        throw new TokenCliError(
          `No user ${args.user} in ${settings.tenantFile}; demo users: ${config.users.map((u) => u.email).join(', ')}.`,
        );
      }
      subject = args.user;
      asked ??= management ? MANAGEMENT_USER_SCOPE : SPA_SCOPE;
      token = await userToken({
        issuer,
        clientId: spa.clientId,
        redirectUri: spa.callbackUrls[0],
        email: args.user,
        password,
        audience,
        scope: asked,
        ...(dpop && { dpop }),
      });
    } else {
      const name = args.client ?? 'm2m';
      let secret = args['client-secret'];
      let clientId = name;
      if (secret === undefined) {
        const config = local ? await tenant() : undefined;
        const client = config ? m2mClient(config, name) : undefined;
        if (client === undefined) {
          throw new TokenCliError(
            local
              ? `No machine-to-machine client ${JSON.stringify(name)} in ${settings.tenantFile}; use --client m2m, or pass --client-secret.`
              : `Pass --client-secret for ${JSON.stringify(name)}: the secret of your Auth0 machine-to-machine application.`,
          );
        }
        clientId = client.clientId;
        // The server replaces the secret of the tenant's one M2M client with the settings' (compose does).
        const single = config?.clients.filter((candidate) => candidate.type === 'm2m').length === 1;
        secret =
          (single ? await m2mSecretFromSettings(settings, { create: false }) : undefined) ??
          client.clientSecret;
      }
      subject = `client ${clientId}`;
      token = await clientCredentialsToken({
        issuer,
        clientId,
        clientSecret: secret,
        audience,
        ...(args.scope !== undefined && { scope: args.scope }),
        ...(dpop && { dpop }),
      });
    }

    if (args['token-only']) {
      io.out(token.accessToken);
      return 0;
    }
    if (management) {
      // A user's token acts on that user alone; a client's on the user named, or the tenant file's first one.
      const [first] = args.user === undefined && local ? (await tenant()).users : [];
      const userId =
        args.user !== undefined
          ? (decodeJwt(token.accessToken).sub ?? null)
          : (args['user-id'] ?? (first ? subjectOf(first) : null));
      const url = userId === null ? undefined : managementUserUrl(issuer, userId);
      // One proof per curl line (a proof is single-use), for its method and URL.
      const proofs =
        dpop && url !== undefined
          ? {
              GET: await signDpopProof(dpop, { method: 'GET', url, accessToken: token.accessToken }),
              PATCH: await signDpopProof(dpop, { method: 'PATCH', url, accessToken: token.accessToken }),
            }
          : undefined;
      for (const line of formatManagementToken(subject, issuer, token, userId, asked, proofs)) io.out(line);
      return 0;
    }
    const apiUrl = args['api-url'] ?? LOCAL_TENANT.apiUrl;
    const routes = await fetchApiRoutes(apiUrl).catch((error: unknown) => {
      if (error instanceof ApiRoutesError) return error;
      throw error;
    });
    // One proof per curl line (a proof is single-use); an empty map still says DPoP was asked for.
    const proofs = dpop
      ? new Map(
          routes instanceof ApiRoutesError
            ? []
            : await Promise.all(
                routes.map(
                  async (route) =>
                    [
                      route,
                      await signDpopProof(dpop, {
                        method: route.method,
                        url: `${apiUrl.replace(/\/+$/, '')}${route.path}`,
                        accessToken: token.accessToken,
                      }),
                    ] as const,
                ),
              ),
        )
      : undefined;
    for (const line of formatToken(subject, issuer, apiUrl, token, routes, asked, proofs)) io.out(line);
    return 0;
  } catch (error) {
    if (error instanceof TokenCliError || error instanceof ConfigError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}
