import * as z from 'zod/mini';
import {
  absoluteUrl,
  audienceWarnings,
  defaultJwksUri,
  isLocalHost,
  isOrigin,
  issuerUrl,
  issuerWarnings,
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

function milliseconds(key: string, fallback: number, min: number, max: number) {
  return wholeNumber(
    fallback,
    min,
    max,
    (got) =>
      `${key} must be a whole number of milliseconds from ${min} to ${max}, like ${fallback} (got ${got})`,
  );
}

const apiEnvSchema = z.pipe(
  z.object({
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
    AUTH_JWKS_ALLOW_HTTP: z.pipe(
      unsetIfEmpty,
      z._default(
        z.enum(['true', 'false'], {
          error: (issue) => `AUTH_JWKS_ALLOW_HTTP must be "true" or "false" (got ${shown(issue.input)})`,
        }),
        'false',
      ),
    ),
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
    NODE_ENV: z.pipe(unsetIfEmpty, z.optional(z.string())),
  }),
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
    return {
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
    };
  }),
);

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
export function parseApiSettings(env: Record<string, string | undefined>): ParsedConfig<ApiSettings> {
  const config = parseOrThrow(apiEnvSchema, env, 'API environment');
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
  return { config, warnings };
}
