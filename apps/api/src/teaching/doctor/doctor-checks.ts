import {
  ConfigError,
  audienceWarnings,
  issuerBase,
  issuerWarnings,
  parseSpaConfig,
  type SpaConfig,
} from '@sample/contract';
import type { ApiSettings } from '../../config/api-settings';
import { discoveryUrlFor } from '../../health/health.service';

/** How one check ended: `warn` is a likely mistake that still works; only `fail` makes the doctor exit 1. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** One line of the doctor's report. */
export interface CheckResult {
  /** Stable id, for tests and scripts. */
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found, with the values compared. */
  readonly detail: string;
  /** What to change, when the check did not pass. */
  readonly fix?: string;
}

/** What the API-side checks read of the configuration. */
export type IssuerCheckSettings = Pick<
  ApiSettings,
  'issuerUrl' | 'audience' | 'jwksUri' | 'algorithms' | 'corsOrigins'
>;

/** How the checks reach the network: fetch (replaceable in tests) and one request's deadline. */
export interface DoctorNetwork {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
}

const q = (value: unknown) => JSON.stringify(value);

/** The outcome of one request: its JSON body, or why there is none. */
type Fetched = { ok: true; body: unknown } | { ok: false; problem: string };

async function getJson(url: string, network: DoctorNetwork, init: RequestInit = {}): Promise<Fetched> {
  let response: Response;
  try {
    response = await network.fetch(url, { ...init, signal: AbortSignal.timeout(network.timeoutMs) });
  } catch (error) {
    // By name: fetch rejects with a DOMException, which is not an Error of every realm.
    const timedOut = (error as { name?: unknown }).name === 'TimeoutError';
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    return {
      ok: false,
      problem: timedOut
        ? `no answer within ${network.timeoutMs} ms`
        : `unreachable${typeof cause === 'string' ? ` (${cause})` : ''}`,
    };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, problem: `HTTP ${response.status}` };
  }
  try {
    return { ok: true, body: await response.json() };
  } catch {
    return { ok: false, problem: 'the answer is not JSON' };
  }
}

/** The key types and curves that can verify each accepted algorithm family. */
function keyFits(key: Record<string, unknown>, alg: string): boolean {
  if (key['use'] !== undefined && key['use'] !== 'sig') return false;
  if (typeof key['alg'] === 'string' && key['alg'] !== alg) return false;
  if (/^(RS|PS)/.test(alg)) return key['kty'] === 'RSA';
  const curve = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg];
  return key['kty'] === 'EC' && key['crv'] === curve;
}

function describeKey(key: Record<string, unknown>): string {
  return [key['kid'] ?? '(no kid)', key['kty'], key['alg'], key['use']].filter(Boolean).join(' ');
}

/** Checks of AUTH_AUDIENCE and AUTH_ISSUER_URL that need no network: the classic Auth0 mistakes. */
export function configChecks(settings: IssuerCheckSettings, spaClientId?: string): CheckResult[] {
  const audience = audienceWarnings('AUTH_AUDIENCE', settings.audience, spaClientId);
  const issuer = issuerWarnings('AUTH_ISSUER_URL', settings.issuerUrl);
  const trailingSlash = issuer.find((warning) => warning.code === 'issuer_without_trailing_slash');
  const plainHttp = issuer.find((warning) => warning.code === 'plain_http');
  return [
    audience.length === 0
      ? {
          id: 'audience',
          title: 'API identifier',
          status: 'pass',
          detail: `AUTH_AUDIENCE ${q(settings.audience)} is neither a client id nor /userinfo`,
        }
      : {
          id: 'audience',
          title: 'API identifier',
          status: 'fail',
          detail: audience.map((warning) => warning.message).join(' '),
          fix: 'Set AUTH_AUDIENCE (and the SPA audience) to the Identifier of your API in Auth0 > Applications > APIs.',
        },
    trailingSlash
      ? {
          id: 'issuer-url',
          title: 'Issuer URL',
          status: 'fail',
          detail: trailingSlash.message,
          fix: `Set AUTH_ISSUER_URL=${issuerBase(settings.issuerUrl)}`,
        }
      : plainHttp
        ? {
            id: 'issuer-url',
            title: 'Issuer URL',
            status: 'warn',
            detail: plainHttp.message,
            fix: 'Use the https URL of the issuer.',
          }
        : {
            id: 'issuer-url',
            title: 'Issuer URL',
            status: 'pass',
            detail: `AUTH_ISSUER_URL ${q(settings.issuerUrl)}`,
          },
  ];
}

/** The discovery checks: whether the document answered as JSON, and the `discovery` and `issuer` results. */
export interface DiscoveryOutcome {
  readonly answered: boolean;
  readonly checks: readonly [CheckResult, CheckResult];
}

/** Discovery reachable and its `issuer` equal byte for byte to AUTH_ISSUER_URL (readiness asks the same). */
export async function discoveryChecks(
  settings: Pick<ApiSettings, 'issuerUrl' | 'jwksUri'>,
  network: DoctorNetwork,
): Promise<DiscoveryOutcome> {
  const discoveryUrl = discoveryUrlFor(settings);
  const discovery = await getJson(discoveryUrl, network);
  if (!discovery.ok) {
    return {
      answered: false,
      checks: [
        {
          id: 'discovery',
          title: 'Discovery document',
          status: 'fail',
          detail: `${discoveryUrl}: ${discovery.problem}`,
          fix: 'Start the issuer (locally: npm start) or correct AUTH_ISSUER_URL (Auth0: https://<your-tenant>.<region>.auth0.com/).',
        },
        { id: 'issuer', title: 'Issuer', status: 'skip', detail: 'no discovery document' },
      ],
    };
  }
  const issuer = (discovery.body as { issuer?: unknown } | null)?.issuer;
  if (typeof issuer !== 'string') {
    return {
      answered: true,
      checks: [
        {
          id: 'discovery',
          title: 'Discovery document',
          status: 'fail',
          detail: `${discoveryUrl} has no "issuer": it is not an OpenID Connect discovery document`,
          fix: 'Point AUTH_ISSUER_URL (or AUTH_JWKS_URI) at the authorization server, not at another service.',
        },
        { id: 'issuer', title: 'Issuer', status: 'skip', detail: 'no issuer in discovery' },
      ],
    };
  }
  const found: CheckResult = {
    id: 'discovery',
    title: 'Discovery document',
    status: 'pass',
    detail: `${discoveryUrl} answered`,
  };
  return {
    answered: true,
    checks: [
      found,
      issuer === settings.issuerUrl
        ? {
            id: 'issuer',
            title: 'Issuer',
            status: 'pass',
            detail: `discovery says ${q(issuer)}, equal to AUTH_ISSUER_URL byte for byte`,
          }
        : {
            id: 'issuer',
            title: 'Issuer',
            status: 'fail',
            detail: `discovery says ${q(issuer)}, AUTH_ISSUER_URL is ${q(settings.issuerUrl)}: every token would fail with issuer_mismatch`,
            fix: `Set AUTH_ISSUER_URL=${issuer} (tokens carry exactly this iss${issuer.endsWith('/') ? ', trailing slash included' : ''}).`,
          },
    ],
  };
}

/**
 * Checks against the live issuer: discovery reachable, its `issuer` equal byte for byte to AUTH_ISSUER_URL,
 * the JWKS reachable with keys for the accepted algorithms.
 */
export async function issuerChecks(
  settings: IssuerCheckSettings,
  network: DoctorNetwork,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [...(await discoveryChecks(settings, network)).checks];

  const jwks = await getJson(settings.jwksUri, network);
  const keys =
    jwks.ok && Array.isArray((jwks.body as { keys?: unknown } | null)?.keys)
      ? ((jwks.body as { keys: unknown[] }).keys.filter(
          (key) => typeof key === 'object' && key !== null,
        ) as Record<string, unknown>[])
      : undefined;
  if (keys === undefined) {
    results.push({
      id: 'jwks',
      title: 'JWKS',
      status: 'fail',
      detail: `${settings.jwksUri}: ${jwks.ok ? 'no "keys" array' : jwks.problem}`,
      fix: 'Leave AUTH_JWKS_URI unset (default <issuer>.well-known/jwks.json) or set it to where the issuer publishes its keys.',
    });
    results.push({ id: 'signing-keys', title: 'Signing keys', status: 'skip', detail: 'no JWKS' });
    return results;
  }
  results.push({
    id: 'jwks',
    title: 'JWKS',
    status: 'pass',
    detail: `${settings.jwksUri} answered with ${keys.length} key(s)`,
  });
  const usable = keys.filter((key) => settings.algorithms.some((alg) => keyFits(key, alg)));
  const symmetric = keys.filter((key) => key['kty'] === 'oct');
  results.push(
    symmetric.length > 0
      ? {
          id: 'signing-keys',
          title: 'Signing keys',
          status: 'fail',
          detail: `the JWKS publishes a symmetric key (${symmetric.map(describeKey).join('; ')}): anyone can forge tokens with it`,
          fix: 'Sign access tokens with RS256 (Auth0 > APIs > your API > Settings > Signing Algorithm) and never publish a secret.',
        }
      : usable.length === 0
        ? {
            id: 'signing-keys',
            title: 'Signing keys',
            status: 'fail',
            detail: `no key can verify ${settings.algorithms.join(', ')} (keys: ${keys.map(describeKey).join('; ') || 'none'})`,
            fix: 'Set the API signing algorithm to RS256 at the issuer (Auth0 > APIs > your API > Settings), or AUTH_ALGORITHMS to what it uses.',
          }
        : {
            id: 'signing-keys',
            title: 'Signing keys',
            status: 'pass',
            detail: `${usable.length} key(s) for ${settings.algorithms.join(', ')}: ${usable.map((key) => String(key['kid'])).join(', ')}`,
          },
  );
  return results;
}

/** Where the SPA's config.json came from and which origin the SPA is served on. */
export interface SpaSource {
  /** The parsed JSON of config.json (not yet validated). */
  readonly json: unknown;
  /** For messages: a path or URL. */
  readonly name: string;
  /** The SPA's origin, as the browser sends it in `Origin`. */
  readonly webOrigin: string;
}

/** The SPA's `domain` value that stands for an issuer: a bare host for https, the origin for http. */
function domainFor(issuer: string): string {
  const url = new URL(issuer);
  return url.protocol === 'https:' ? url.host : url.origin;
}

/**
 * Checks that the SPA's config.json fits this API: valid, same audience, its domain standing for this issuer, and
 * the SPA's origin allowed by CORS. What needs the API's routes is in apiChecks.
 */
export function spaChecks(settings: IssuerCheckSettings, source: SpaSource): CheckResult[] {
  let spa: SpaConfig;
  try {
    spa = parseSpaConfig(source.json).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [
      {
        id: 'spa-config',
        title: 'SPA config.json',
        status: 'fail',
        detail: `${source.name}: ${error.issues.map((issue) => issue.message).join('; ')}`,
        fix: 'Correct the fields named above (apps/web/README.md lists them).',
      },
    ];
  }
  const expectedDomain = domainFor(settings.issuerUrl);
  return [
    { id: 'spa-config', title: 'SPA config.json', status: 'pass', detail: `${source.name} is valid` },
    spa.issuer === settings.issuerUrl
      ? {
          id: 'spa-domain',
          title: 'SPA domain and API issuer',
          status: 'pass',
          detail: `domain ${q(spa.domain)} stands for issuer ${q(spa.issuer)}, as AUTH_ISSUER_URL`,
        }
      : {
          id: 'spa-domain',
          title: 'SPA domain and API issuer',
          status: 'fail',
          detail: `domain ${q(spa.domain)} stands for issuer ${q(spa.issuer)}, but AUTH_ISSUER_URL is ${q(settings.issuerUrl)}: the SPA logs in at another tenant than the API trusts`,
          // A domain cannot express a missing trailing slash: then only AUTH_ISSUER_URL can be wrong.
          fix:
            expectedDomain === spa.domain
              ? `Set AUTH_ISSUER_URL=${spa.issuer}`
              : `Set the SPA's domain to ${q(expectedDomain)}, or AUTH_ISSUER_URL to ${q(spa.issuer)}.`,
        },
    spa.audience === settings.audience
      ? {
          id: 'spa-audience',
          title: 'SPA audience and API audience',
          status: 'pass',
          detail: `both ${q(spa.audience)}`,
        }
      : {
          id: 'spa-audience',
          title: 'SPA audience and API audience',
          status: 'fail',
          detail: `the SPA asks for tokens for ${q(spa.audience)}, the API expects ${q(settings.audience)}: every call fails with audience_mismatch`,
          fix: `Use the same API identifier in both: audience in config.json and AUTH_AUDIENCE.`,
        },
    settings.corsOrigins.includes(source.webOrigin)
      ? {
          id: 'cors',
          title: 'CORS',
          status: 'pass',
          detail: `CORS_ORIGINS allows the SPA origin ${source.webOrigin}`,
        }
      : {
          id: 'cors',
          title: 'CORS',
          status: 'fail',
          detail: `CORS_ORIGINS ${q(settings.corsOrigins.join(','))} does not allow the SPA origin ${source.webOrigin}: the browser blocks every API answer`,
          fix: `Add ${source.webOrigin} to CORS_ORIGINS (comma-separated origins, no trailing slash).`,
        },
  ];
}

/** One route of the running API, as its OpenAPI document declares it. */
export interface ApiOperation {
  readonly method: string;
  readonly path: string;
  /** `x-public: true`: anyone may call it. */
  readonly public: boolean;
  /** `x-required-permissions` (none: any valid access token). */
  readonly permissions: readonly string[];
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function entries(value: unknown): [string, unknown][] {
  return typeof value === 'object' && value !== null ? Object.entries(value) : [];
}

/**
 * The operations of an OpenAPI document, by the API's convention: `x-public: true` marks a public one; every other
 * is protected and needs the permissions in `x-required-permissions`.
 */
export function operationsOf(document: unknown): ApiOperation[] {
  const paths = entries(document).find(([key]) => key === 'paths')?.[1];
  return entries(paths).flatMap(([path, item]) =>
    entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => {
        const fields = new Map(entries(operation));
        const permissions = fields.get('x-required-permissions');
        return {
          method: method.toUpperCase(),
          path,
          public: fields.get('x-public') === true,
          permissions: Array.isArray(permissions)
            ? permissions.filter((p): p is string => typeof p === 'string')
            : [],
        };
      }),
  );
}

/** The running API's answer to the doctor: the `api` check, and its routes when it served its OpenAPI document. */
export interface ApiAnswer {
  readonly check: CheckResult;
  readonly operations?: readonly ApiOperation[];
}

/**
 * Asks the API at the SPA's apiUrl for its OpenAPI document (GET /api/docs-json) with the SPA's origin: whether it
 * runs, lets the SPA read its answers (a live CORS check), and which routes it has. A stopped API is a warning only,
 * since the doctor may run before it starts.
 */
export async function askApi(apiUrl: string, webOrigin: string, network: DoctorNetwork): Promise<ApiAnswer> {
  const url = `${apiUrl.replace(/\/+$/, '')}/api/docs-json`;
  const title = 'API at apiUrl';
  let response: Response;
  try {
    response = await network.fetch(url, {
      headers: { origin: webOrigin },
      signal: AbortSignal.timeout(network.timeoutMs),
    });
  } catch {
    return {
      check: {
        id: 'api',
        title,
        status: 'warn',
        detail: `no answer from ${url}`,
        fix: 'Start the API (npm start) or correct apiUrl in config.json.',
      },
    };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return {
      check: {
        id: 'api',
        title,
        status: 'fail',
        detail: `${url} answered HTTP ${response.status}: apiUrl does not point at this API`,
        fix: "Set apiUrl in config.json to the API's origin, like http://localhost:3000.",
      },
    };
  }
  const allowed = response.headers.get('access-control-allow-origin');
  let operations: ApiOperation[] | undefined;
  try {
    operations = operationsOf(await response.json());
  } catch {
    operations = undefined;
  }
  if (allowed !== webOrigin) {
    return {
      operations,
      check: {
        id: 'api',
        title,
        status: 'fail',
        detail: `${url} answered without Access-Control-Allow-Origin for ${webOrigin} (got ${q(allowed)}): the running API's CORS_ORIGINS differ from the checked ones`,
        fix: `Restart the API with ${webOrigin} in CORS_ORIGINS.`,
      },
    };
  }
  return {
    operations,
    check: {
      id: 'api',
      title,
      status: 'pass',
      detail: `${url} answered with ${operations?.length ?? 0} route(s) and allows the origin ${webOrigin}`,
    },
  };
}

/**
 * Checks of the SPA against the running API's routes: the scope requests every permission a route requires, and
 * the SPA's interceptor, which attaches the access token to `<apiUrl>/api/*`, covers every protected route.
 */
export function routeChecks(spa: SpaConfig, operations: readonly ApiOperation[] | undefined): CheckResult[] {
  const url = new URL(spa.apiUrl);
  const prefix = `${spa.apiUrl}/api/*`;
  const unknown = 'the API did not serve its routes (see "API at apiUrl")';
  const allowedList: CheckResult =
    url.pathname !== '/' || url.search !== '' || url.hash !== ''
      ? {
          id: 'spa-allowed-list',
          title: 'apiUrl and the interceptor allowedList',
          status: 'fail',
          detail: `apiUrl ${q(spa.apiUrl)} has a path: the SPA adds the routes (/api/...) itself and attaches the token to ${prefix}`,
          fix: `Set apiUrl to the API's origin only: ${q(url.origin)}.`,
        }
      : operations === undefined
        ? {
            id: 'spa-allowed-list',
            title: 'apiUrl and the interceptor allowedList',
            status: 'skip',
            detail: unknown,
          }
        : allowedListCheck(prefix, operations);
  if (operations === undefined) {
    return [{ id: 'spa-scope', title: 'SPA scope', status: 'skip', detail: unknown }, allowedList];
  }
  const required = [...new Set(operations.flatMap((operation) => operation.permissions))];
  const missing = required.filter((permission) => !spa.scope.split(' ').includes(permission));
  return [
    missing.length === 0
      ? { id: 'spa-scope', title: 'SPA scope', status: 'pass', detail: `requests ${q(spa.scope)}` }
      : {
          id: 'spa-scope',
          title: 'SPA scope',
          status: 'warn',
          detail: `scope ${q(spa.scope)} does not request ${missing.join(', ')}, which routes need: the token's scope will not list it. The API authorizes users by the permissions claim only (RBAC and "Add Permissions in the Access Token" on in Auth0), so users with the permission still pass; request it so the token's scope says what the app asks for`,
          fix: `Add ${missing.join(' ')} to scope in config.json.`,
        },
    allowedList,
  ];
}

function allowedListCheck(prefix: string, operations: readonly ApiOperation[]): CheckResult {
  const isProtected = (operation: ApiOperation) => !operation.public;
  const outside = operations.filter(
    (operation) => isProtected(operation) && !operation.path.startsWith('/api/'),
  );
  const covered = operations.filter(isProtected).length;
  return outside.length === 0
    ? {
        id: 'spa-allowed-list',
        title: 'apiUrl and the interceptor allowedList',
        status: 'pass',
        detail: `the access token goes to ${prefix}, which covers the API's ${covered} protected route(s)`,
      }
    : {
        id: 'spa-allowed-list',
        title: 'apiUrl and the interceptor allowedList',
        status: 'fail',
        detail: `${outside.map((operation) => `${operation.method} ${operation.path}`).join(', ')} need(s) a token but lie(s) outside ${prefix}: the SPA sends no token there`,
        fix: 'Serve every protected route under /api/, or mark it @Public().',
      };
}

/** Every check for an API configuration and, when given, the SPA's config.json against the running API. */
export async function runDoctorChecks(
  settings: IssuerCheckSettings,
  source: SpaSource | undefined,
  network: DoctorNetwork,
): Promise<CheckResult[]> {
  const clientId =
    typeof source?.json === 'object' && source.json !== null
      ? (source.json as { clientId?: unknown }).clientId
      : undefined;
  const results = [
    ...configChecks(settings, typeof clientId === 'string' ? clientId : undefined),
    ...(await issuerChecks(settings, network)),
  ];
  if (source === undefined) return results;
  const spaResults = spaChecks(settings, source);
  results.push(...spaResults);
  if (spaResults[0]?.status !== 'pass') return results;
  const spa = parseSpaConfig(source.json).config;
  const api = await askApi(spa.apiUrl, source.webOrigin, network);
  results.push(api.check, ...routeChecks(spa, api.operations));
  return results;
}

/** The real network, with the API's JWKS deadline. */
export function liveNetwork(timeoutMs: number): DoctorNetwork {
  return { fetch: (input, init) => fetch(input, init), timeoutMs };
}
