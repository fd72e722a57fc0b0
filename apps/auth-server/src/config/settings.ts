import { resolve } from 'node:path';
import {
  LOCAL_TENANT,
  isLocalHost,
  issuerUrl,
  issuerWarnings,
  parseOrThrow,
  port,
  shown,
  unsetIfEmpty,
  type ConfigWarning,
  type ParsedConfig,
} from '@sample/contract';
import * as z from 'zod/mini';

/** The committed demo tenant, relative to the workspace root (where Nx runs every target). */
export const DEFAULT_TENANT_FILE = 'apps/auth-server/tenant.json';
/** Generated signing keys live here; `.data/` is git-ignored. */
export const DEFAULT_DATA_DIR = 'apps/auth-server/.data';

/** Settings of the local development authorization server, with files resolved to absolute paths. */
export interface ServerSettings {
  /** Public issuer URL; like Auth0's it ends with `/`. Tokens carry it as `iss`. */
  readonly issuer: string;
  /** Interface to listen on: `localhost` by default, `0.0.0.0` in a container. */
  readonly host: string;
  readonly port: number;
  /** The tenant definition file. */
  readonly tenantFile: string;
  /** Folder for generated signing keys (git-ignored). */
  readonly dataDir: string;
}

/** An optional string variable; empty counts as unset. */
const optionalString = z.pipe(unsetIfEmpty, z.optional(z.string()));

function envSchema(cwd: string) {
  return z.pipe(
    z.object({
      AUTH_SERVER_ISSUER: z.pipe(
        unsetIfEmpty,
        z.optional(
          issuerUrl('AUTH_SERVER_ISSUER', LOCAL_TENANT.issuer).check(
            z.refine((issuer: string) => issuer.endsWith('/'), {
              error: (issue) =>
                `AUTH_SERVER_ISSUER must end with "/" like an Auth0 issuer, e.g. ${LOCAL_TENANT.issuer} (got ${shown(issue.input)})`,
            }),
          ),
        ),
      ),
      AUTH_SERVER_PORT: port('AUTH_SERVER_PORT', 4000),
      AUTH_SERVER_HOST: optionalString,
      AUTH_SERVER_TENANT_FILE: optionalString,
      AUTH_SERVER_DATA_DIR: optionalString,
    }),
    z.transform((env): ServerSettings => ({
      // Follows the port, so AUTH_SERVER_PORT alone still gives a discovery document whose URLs all match.
      issuer: env.AUTH_SERVER_ISSUER ?? `http://localhost:${env.AUTH_SERVER_PORT}/`,
      host: env.AUTH_SERVER_HOST ?? 'localhost',
      port: env.AUTH_SERVER_PORT,
      tenantFile: resolve(cwd, env.AUTH_SERVER_TENANT_FILE ?? DEFAULT_TENANT_FILE),
      dataDir: resolve(cwd, env.AUTH_SERVER_DATA_DIR ?? DEFAULT_DATA_DIR),
    })),
  );
}

/** Hosts that listen on every interface: then the issuer's port may differ (a container's published port). */
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Reads the auth server's settings from environment variables; every one has a local default (the issuer follows
 * the port). Warns when a local issuer names another port than the one the server listens on.
 * @param cwd Relative file paths resolve against it: the workspace root under `nx serve`.
 * @throws ConfigError listing every bad variable.
 * @example const { config: settings, warnings } = parseSettings(process.env);
 */
export function parseSettings(
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): ParsedConfig<ServerSettings> {
  const config = parseOrThrow(envSchema(cwd), env, 'Auth server environment');
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
