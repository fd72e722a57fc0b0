import { z } from 'zod';
import { parseOrThrow, shown, type ParsedConfig } from './config-error';
import { absoluteUrl, port, unsetIfEmpty } from './fields';
import { LOCAL_TENANT } from './local-defaults';

/** Settings of the local development authorization server. */
export interface AuthServerConfig {
  /** Public issuer URL; like Auth0's it ends with `/`. Tokens carry it as `iss`. */
  readonly issuer: string;
  readonly port: number;
  /** Interface to listen on: `localhost` by default, `0.0.0.0` in a container. */
  readonly host: string;
  /** Path of the tenant definition file, if not the app's default. */
  readonly tenantFile: string | undefined;
  /** Folder for generated signing keys and state (git-ignored), if not the app's default. */
  readonly dataDir: string | undefined;
}

const authServerEnvSchema = z
  .object({
    AUTH_SERVER_ISSUER: z.preprocess(
      unsetIfEmpty,
      absoluteUrl('AUTH_SERVER_ISSUER', LOCAL_TENANT.issuer)
        .refine((issuer) => issuer.endsWith('/'), {
          error: (issue) =>
            `AUTH_SERVER_ISSUER must end with "/" like an Auth0 issuer, e.g. ${LOCAL_TENANT.issuer} (got ${shown(issue.input)})`,
        })
        .default(LOCAL_TENANT.issuer),
    ),
    AUTH_SERVER_PORT: port('AUTH_SERVER_PORT', 4000),
    AUTH_SERVER_HOST: z.preprocess(unsetIfEmpty, z.string().default('localhost')),
    AUTH_SERVER_TENANT_FILE: z.preprocess(unsetIfEmpty, z.string().optional()),
    AUTH_SERVER_DATA_DIR: z.preprocess(unsetIfEmpty, z.string().optional()),
  })
  .transform((env): AuthServerConfig => ({
    issuer: env.AUTH_SERVER_ISSUER,
    port: env.AUTH_SERVER_PORT,
    host: env.AUTH_SERVER_HOST,
    tenantFile: env.AUTH_SERVER_TENANT_FILE,
    dataDir: env.AUTH_SERVER_DATA_DIR,
  }));

/**
 * Reads the auth server's settings from environment variables; every one has a local default.
 * @throws ConfigError listing every bad variable.
 */
export function parseAuthServerConfig(
  env: Record<string, string | undefined>,
): ParsedConfig<AuthServerConfig> {
  return { config: parseOrThrow(authServerEnvSchema, env, 'Auth server environment'), warnings: [] };
}
