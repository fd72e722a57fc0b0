import { ConfigError, type ConfigWarning } from '@sample/contract';
import { startupBanner } from './banner';
import { DEMO_M2M_CLIENT_SECRET, parseSettings, type ServerSettings } from './config/settings';
import { applySettingsToTenant } from './config/tenant-overrides';
import { retireSigningKeys, rotateSigningKeys, startSigningKeys } from './keys/signing-keys';
import { withManagementApi } from './management-api/management-api';
import { longestTokenLifetimeSeconds } from './provider';
import { startAuthServer, type RunningAuthServer } from './server';
import { loadTenant } from './tenant/load-tenant';
import type { Tenant } from './tenant/tenant';

export interface MainIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Why the server could not listen, worded as the setting to change. */
const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: 'Another process uses the port: stop it, or set AUTH_SERVER_PORT.',
  EACCES: 'Ports below 1024 need privileges: set AUTH_SERVER_PORT to 1024 or more.',
  ENOTFOUND:
    'AUTH_SERVER_HOST is not a host name of this machine: use localhost, or 0.0.0.0 in a container (with AUTH_SERVER_ALLOW_REMOTE=true).',
  EADDRNOTAVAIL:
    'AUTH_SERVER_HOST is not an address of this machine: use localhost, or 0.0.0.0 in a container (with AUTH_SERVER_ALLOW_REMOTE=true).',
};

const processIo: MainIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

function printWarnings(io: MainIo, warnings: readonly ConfigWarning[]): void {
  for (const warning of warnings) io.err(`warning: ${warning.message}`);
}

/** Where the M2M client secret comes from, for the banner (never the secret itself). */
function m2mSecretFrom(settings: ServerSettings, fileTenant: Tenant): string {
  if (settings.m2mClientSecret !== undefined) return 'from AUTH_SERVER_M2M_CLIENT_SECRET';
  if (settings.m2mClientSecretFile !== undefined) return `in ${settings.m2mClientSecretFile}`;
  const demo = fileTenant.clients.some(
    (client) => client.type === 'm2m' && client.clientSecret === DEMO_M2M_CLIENT_SECRET,
  );
  return demo ? 'demo value in the tenant file' : 'in the tenant file';
}

/**
 * Runs the server; or with `--rotate-keys` adds a new signing key, with `--retire-keys` drops the keys whose tokens
 * have all expired (`--retire-keys --force`: every key but the newest), and exits.
 * @param now The clock of key retirement; injectable for tests.
 * @returns the running server, or an exit code (1 for a configuration problem, printed without a stack trace).
 */
export async function runCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: MainIo = processIo,
  now: () => Date = () => new Date(),
): Promise<RunningAuthServer | number> {
  try {
    const { config: settings, warnings } = parseSettings(env);
    printWarnings(io, warnings);
    const loaded = await loadTenant(settings.tenantFile);
    printWarnings(io, loaded.warnings);
    const policy = { lifetimeSeconds: longestTokenLifetimeSeconds(loaded.config), now };
    const retiredNote = (retired: readonly string[]) => {
      if (retired.length === 0) return;
      io.out(
        `Retired signing key(s) ${retired.join(', ')}: no longer published, every token they signed has expired.`,
      );
    };
    if (argv.includes('--rotate-keys')) {
      const { current, previous, retired } = await rotateSigningKeys(settings.dataDir, policy);
      retiredNote(retired);
      io.out(`New signing key ${current}; still published for verification: ${previous.join(', ')}.`);
      io.out('Restart the auth server to sign with it.');
      return 0;
    }
    if (argv.includes('--retire-keys')) {
      const force = argv.includes('--force');
      const { retired, kept } = await retireSigningKeys(settings.dataDir, { ...policy, force });
      if (force && retired.length > 0)
        io.out(`Retired signing key(s) ${retired.join(', ')}: tokens they signed stop verifying.`);
      else if (retired.length > 0) retiredNote(retired);
      else io.out('No signing key to retire.');
      for (const key of kept) {
        const until = key.retiresAt
          ? `until ${key.retiresAt.toISOString()}`
          : `until ${policy.lifetimeSeconds} s after a restarted server stops signing with it`;
        io.out(`Still published for verification: ${key.kid}, ${until}.`);
      }
      if (retired.length > 0) io.out('Restart the auth server to publish the smaller JWKS.');
      return 0;
    }
    const tenant = await applySettingsToTenant(loaded.config, settings, { create: true });
    const { keys, created, retired } = await startSigningKeys(settings.dataDir, policy);
    if (created) io.out(`Generated a signing key in ${settings.dataDir} (git-ignored).`);
    retiredNote(retired);
    const server = await startAuthServer({
      tenant,
      keys,
      dataDir: settings.dataDir,
      host: settings.host,
      port: settings.port,
      issuer: settings.issuer,
      allowedHosts: settings.allowedHosts,
    });
    io.out(
      startupBanner(
        server.issuer,
        `http://${settings.host}:${server.port}`,
        withManagementApi(tenant, server.issuer),
        keys,
        {
          m2mSecretFrom: m2mSecretFrom(settings, loaded.config),
          allowRemote: settings.allowRemote,
        },
      ),
    );
    return server;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 1;
    }
    const listenProblem = LISTEN_PROBLEMS[(error as NodeJS.ErrnoException).code ?? ''];
    if (
      listenProblem &&
      ['listen', 'bind', 'getaddrinfo'].includes((error as NodeJS.ErrnoException).syscall ?? '')
    ) {
      io.err(`Cannot listen: ${(error as Error).message}. ${listenProblem}`);
      return 1;
    }
    throw error;
  }
}
