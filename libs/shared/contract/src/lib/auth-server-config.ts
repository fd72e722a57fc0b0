import { z } from 'zod';
import { parseOrThrow, shown, type ConfigWarning, type ParsedConfig } from './config-error';
import { isLocalHost, issuerUrl, port, unsetIfEmpty } from './fields';
import { LOCAL_TENANT } from './local-defaults';
import { issuerWarnings } from './warnings';

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
      issuerUrl('AUTH_SERVER_ISSUER', LOCAL_TENANT.issuer)
        .refine((issuer) => issuer.endsWith('/'), {
          error: (issue) =>
            `AUTH_SERVER_ISSUER must end with "/" like an Auth0 issuer, e.g. ${LOCAL_TENANT.issuer} (got ${shown(issue.input)})`,
        })
        .optional(),
    ),
    AUTH_SERVER_PORT: port('AUTH_SERVER_PORT', 4000),
    AUTH_SERVER_HOST: z.preprocess(unsetIfEmpty, z.string().default('localhost')),
    AUTH_SERVER_TENANT_FILE: z.preprocess(unsetIfEmpty, z.string().optional()),
    AUTH_SERVER_DATA_DIR: z.preprocess(unsetIfEmpty, z.string().optional()),
  })
  .transform((env): AuthServerConfig => ({
    // Follows the port, so AUTH_SERVER_PORT alone still gives a discovery document whose URLs all match.
    issuer: env.AUTH_SERVER_ISSUER ?? `http://localhost:${env.AUTH_SERVER_PORT}/`,
    port: env.AUTH_SERVER_PORT,
    host: env.AUTH_SERVER_HOST,
    tenantFile: env.AUTH_SERVER_TENANT_FILE,
    dataDir: env.AUTH_SERVER_DATA_DIR,
  }));

/** Hosts that listen on every interface: then the issuer's port may differ (a container's published port). */
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Reads the auth server's settings from environment variables; every one has a local default (the issuer follows
 * the port). Warns when a local issuer names another port than the one the server listens on.
 * @throws ConfigError listing every bad variable.
 */
export function parseAuthServerConfig(
  env: Record<string, string | undefined>,
): ParsedConfig<AuthServerConfig> {
  const config = parseOrThrow(authServerEnvSchema, env, 'Auth server environment');
  const warnings: ConfigWarning[] = [...issuerWarnings('AUTH_SERVER_ISSUER', config.issuer)];
  const issuer = new URL(config.issuer);
  const issuerPort = Number(issuer.port || (issuer.protocol === 'https:' ? 443 : 80));
  if (isLocalHost(issuer.hostname) && !ALL_INTERFACES.has(config.host) && issuerPort !== config.port) {
    warnings.push({
      key: 'AUTH_SERVER_ISSUER',
      message: `AUTH_SERVER_ISSUER ${shown(config.issuer)} names port ${issuerPort}, but the server listens on ${config.port}: browsers and APIs will not reach the issuer. Set AUTH_SERVER_ISSUER=http://localhost:${config.port}/ or unset it.`,
    });
  }
  return { config, warnings };
}
