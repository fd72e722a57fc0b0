import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@sample/contract';
import type { Tenant, TenantM2mClient } from '../tenant/tenant';
import { loadTenant } from '../tenant/load-tenant';
import { TENANT_FILE } from '../testing/test-server';
import { DEMO_M2M_CLIENT_SECRET, parseSettings } from './settings';
import { applySettingsToTenant, m2mSecretFromSettings } from './tenant-overrides';

const OWN_SECRET = 'an-own-secret-of-32-characters!!';

const m2mSecrets = (tenant: Tenant) =>
  tenant.clients
    .filter((client): client is TenantM2mClient => client.type === 'm2m')
    .map((c) => c.clientSecret);

describe('applySettingsToTenant', () => {
  let dir: string;
  let tenant: Tenant;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-server-overrides-'));
    tenant = (await loadTenant(TENANT_FILE)).config;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const settings = (env: Record<string, string>) => parseSettings(env, dir).config;

  it('is the committed demo secret that the committed tenant file holds', () => {
    expect(m2mSecrets(tenant)).toEqual([DEMO_M2M_CLIENT_SECRET]);
  });

  it('leaves the tenant as it is by default, demo users listed', async () => {
    const applied = await applySettingsToTenant(tenant, settings({}), { create: true });
    expect(applied).toEqual(tenant);
    expect(applied.demoUsersOnLoginPage).toBe(true);
  });

  it('replaces the M2M secret with AUTH_SERVER_M2M_CLIENT_SECRET', async () => {
    const applied = await applySettingsToTenant(
      tenant,
      settings({ AUTH_SERVER_M2M_CLIENT_SECRET: OWN_SECRET }),
      { create: true },
    );
    expect(m2mSecrets(applied)).toEqual([OWN_SECRET]);
  });

  describe('with AUTH_SERVER_ALLOW_REMOTE=true', () => {
    it('refuses the committed demo M2M secret, saying how to set a real one', async () => {
      const error = await applySettingsToTenant(tenant, settings({ AUTH_SERVER_ALLOW_REMOTE: 'true' }), {
        create: true,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        {
          key: 'AUTH_SERVER_M2M_CLIENT_SECRET',
          message:
            'the M2M client "sample-m2m" has the demo secret committed in git, refused when others can reach the server: ' +
            'set AUTH_SERVER_M2M_CLIENT_SECRET to a secret of your own (e.g. from: openssl rand -base64 32), ' +
            'or AUTH_SERVER_M2M_CLIENT_SECRET_FILE to a file holding one (generated there if missing), ' +
            'or use a tenant file of your own (AUTH_SERVER_TENANT_FILE)',
        },
      ]);
    });

    it('lists no demo users on the login page, whatever the tenant file says', async () => {
      const applied = await applySettingsToTenant(
        { ...tenant, demoUsersOnLoginPage: true },
        settings({ AUTH_SERVER_ALLOW_REMOTE: 'true', AUTH_SERVER_M2M_CLIENT_SECRET: OWN_SECRET }),
        { create: true },
      );
      expect(applied.demoUsersOnLoginPage).toBe(false);
      expect(m2mSecrets(applied)).toEqual([OWN_SECRET]);
    });

    it('accepts a tenant file whose M2M secret is its own', async () => {
      const own: Tenant = {
        ...tenant,
        clients: tenant.clients.map((client) =>
          client.type === 'm2m' ? { ...client, clientSecret: OWN_SECRET } : client,
        ),
      };
      const applied = await applySettingsToTenant(own, settings({ AUTH_SERVER_ALLOW_REMOTE: 'true' }), {
        create: true,
      });
      expect(m2mSecrets(applied)).toEqual([OWN_SECRET]);
    });

    it('generates the secret file at first start, owner-readable only, and reuses it after', async () => {
      const env = { AUTH_SERVER_ALLOW_REMOTE: 'true', AUTH_SERVER_M2M_CLIENT_SECRET_FILE: 'secrets/m2m' };
      const first = await applySettingsToTenant(tenant, settings(env), { create: true });
      const file = join(dir, 'secrets/m2m');
      const [secret] = m2mSecrets(first);
      expect(secret).toMatch(/^[\w-]{43}$/);
      expect((await readFile(file, 'utf8')).trim()).toBe(secret);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const again = await applySettingsToTenant(tenant, settings(env), { create: true });
      expect(m2mSecrets(again)).toEqual([secret]);
    });
  });

  it('refuses a secret setting when the tenant has two M2M clients: which one would it be?', async () => {
    const m2m = tenant.clients.find((client) => client.type === 'm2m');
    const two: Tenant = {
      ...tenant,
      clients: [...tenant.clients, { ...(m2m as TenantM2mClient), clientId: 'second-m2m' }],
    };
    await expect(
      applySettingsToTenant(two, settings({ AUTH_SERVER_M2M_CLIENT_SECRET: OWN_SECRET }), { create: true }),
    ).rejects.toThrow(/has 2 \("sample-m2m", "second-m2m"\): unset it and give each client its own secret/);
  });
});

describe('m2mSecretFromSettings', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-server-secret-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('prefers AUTH_SERVER_M2M_CLIENT_SECRET to the file', async () => {
    await writeFile(join(dir, 'm2m'), 'a-secret-from-the-file-here');
    const settings = parseSettings(
      { AUTH_SERVER_M2M_CLIENT_SECRET: OWN_SECRET, AUTH_SERVER_M2M_CLIENT_SECRET_FILE: 'm2m' },
      dir,
    ).config;
    expect(await m2mSecretFromSettings(settings, { create: false })).toBe(OWN_SECRET);
  });

  it('reads the file without creating it when asked not to (the token CLI)', async () => {
    const settings = parseSettings({ AUTH_SERVER_M2M_CLIENT_SECRET_FILE: 'm2m' }, dir).config;
    expect(await m2mSecretFromSettings(settings, { create: false })).toBeUndefined();
    await writeFile(join(dir, 'm2m'), 'a-secret-from-the-file-here\n');
    expect(await m2mSecretFromSettings(settings, { create: false })).toBe('a-secret-from-the-file-here');
  });

  it('refuses a file holding a short secret, naming the setting', async () => {
    await writeFile(join(dir, 'm2m'), 'short');
    const settings = parseSettings({ AUTH_SERVER_M2M_CLIENT_SECRET_FILE: 'm2m' }, dir).config;
    await expect(m2mSecretFromSettings(settings, { create: true })).rejects.toThrow(
      `AUTH_SERVER_M2M_CLIENT_SECRET_FILE "${join(dir, 'm2m')}": must hold a secret of at least 16 characters (delete the file to have one generated)`,
    );
  });
});
