import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, shown } from '@sample/contract';
import type { Tenant } from '../tenant/tenant';
import { DEMO_M2M_CLIENT_SECRET, type ServerSettings } from './settings';

const SECRET_FILE = 'AUTH_SERVER_M2M_CLIENT_SECRET_FILE';
const MIN_SECRET_LENGTH = 16;

function secretFileProblem(file: string, message: string): ConfigError {
  return new ConfigError('Auth server M2M client secret', [
    { key: SECRET_FILE, message: `${SECRET_FILE} ${shown(file)}: ${message}` },
  ]);
}

/**
 * The M2M client secret the settings give: AUTH_SERVER_M2M_CLIENT_SECRET, else the content of
 * AUTH_SERVER_M2M_CLIENT_SECRET_FILE (with `create`, a random one is written there, owner-readable only, when the
 * file does not exist yet).
 * @returns undefined when neither is set, or when the file does not exist and `create` is false.
 * @throws ConfigError when the file cannot be read or written, or holds less than 16 characters.
 */
export async function m2mSecretFromSettings(
  settings: ServerSettings,
  { create }: { create: boolean },
): Promise<string | undefined> {
  if (settings.m2mClientSecret !== undefined) return settings.m2mClientSecret;
  const file = settings.m2mClientSecretFile;
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw secretFileProblem(file, `cannot be read (${(error as NodeJS.ErrnoException).code})`);
    if (!create) return undefined;
    const secret = randomBytes(32).toString('base64url');
    try {
      await mkdir(dirname(file), { recursive: true });
      // `wx`: never overwrite a secret another process wrote meanwhile.
      await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    } catch (writeError) {
      throw secretFileProblem(
        file,
        `cannot be written (${(writeError as NodeJS.ErrnoException).code}): point it at a writable place`,
      );
    }
    return secret;
  }
  const secret = text.trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw secretFileProblem(
      file,
      `must hold a secret of at least ${MIN_SECRET_LENGTH} characters (delete the file to have one generated)`,
    );
  }
  return secret;
}

/**
 * The tenant as this server runs it. The settings' M2M secret replaces the secret of the tenant's M2M client; with
 * AUTH_SERVER_ALLOW_REMOTE the login page lists no demo users and the committed demo M2M secret is refused.
 * @param create Generate the secret file when missing (the server does; the token CLI only reads it).
 * @throws ConfigError naming the setting to change.
 */
export async function applySettingsToTenant(
  tenant: Tenant,
  settings: ServerSettings,
  { create }: { create: boolean },
): Promise<Tenant> {
  const m2m = tenant.clients.filter((client) => client.type === 'm2m');
  const wanted = settings.m2mClientSecret !== undefined || settings.m2mClientSecretFile !== undefined;
  if (wanted && m2m.length > 1) {
    throw new ConfigError(`Tenant file ${settings.tenantFile}`, [
      {
        key: settings.m2mClientSecret !== undefined ? 'AUTH_SERVER_M2M_CLIENT_SECRET' : SECRET_FILE,
        message: `AUTH_SERVER_M2M_CLIENT_SECRET(_FILE) replaces the secret of the tenant's one M2M client, but it has ${m2m.length} (${m2m.map((client) => shown(client.clientId)).join(', ')}): unset it and give each client its own secret in the tenant file`,
      },
    ]);
  }
  const secret = m2m.length === 1 && wanted ? await m2mSecretFromSettings(settings, { create }) : undefined;
  const clients = tenant.clients.map((client) =>
    client.type === 'm2m' && secret !== undefined ? { ...client, clientSecret: secret } : client,
  );
  if (!settings.allowRemote) return { ...tenant, clients };

  const demo = clients.filter(
    (client) => client.type === 'm2m' && client.clientSecret === DEMO_M2M_CLIENT_SECRET,
  );
  if (demo.length > 0) {
    throw new ConfigError(`Tenant file ${settings.tenantFile} with AUTH_SERVER_ALLOW_REMOTE=true`, [
      {
        key: 'AUTH_SERVER_M2M_CLIENT_SECRET',
        message:
          `the M2M client ${demo.map((client) => shown(client.clientId)).join(', ')} has the demo secret committed in git, refused when others can reach the server: ` +
          'set AUTH_SERVER_M2M_CLIENT_SECRET to a secret of your own (e.g. from: openssl rand -base64 32), ' +
          `or ${SECRET_FILE} to a file holding one (generated there if missing), or use a tenant file of your own (AUTH_SERVER_TENANT_FILE)`,
      },
    ]);
  }
  // The demo passwords are public in git: never advertise them where others can open the page.
  return { ...tenant, clients, demoUsersOnLoginPage: false };
}
