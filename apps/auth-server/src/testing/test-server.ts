import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tenant } from '../tenant/tenant';
import { loadOrCreateSigningKeys } from '../keys/signing-keys';
import type { RateLimitOptions } from '../management-api/rate-limit';
import { startAuthServer, type RunningAuthServer } from '../server';
import { loadTenant } from '../tenant/load-tenant';
import { REDIRECT_URI } from './spa-client';

/** The committed demo tenant file. */
export const TENANT_FILE = fileURLToPath(new URL('../../tenant.json', import.meta.url));

export interface TestServer extends RunningAuthServer {
  readonly tenant: Tenant;
  readonly dataDir: string;
  /** An absolute URL on this server. */
  url(path: string): string;
  /** Stops the server and removes its data folder. */
  stop(): Promise<void>;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'auth-server-test-'));
}

/** The committed tenant, with the test RP's callback URL added to the SPA client. */
export async function testTenant(): Promise<Tenant> {
  const tenant = (await loadTenant(TENANT_FILE)).config;
  return {
    ...tenant,
    clients: tenant.clients.map((client) =>
      client.type === 'spa' ? { ...client, callbackUrls: [...client.callbackUrls, REDIRECT_URI] } : client,
    ),
  };
}

/**
 * The permissions a tenant role grants on one API, in the order the API defines them (the order Auth0 puts them
 * in the token's `permissions`). Tests derive expected claims from it, so a new permission needs no test edit.
 */
export function grantedByRole(tenant: Tenant, roleName: string, apiIdentifier: string): string[] {
  const role = tenant.roles.find((candidate) => candidate.name === roleName);
  const api = tenant.apis.find((candidate) => candidate.identifier === apiIdentifier);
  if (!role || !api) throw new Error(`no role ${roleName} or API ${apiIdentifier} in the test tenant`);
  const granted = role.permissions[apiIdentifier] ?? [];
  return api.scopes.filter((scope) => granted.includes(scope));
}

/** Starts the real server on a free port with the committed tenant and a fresh, temporary data folder. */
export async function startTestServer(
  options: {
    dataDir?: string;
    tenant?: Tenant;
    now?: () => number;
    managementRateLimit?: RateLimitOptions;
  } = {},
): Promise<TestServer> {
  const tenant = options.tenant ?? (await testTenant());
  const dataDir = options.dataDir ?? (await makeDataDir());
  const { keys } = await loadOrCreateSigningKeys(dataDir);
  const server = await startAuthServer({
    tenant,
    keys,
    dataDir,
    host: 'localhost',
    ...(options.managementRateLimit && { managementRateLimit: options.managementRateLimit }),
    port: 0,
    ...(options.now && { now: options.now }),
    logError: () => undefined,
  });
  return {
    ...server,
    close: () => server.close(),
    tenant,
    dataDir,
    url: (path) => new URL(path, server.issuer).href,
    stop: async () => {
      await server.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
