import { z } from 'zod';
import { parseOrThrow, shown, type ConfigWarning, type ParsedConfig } from './config-error';
import {
  absoluteUrl,
  defaultJwksUri,
  isOrigin,
  issuerUrl,
  port,
  requiredString,
  seconds,
  unsetIfEmpty,
} from './fields';
import { audienceWarnings, issuerWarnings } from './warnings';

/**
 * Signature algorithms the API may be configured to accept: asymmetric only (never `none`, never HS*), and only
 * those jsonwebtoken (behind passport-jwt) verifies, so no EdDSA.
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

/** How much the API says about a rejected token: everything, or the reason code only (details go to the log). */
export type DiagnosticsLevel = 'verbose' | 'minimal';

/** The API's validated configuration. */
export interface ApiConfig {
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
  /** Accepted `alg` values. */
  readonly algorithms: readonly AsymmetricAlgorithm[];
  /** Leeway for `exp`/`nbf`, in seconds. */
  readonly clockToleranceSeconds: number;
  /** Longest accepted token lifetime (`exp - iat`), in seconds. */
  readonly maxTokenLifetimeSeconds: number;
}

const EXAMPLE_ISSUER = 'https://your-tenant.us.auth0.com/';

function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

const apiEnvSchema = z
  .object({
    AUTH_ISSUER_URL: issuerUrl('AUTH_ISSUER_URL', EXAMPLE_ISSUER),
    AUTH_AUDIENCE: requiredString('AUTH_AUDIENCE', 'https://api.example.com'),
    AUTH_JWKS_URI: z.preprocess(
      unsetIfEmpty,
      absoluteUrl('AUTH_JWKS_URI', 'https://your-tenant.us.auth0.com/.well-known/jwks.json').optional(),
    ),
    PORT: port('PORT', 3000),
    CORS_ORIGINS: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .default('http://localhost:4200')
        .transform((value, ctx) => {
          const origins = commaList(value);
          for (const origin of origins) {
            if (!isOrigin(origin)) {
              ctx.addIssue({
                code: 'custom',
                message: `CORS_ORIGINS entry ${shown(origin)} must be an origin like http://localhost:4200 (scheme, host and port; no path, no trailing slash, no "*")`,
              });
            }
          }
          if (origins.length === 0) {
            ctx.addIssue({
              code: 'custom',
              message: `CORS_ORIGINS must list at least one origin, like http://localhost:4200 (got ${shown(value)})`,
            });
          }
          return origins;
        }),
    ),
    AUTH_DIAGNOSTICS: z.preprocess(
      unsetIfEmpty,
      z
        .enum(['verbose', 'minimal'], {
          error: (issue) => `AUTH_DIAGNOSTICS must be "verbose" or "minimal" (got ${shown(issue.input)})`,
        })
        .optional(),
    ),
    AUTH_ALGORITHMS: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .default('RS256')
        .transform((value, ctx) => {
          const algorithms = commaList(value);
          const bad = algorithms.filter((alg) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg));
          if (bad.length > 0 || algorithms.length === 0) {
            ctx.addIssue({
              code: 'custom',
              message: `AUTH_ALGORITHMS must list asymmetric algorithms such as RS256 (Auth0's default), never "none" or HS* (got ${shown(value)})`,
            });
          }
          return algorithms as AsymmetricAlgorithm[];
        }),
    ),
    AUTH_CLOCK_TOLERANCE_SECONDS: seconds('AUTH_CLOCK_TOLERANCE_SECONDS', 5, 0, 300),
    AUTH_MAX_TOKEN_LIFETIME_SECONDS: seconds('AUTH_MAX_TOKEN_LIFETIME_SECONDS', 86_400, 60, 2_592_000),
    NODE_ENV: z.preprocess(unsetIfEmpty, z.string().optional()),
  })
  .transform((env): ApiConfig => ({
    issuerUrl: env.AUTH_ISSUER_URL,
    audience: env.AUTH_AUDIENCE,
    jwksUri: env.AUTH_JWKS_URI ?? defaultJwksUri(env.AUTH_ISSUER_URL),
    port: env.PORT,
    corsOrigins: env.CORS_ORIGINS,
    diagnostics: env.AUTH_DIAGNOSTICS ?? (env.NODE_ENV === 'production' ? 'minimal' : 'verbose'),
    algorithms: env.AUTH_ALGORITHMS,
    clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
    maxTokenLifetimeSeconds: env.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
  }));

/**
 * Reads the API's configuration from environment variables.
 * @throws ConfigError listing every bad variable, each with the bad value and an example of a good one.
 * @example const { config, warnings } = parseApiConfig(process.env);
 */
export function parseApiConfig(env: Record<string, string | undefined>): ParsedConfig<ApiConfig> {
  const config = parseOrThrow(apiEnvSchema, env, 'API environment');
  const warnings: ConfigWarning[] = [
    ...issuerWarnings('AUTH_ISSUER_URL', config.issuerUrl),
    ...audienceWarnings('AUTH_AUDIENCE', config.audience),
  ];
  return { config, warnings };
}
