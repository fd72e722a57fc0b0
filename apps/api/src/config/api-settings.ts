import {
  ConfigError,
  parseApiConfig,
  type ApiConfig,
  type ConfigIssue,
  type ParsedConfig,
} from '@sample/contract';
import { z } from 'zod';

/** pino levels accepted by LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One of the levels above. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Everything the API runs with: the shared contract's ApiConfig plus knobs only this process has
 * (how the JWKS is fetched, how much it logs).
 */
export interface ApiSettings extends ApiConfig {
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

function milliseconds(key: string, fallback: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      const n = Number(value.trim());
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${key} must be a whole number of milliseconds from ${min} to ${max}, like ${fallback} (got ${JSON.stringify(value)})`,
        });
        return z.NEVER;
      }
      return n;
    });
}

const runtimeSchema = z.object({
  AUTH_JWKS_COOLDOWN_MS: milliseconds('AUTH_JWKS_COOLDOWN_MS', 10_000, 0, 3_600_000),
  AUTH_JWKS_TIMEOUT_MS: milliseconds('AUTH_JWKS_TIMEOUT_MS', 5_000, 100, 30_000),
  AUTH_JWKS_MAX_AGE_MS: milliseconds('AUTH_JWKS_MAX_AGE_MS', 600_000, 1_000, 86_400_000),
  LOG_LEVEL: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const level = value?.trim() || 'info';
      if (!(LOG_LEVELS as readonly string[]).includes(level)) {
        ctx.addIssue({
          code: 'custom',
          message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(value)})`,
        });
        return z.NEVER;
      }
      return level as LogLevel;
    }),
});

/**
 * Reads and validates the API's environment: the contract's variables and the API-only ones.
 * @throws ConfigError listing every bad variable of both sets at once.
 * @example const { config, warnings } = parseApiSettings(process.env);
 */
export function parseApiSettings(env: Record<string, string | undefined>): ParsedConfig<ApiSettings> {
  const issues: ConfigIssue[] = [];
  let contract: ParsedConfig<ApiConfig> | undefined;
  try {
    contract = parseApiConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  const runtime = runtimeSchema.safeParse(env);
  if (!runtime.success) {
    issues.push(
      ...runtime.error.issues.map((issue) => ({ key: issue.path.join('.'), message: issue.message })),
    );
  }
  if (contract === undefined || !runtime.success || issues.length > 0)
    throw new ConfigError('API environment', issues);
  return {
    config: {
      ...contract.config,
      jwksCooldownMs: runtime.data.AUTH_JWKS_COOLDOWN_MS,
      jwksTimeoutMs: runtime.data.AUTH_JWKS_TIMEOUT_MS,
      jwksMaxAgeMs: runtime.data.AUTH_JWKS_MAX_AGE_MS,
      logLevel: runtime.data.LOG_LEVEL,
    },
    warnings: contract.warnings,
  };
}
