import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import * as z from 'zod/mini';
import { DPOP_ALGORITHMS, isDpopAlgorithm, type DpopAlgorithm } from '@sample/dpop';
import {
  absoluteUrl,
  audienceWarnings,
  defaultJwksUri,
  isLocalHost,
  isOrigin,
  issuerUrl,
  issuerBase,
  issuerWarnings,
  managementApiAudience,
  parseOrThrow,
  port,
  requiredString,
  seconds,
  shown,
  unsetIfEmpty,
  wholeNumber,
  type ConfigWarning,
  type ParsedConfig,
} from '@sample/contract';

/**
 * Signature algorithms the API may accept: asymmetric only (never `none`, never HS*), and only those jsonwebtoken
 * (behind passport-jwt) verifies, so no EdDSA.
 */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;

/** One of the accepted asymmetric algorithms. */
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** pino levels accepted by LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One of the levels above. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How much the API says about a rejected token: everything, or the reason code only (details go to the log). */
export type DiagnosticsLevel = 'verbose' | 'minimal';

/** What the API serves of its OpenAPI description: Swagger UI and the JSON, the JSON only, or nothing. */
export type DocsMode = 'ui' | 'json' | 'off';

/** API_DOCS values. */
export const DOCS_MODES = ['ui', 'json', 'off'] as const satisfies readonly DocsMode[];

/**
 * A secret setting: its value comes out through `reveal()` only; printed, logged or serialised it reads
 * `[redacted]`, so a settings object in a log line or an error cannot leak it.
 */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself, for the one place that sends it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return '[redacted]';
  }
}

/** AUTH_DPOP: DPoP-bound tokens accepted beside Bearer ones, required, or refused. */
export type DpopMode = 'allowed' | 'required' | 'off';

/** AUTH_DPOP values. */
export const DPOP_MODES = ['allowed', 'required', 'off'] as const satisfies readonly DpopMode[];

/** Default AUTH_DPOP_ALGORITHMS: ES256 (what auth0-spa-js signs with) and the other common asymmetric ones. */
export const DEFAULT_DPOP_ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'PS256', 'RS256'] as const;

/** How the API checks DPoP proofs (RFC 9449). */
export interface DpopSettings {
  /** AUTH_DPOP. */
  readonly mode: DpopMode;
  /** API_PUBLIC_URL without a trailing slash: the scheme, host, port and base path `htu` must name. */
  readonly publicUrl: string;
  /** AUTH_DPOP_ALGORITHMS: accepted proof `alg` values, asymmetric only. */
  readonly algorithms: readonly DpopAlgorithm[];
  /** AUTH_DPOP_MAX_AGE_SECONDS: how old a proof's `iat` may be (plus AUTH_CLOCK_TOLERANCE_SECONDS). */
  readonly maxAgeSeconds: number;
  /** AUTH_DPOP_NONCE: proofs must carry a server nonce (`use_dpop_nonce` until they do). */
  readonly nonce: boolean;
  /** AUTH_DPOP_NONCE_SECRET: the HMAC key of the nonces; undefined: a random one per process. */
  readonly nonceSecret: SecretValue | undefined;
  /** AUTH_DPOP_REPLAY_CACHE_SIZE: most proofs remembered per process. */
  readonly replayCacheSize: number;
}

/** Shortest AUTH_DPOP_NONCE_SECRET, in characters. */
export const MIN_NONCE_SECRET_LENGTH = 32;

/** How the API reaches the Auth0 Management API with client credentials (the profile routes). */
export interface ManagementSettings {
  /** MANAGEMENT_CLIENT_ID: the machine-to-machine application authorized for the Management API. */
  readonly clientId: string;
  /** MANAGEMENT_CLIENT_SECRET, or the content of MANAGEMENT_CLIENT_SECRET_FILE (trimmed). */
  readonly clientSecret: SecretValue;
  /** MANAGEMENT_AUDIENCE: `https://<canonical tenant domain>/api/v2/`, even behind a custom domain. */
  readonly audience: string;
  /** MANAGEMENT_API_URL, ending with `/`: `oauth/token` and `api/v2/` are resolved against it. */
  readonly apiUrl: string;
  /** MANAGEMENT_TIMEOUT_MS: deadline of one token or Management API request. */
  readonly timeoutMs: number;
}

/** Shortest client secret accepted (Auth0 generates 64 characters; the local demo one has 33). */
export const MIN_CLIENT_SECRET_LENGTH = 16;

/** Everything the API runs with, read from the environment once at start-up. */
export interface ApiSettings {
  /** Expected `iss`, exactly as configured (Auth0's ends with `/`). */
  readonly issuerUrl: string;
  /** Expected `aud`: the API identifier. */
  readonly audience: string;
  /** Where the signing keys are fetched; may be an internal host while `iss` stays public. */
  readonly jwksUri: string;
  readonly port: number;
  /** Browser origins allowed by CORS. */
  readonly corsOrigins: readonly string[];
  readonly diagnostics: DiagnosticsLevel;
  /**
   * `ui`: Swagger UI at /api/docs and the JSON at /api/docs-json; `json`: the JSON only (the token CLI, the doctor
   * and the e2e tests read it); `off`: neither.
   */
  readonly docs: DocsMode;
  /** Accepted `alg` values. */
  readonly algorithms: readonly AsymmetricAlgorithm[];
  /** Leeway for `exp`/`nbf`/`iat`, in seconds. */
  readonly clockToleranceSeconds: number;
  /** Longest accepted token lifetime (`exp - iat`), in seconds. */
  readonly maxTokenLifetimeSeconds: number;
  /** Shortest time between two JWKS fetches caused by unknown kids (or readiness checks), in ms. */
  readonly jwksCooldownMs: number;
  /** Deadline of one JWKS or discovery request, in ms. */
  readonly jwksTimeoutMs: number;
  /** Age after which the key set is refetched in the background, so withdrawn keys stop being trusted, in ms. */
  readonly jwksMaxAgeMs: number;
  readonly logLevel: LogLevel;
  /** The Management API client of the profile routes; undefined without MANAGEMENT_CLIENT_ID (they answer 503). */
  readonly management: ManagementSettings | undefined;
  /** DPoP (sender-constrained tokens). */
  readonly dpop: DpopSettings;
}

/** DI token of the validated ApiSettings. */
export const API_SETTINGS = Symbol('api.settings');

const EXAMPLE_ISSUER = 'https://your-tenant.us.auth0.com/';

function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function isAsymmetricAlgorithm(value: string): value is AsymmetricAlgorithm {
  return (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(value);
}

/** A comma-separated list of at least one item; `bad` names each item that fails `accept`. */
function list<T extends string>(
  fallback: string,
  accept: (item: string) => item is T,
  bad: (items: string[], value: string) => string[],
) {
  return z.pipe(
    unsetIfEmpty,
    z.pipe(
      z._default(z.string(), fallback),
      z.transform((value, ctx): T[] => {
        const items = commaList(value);
        for (const message of bad(items, value)) ctx.issues.push({ code: 'custom', input: value, message });
        return items.filter(accept);
      }),
    ),
  );
}

/** A "true"/"false" switch, false when unset. */
function flag(key: string) {
  return z.pipe(
    unsetIfEmpty,
    z._default(
      z.enum(['true', 'false'], {
        error: (issue) => `${key} must be "true" or "false" (got ${shown(issue.input)})`,
      }),
      'false',
    ),
  );
}

/** An optional string setting: unset when empty, trimmed. */
const optionalText = z.pipe(
  unsetIfEmpty,
  z.optional(
    z.pipe(
      z.string(),
      z.transform((value) => value.trim()),
    ),
  ),
);

/** Reads a file at start-up (tests pass their own). */
export type ReadTextFile = (path: string) => string;

/** What a failed read of MANAGEMENT_CLIENT_SECRET_FILE means, by error code. */
const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'does not exist',
  EACCES: 'is not readable by this process',
  EPERM: 'is not readable by this process',
  EISDIR: 'is a folder, not a file',
};

function milliseconds(key: string, fallback: number, min: number, max: number) {
  return wholeNumber(
    fallback,
    min,
    max,
    (got) =>
      `${key} must be a whole number of milliseconds from ${min} to ${max}, like ${fallback} (got ${got})`,
  );
}

const apiEnvFields = z.object({
  AUTH_ISSUER_URL: issuerUrl('AUTH_ISSUER_URL', EXAMPLE_ISSUER),
  AUTH_AUDIENCE: requiredString('AUTH_AUDIENCE', 'https://api.example.com'),
  AUTH_JWKS_URI: z.pipe(
    unsetIfEmpty,
    z.optional(absoluteUrl('AUTH_JWKS_URI', `${EXAMPLE_ISSUER}.well-known/jwks.json`)),
  ),
  PORT: port('PORT', 3000),
  CORS_ORIGINS: list(
    'http://localhost:4200',
    (origin): origin is string => isOrigin(origin),
    (origins, value) => [
      ...origins
        .filter((origin) => !isOrigin(origin))
        .map(
          (origin) =>
            `CORS_ORIGINS entry ${shown(origin)} must be an origin like http://localhost:4200 (scheme, host and port; no path, no trailing slash, no "*")`,
        ),
      ...(origins.length === 0
        ? [`CORS_ORIGINS must list at least one origin, like http://localhost:4200 (got ${shown(value)})`]
        : []),
    ],
  ),
  AUTH_DIAGNOSTICS: z.pipe(
    unsetIfEmpty,
    z.optional(
      z.enum(['verbose', 'minimal'], {
        error: (issue) => `AUTH_DIAGNOSTICS must be "verbose" or "minimal" (got ${shown(issue.input)})`,
      }),
    ),
  ),
  API_DOCS: z.pipe(
    unsetIfEmpty,
    z.optional(
      z.enum(DOCS_MODES, {
        error: (issue) =>
          `API_DOCS must be "ui" (Swagger UI and the JSON), "json" (the JSON only) or "off" (got ${shown(issue.input)})`,
      }),
    ),
  ),
  AUTH_JWKS_ALLOW_HTTP: flag('AUTH_JWKS_ALLOW_HTTP'),
  AUTH_ALGORITHMS: list('RS256', isAsymmetricAlgorithm, (algorithms, value) =>
    algorithms.length === 0 || !algorithms.every(isAsymmetricAlgorithm)
      ? [
          `AUTH_ALGORITHMS must list asymmetric algorithms such as RS256 (Auth0's default), never "none" or HS* (got ${shown(value)})`,
        ]
      : [],
  ),
  AUTH_CLOCK_TOLERANCE_SECONDS: seconds('AUTH_CLOCK_TOLERANCE_SECONDS', 5, 0, 300),
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: seconds('AUTH_MAX_TOKEN_LIFETIME_SECONDS', 86_400, 60, 2_592_000),
  AUTH_JWKS_COOLDOWN_MS: milliseconds('AUTH_JWKS_COOLDOWN_MS', 10_000, 0, 3_600_000),
  AUTH_JWKS_TIMEOUT_MS: milliseconds('AUTH_JWKS_TIMEOUT_MS', 5_000, 100, 30_000),
  AUTH_JWKS_MAX_AGE_MS: milliseconds('AUTH_JWKS_MAX_AGE_MS', 600_000, 1_000, 86_400_000),
  LOG_LEVEL: z.pipe(
    unsetIfEmpty,
    z._default(
      z.enum(LOG_LEVELS, {
        error: (issue) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${shown(issue.input)})`,
      }),
      'info',
    ),
  ),
  AUTH_DPOP: z.pipe(
    unsetIfEmpty,
    z._default(
      z.enum(DPOP_MODES, {
        error: (issue) =>
          `AUTH_DPOP must be "allowed" (Bearer and DPoP-bound tokens), "required" (DPoP only) or "off" (Bearer only) (got ${shown(issue.input)})`,
      }),
      'allowed',
    ),
  ),
  API_PUBLIC_URL: z.pipe(
    unsetIfEmpty,
    z.optional(
      absoluteUrl('API_PUBLIC_URL', 'https://api.example.com').check(
        z.refine((value: string) => !/[?#]/.test(value), {
          error: (issue) =>
            `API_PUBLIC_URL must be the URL clients call this API at, without query or fragment, like https://api.example.com (got ${shown(issue.input)})`,
        }),
      ),
    ),
  ),
  AUTH_DPOP_ALGORITHMS: list(DEFAULT_DPOP_ALGORITHMS.join(','), isDpopAlgorithm, (algorithms, value) =>
    algorithms.length === 0 || !algorithms.every(isDpopAlgorithm)
      ? [
          `AUTH_DPOP_ALGORITHMS must list asymmetric algorithms from ${DPOP_ALGORITHMS.join(', ')} (ES256 is what auth0-spa-js uses), never "none" or HS* (got ${shown(value)})`,
        ]
      : [],
  ),
  AUTH_DPOP_MAX_AGE_SECONDS: seconds('AUTH_DPOP_MAX_AGE_SECONDS', 60, 5, 600),
  AUTH_DPOP_NONCE: flag('AUTH_DPOP_NONCE'),
  // Never echoed: the message names the variable, never its value.
  AUTH_DPOP_NONCE_SECRET: z.pipe(
    unsetIfEmpty,
    z.optional(
      z.string({ error: 'AUTH_DPOP_NONCE_SECRET must be a string' }).check(
        z.trim(),
        z.refine((value: string) => value.length >= MIN_NONCE_SECRET_LENGTH, {
          error: `AUTH_DPOP_NONCE_SECRET must be at least ${MIN_NONCE_SECRET_LENGTH} random characters (e.g. openssl rand -base64 32), the same on every instance`,
        }),
      ),
    ),
  ),
  AUTH_DPOP_REPLAY_CACHE_SIZE: wholeNumber(
    100_000,
    100,
    10_000_000,
    (got) =>
      `AUTH_DPOP_REPLAY_CACHE_SIZE must be a whole number of proofs from 100 to 10000000, like 100000 (got ${got})`,
  ),
  MANAGEMENT_CLIENT_ID: optionalText,
  // Never echoed: the messages below name the variable, never its value.
  MANAGEMENT_CLIENT_SECRET: z.pipe(
    unsetIfEmpty,
    z.optional(
      z.pipe(
        z.string({ error: 'MANAGEMENT_CLIENT_SECRET must be a string' }),
        z.transform((value) => value.trim()),
      ),
    ),
  ),
  MANAGEMENT_CLIENT_SECRET_FILE: optionalText,
  MANAGEMENT_AUDIENCE: z.pipe(
    unsetIfEmpty,
    z.optional(absoluteUrl('MANAGEMENT_AUDIENCE', `${EXAMPLE_ISSUER}api/v2/`)),
  ),
  MANAGEMENT_API_URL: z.pipe(unsetIfEmpty, z.optional(issuerUrl('MANAGEMENT_API_URL', EXAMPLE_ISSUER))),
  MANAGEMENT_ALLOW_HTTP: flag('MANAGEMENT_ALLOW_HTTP'),
  MANAGEMENT_TIMEOUT_MS: milliseconds('MANAGEMENT_TIMEOUT_MS', 5_000, 100, 30_000),
  NODE_ENV: z.pipe(unsetIfEmpty, z.optional(z.string())),
});

/** The environment after the per-variable checks. */
type ApiEnv = z.output<typeof apiEnvFields>;

/** One problem found while combining variables. */
interface CrossIssue {
  readonly key: string;
  readonly message: string;
}

/**
 * The Management API settings, or undefined without MANAGEMENT_CLIENT_ID. The secret file is read here, once.
 * Problems name the variable and the fix, never the secret.
 */
function managementSettings(
  env: ApiEnv,
  production: boolean,
  readTextFile: ReadTextFile,
  issues: CrossIssue[],
): ManagementSettings | undefined {
  if (env.MANAGEMENT_CLIENT_ID === undefined) return undefined;
  const apiUrl = issuerBase(env.MANAGEMENT_API_URL ?? env.AUTH_ISSUER_URL);
  if (production && env.MANAGEMENT_ALLOW_HTTP !== 'true' && isRemotePlainHttp(apiUrl)) {
    issues.push({
      key: 'MANAGEMENT_API_URL',
      message: `MANAGEMENT_API_URL ${shown(apiUrl)}${env.MANAGEMENT_API_URL === undefined ? ' (derived from AUTH_ISSUER_URL)' : ''} is plain http to a host other than this machine: with NODE_ENV=production the client secret and the Management API token must travel over https, or whoever sits on the network path can read them. Use https, or set MANAGEMENT_ALLOW_HTTP=true for a private network you trust (as docker compose does for http://auth-server:4000/).`,
    });
  }
  let secret = env.MANAGEMENT_CLIENT_SECRET;
  let secretKey = 'MANAGEMENT_CLIENT_SECRET';
  // The variable wins over the file, as AUTH_SERVER_M2M_CLIENT_SECRET does on the auth server.
  if (secret === undefined && env.MANAGEMENT_CLIENT_SECRET_FILE !== undefined) {
    const file = env.MANAGEMENT_CLIENT_SECRET_FILE;
    secretKey = 'MANAGEMENT_CLIENT_SECRET_FILE';
    try {
      secret = readTextFile(file).trim();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      issues.push({
        key: secretKey,
        message: `MANAGEMENT_CLIENT_SECRET_FILE ${shown(file)} ${FILE_PROBLEMS[code] ?? `cannot be read (${code})`}: point it at the file holding the client secret of ${shown(env.MANAGEMENT_CLIENT_ID)}, or set MANAGEMENT_CLIENT_SECRET instead.`,
      });
      return undefined;
    }
  }
  if (secret === undefined) {
    issues.push({
      key: 'MANAGEMENT_CLIENT_SECRET',
      message: `MANAGEMENT_CLIENT_ID ${shown(env.MANAGEMENT_CLIENT_ID)} is set without its secret: set MANAGEMENT_CLIENT_SECRET, or MANAGEMENT_CLIENT_SECRET_FILE to a file holding it (Auth0 > Applications > your machine-to-machine application > Client Secret), or unset MANAGEMENT_CLIENT_ID to turn the profile routes off.`,
    });
    return undefined;
  }
  if (secret.length < MIN_CLIENT_SECRET_LENGTH) {
    issues.push({
      key: secretKey,
      message: `${secretKey === 'MANAGEMENT_CLIENT_SECRET' ? 'MANAGEMENT_CLIENT_SECRET' : `The file MANAGEMENT_CLIENT_SECRET_FILE ${shown(env.MANAGEMENT_CLIENT_SECRET_FILE)} names`} holds fewer than ${MIN_CLIENT_SECRET_LENGTH} characters, so it is not a client secret: copy the whole Client Secret of ${shown(env.MANAGEMENT_CLIENT_ID)} (Auth0 > Applications > your machine-to-machine application).`,
    });
    return undefined;
  }
  return {
    clientId: env.MANAGEMENT_CLIENT_ID,
    clientSecret: new SecretValue(secret),
    audience: env.MANAGEMENT_AUDIENCE ?? managementApiAudience(env.AUTH_ISSUER_URL),
    apiUrl,
    timeoutMs: env.MANAGEMENT_TIMEOUT_MS,
  };
}

/** The API's environment schema; reading the secret file needs `readTextFile`. */
function apiEnvSchema(readTextFile: ReadTextFile) {
  return z.pipe(
    apiEnvFields,
    z.transform((env, ctx): ApiSettings => {
      const production = env.NODE_ENV === 'production';
      const jwksUri = env.AUTH_JWKS_URI ?? defaultJwksUri(env.AUTH_ISSUER_URL);
      if (production && env.AUTH_JWKS_ALLOW_HTTP !== 'true' && isRemotePlainHttp(jwksUri)) {
        ctx.issues.push({
          code: 'custom',
          input: jwksUri,
          path: ['AUTH_JWKS_URI'],
          message: `AUTH_JWKS_URI ${shown(jwksUri)}${env.AUTH_JWKS_URI === undefined ? ' (derived from AUTH_ISSUER_URL)' : ''} is plain http to a host other than this machine: with NODE_ENV=production the signing keys must come over https, or whoever sits on the network path can swap them and sign tokens this API accepts. Use https, or set AUTH_JWKS_ALLOW_HTTP=true for a private network you trust (as docker compose does for http://auth-server:4000).`,
        });
      }
      const settings: ApiSettings = {
        issuerUrl: env.AUTH_ISSUER_URL,
        audience: env.AUTH_AUDIENCE,
        jwksUri,
        port: env.PORT,
        corsOrigins: env.CORS_ORIGINS,
        diagnostics: env.AUTH_DIAGNOSTICS ?? (production ? 'minimal' : 'verbose'),
        docs: env.API_DOCS ?? (production ? 'json' : 'ui'),
        algorithms: env.AUTH_ALGORITHMS,
        clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
        maxTokenLifetimeSeconds: env.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
        jwksCooldownMs: env.AUTH_JWKS_COOLDOWN_MS,
        jwksTimeoutMs: env.AUTH_JWKS_TIMEOUT_MS,
        jwksMaxAgeMs: env.AUTH_JWKS_MAX_AGE_MS,
        logLevel: env.LOG_LEVEL,
        management: undefined,
        dpop: dpopSettings(env, production, ctx),
      };
      const issues: CrossIssue[] = [];
      const management = managementSettings(env, production, readTextFile, issues);
      for (const { key, message } of issues)
        ctx.issues.push({ code: 'custom', input: undefined, path: [key], message });
      return { ...settings, management };
    }),
  );
}

/**
 * The DPoP settings. API_PUBLIC_URL is what `htu` is compared with, never the request's Host header (which the
 * client chooses); it defaults to http://localhost:<PORT>. With NODE_ENV=production and AUTH_DPOP=required it must be
 * set (every request would fail otherwise); with AUTH_DPOP=allowed its absence is a warning (parseApiSettings).
 */
function dpopSettings(env: ApiEnv, production: boolean, ctx: { issues: unknown[] }): DpopSettings {
  let publicUrl = env.API_PUBLIC_URL;
  if (publicUrl === undefined && production && env.AUTH_DPOP === 'required') {
    ctx.issues.push({
      code: 'custom',
      input: undefined,
      path: ['API_PUBLIC_URL'],
      message: `API_PUBLIC_URL is required with NODE_ENV=production and AUTH_DPOP=required: set it to the URL clients call this API at (scheme, host, port, and the path prefix a proxy adds), like https://api.example.com; every DPoP proof names it in htu.`,
    });
  }
  publicUrl ??= `http://localhost:${env.PORT}`;
  return {
    mode: env.AUTH_DPOP,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    algorithms: env.AUTH_DPOP_ALGORITHMS,
    maxAgeSeconds: env.AUTH_DPOP_MAX_AGE_SECONDS,
    nonce: env.AUTH_DPOP_NONCE === 'true',
    nonceSecret:
      env.AUTH_DPOP_NONCE_SECRET === undefined
        ? undefined
        : new SecretValue(env.AUTH_DPOP_NONCE_SECRET.trim()),
    replayCacheSize: env.AUTH_DPOP_REPLAY_CACHE_SIZE,
  };
}

/** Plain http to a host other than this machine (loopback is fine: nothing travels on a network). */
function isRemotePlainHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && !isLocalHost(hostname);
}

/**
 * Reads and validates the API's environment, once: ApiConfigModule runs it as ConfigModule's `validate`.
 * @returns the settings and the likely mistakes that still let the API start (logged at start-up).
 * @throws ConfigError listing every bad variable, each with the bad value and an example of a good one.
 * @example const { config, warnings } = parseApiSettings(process.env);
 */
export function parseApiSettings(
  env: Record<string, string | undefined>,
  readTextFile: ReadTextFile = (path) => readFileSync(path, 'utf8'),
): ParsedConfig<ApiSettings> {
  const config = parseOrThrow(apiEnvSchema(readTextFile), env, 'API environment');
  const warnings: ConfigWarning[] = [
    ...issuerWarnings('AUTH_ISSUER_URL', config.issuerUrl),
    ...audienceWarnings('AUTH_AUDIENCE', config.audience),
  ];
  // A derived JWKS URI shares the issuer's host, whose plain_http warning already covers it.
  const explicitJwksUri = env['AUTH_JWKS_URI']?.trim() ?? '';
  if (
    explicitJwksUri !== '' &&
    env['AUTH_JWKS_ALLOW_HTTP']?.trim() !== 'true' &&
    isRemotePlainHttp(config.jwksUri)
  ) {
    warnings.push({
      key: 'AUTH_JWKS_URI',
      message: `AUTH_JWKS_URI ${shown(config.jwksUri)} is plain http to a host other than this machine: whoever sits on the network path can swap the signing keys. Use https; NODE_ENV=production refuses it unless AUTH_JWKS_ALLOW_HTTP=true.`,
    });
  }
  if (
    env['NODE_ENV'] === 'production' &&
    config.dpop.mode === 'allowed' &&
    (env['API_PUBLIC_URL']?.trim() ?? '') === ''
  ) {
    warnings.push({
      key: 'API_PUBLIC_URL',
      message: `API_PUBLIC_URL is not set: DPoP proofs must name ${shown(config.dpop.publicUrl)} (htu), so DPoP requests to the URL clients really call are refused (dpop_request_mismatch). Set it to that URL, like https://api.example.com, or AUTH_DPOP=off to accept Bearer tokens only.`,
    });
  }
  warnings.push(...managementWarnings(env, config));
  return { config, warnings };
}

/** Likely mistakes in the MANAGEMENT_* variables that still let the API start. */
function managementWarnings(env: Record<string, string | undefined>, config: ApiSettings): ConfigWarning[] {
  const set = (key: string) => (env[key]?.trim() ?? '') !== '';
  const management = config.management;
  if (management === undefined) {
    return ['MANAGEMENT_CLIENT_SECRET', 'MANAGEMENT_CLIENT_SECRET_FILE'].filter(set).map((key) => ({
      key,
      message: `${key} is set but MANAGEMENT_CLIENT_ID is not: the profile routes stay off (503 management_not_configured). Set MANAGEMENT_CLIENT_ID to the machine-to-machine application's Client ID.`,
    }));
  }
  const warnings: ConfigWarning[] = [];
  if (!management.audience.endsWith('/api/v2/')) {
    warnings.push({
      key: 'MANAGEMENT_AUDIENCE',
      message: `MANAGEMENT_AUDIENCE ${shown(management.audience)} does not end with /api/v2/: the Management API's audience is https://<canonical tenant domain>/api/v2/ (never a custom domain), like ${shown(`${EXAMPLE_ISSUER}api/v2/`)}.`,
    });
  }
  if (
    set('MANAGEMENT_API_URL') &&
    env['MANAGEMENT_ALLOW_HTTP']?.trim() !== 'true' &&
    isRemotePlainHttp(management.apiUrl)
  ) {
    warnings.push({
      key: 'MANAGEMENT_API_URL',
      message: `MANAGEMENT_API_URL ${shown(management.apiUrl)} is plain http to a host other than this machine: the client secret and the Management API token travel unprotected. Use https; NODE_ENV=production refuses it unless MANAGEMENT_ALLOW_HTTP=true.`,
    });
  }
  return warnings;
}
