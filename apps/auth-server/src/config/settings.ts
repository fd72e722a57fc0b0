import { resolve } from 'node:path';
import type { AuthServerConfig } from '@sample/contract';

/** The committed demo tenant, relative to the workspace root (where Nx runs every target). */
export const DEFAULT_TENANT_FILE = 'apps/auth-server/tenant.json';
/** Generated signing keys live here; `.data/` is git-ignored. */
export const DEFAULT_DATA_DIR = 'apps/auth-server/.data';

/** Everything the server needs to start, with files resolved to absolute paths. */
export interface ServerSettings {
  readonly issuer: string;
  readonly host: string;
  readonly port: number;
  readonly tenantFile: string;
  readonly dataDir: string;
}

/**
 * Applies the app's defaults to the contract's environment settings.
 * @param cwd Relative paths resolve against it: the workspace root under `nx serve`.
 */
export function resolveSettings(config: AuthServerConfig, cwd = process.cwd()): ServerSettings {
  return {
    issuer: config.issuer,
    host: config.host,
    port: config.port,
    tenantFile: resolve(cwd, config.tenantFile ?? DEFAULT_TENANT_FILE),
    dataDir: resolve(cwd, config.dataDir ?? DEFAULT_DATA_DIR),
  };
}
