import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, LOCAL_TENANT, Permission } from '@sample/contract';
import { TENANT_FILE } from '../testing/test-server';
import { loadTenant } from './load-tenant';

describe('loadTenant', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-server-tenant-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const write = async (name: string, text: string) => {
    const file = join(dir, name);
    await writeFile(file, text);
    return file;
  };

  describe('the committed tenant file', () => {
    it('is valid and uses the ids of the contract defaults, so npm start needs no setup', async () => {
      const { config: tenant, warnings } = await loadTenant(TENANT_FILE);
      expect(warnings).toEqual([]);
      expect(tenant.apis.map((api) => api.identifier)).toEqual([
        LOCAL_TENANT.apiAudience,
        'https://dpop-api.sample.local',
        LOCAL_TENANT.otherApiAudience,
        LOCAL_TENANT.shortLivedApiAudience,
        'https://rbac-off-api.sample.local',
      ]);
      // DPoP: allowed for the Sample API (one SPA build works with and without it), required for the DPoP API.
      expect(tenant.apis.map((api) => [api.identifier, api.proofOfPossession])).toEqual(
        expect.arrayContaining([
          [LOCAL_TENANT.apiAudience, { mechanism: 'dpop', required: false }],
          ['https://dpop-api.sample.local', { mechanism: 'dpop', required: true }],
        ]),
      );
      expect(tenant.dpop).toEqual({ requireNonce: false });
      // The Sample API keeps RBAC on (users are authorized by permissions); the lab's extra API has it off.
      expect(tenant.apis.map((api) => [api.identifier, api.rbac])).toEqual(
        expect.arrayContaining([
          [LOCAL_TENANT.apiAudience, { enabled: true, addPermissionsToAccessToken: true }],
          ['https://rbac-off-api.sample.local', { enabled: false, addPermissionsToAccessToken: false }],
        ]),
      );
      // The RBAC-off API defines Sample API permissions (not necessarily every later one), read:admin-messages
      // among them: its tokens carry in scope a permission the Sample API requires, without granting it.
      const sample = tenant.apis.find((api) => api.identifier === LOCAL_TENANT.apiAudience);
      const rbacOff = tenant.apis.find((api) => api.identifier === 'https://rbac-off-api.sample.local');
      expect(rbacOff?.scopes).toContain(Permission.ReadAdminMessages);
      expect(sample?.scopes).toEqual(expect.arrayContaining([...(rbacOff?.scopes ?? [])]));
      const spa = tenant.clients.find((client) => client.clientId === LOCAL_TENANT.spaClientId);
      expect(spa).toMatchObject({
        type: 'spa',
        callbackUrls: expect.arrayContaining([LOCAL_TENANT.webOrigin]),
      });
      expect(spa).toMatchObject({ webOrigins: expect.arrayContaining([LOCAL_TENANT.webOrigin]) });
      expect(tenant.clients.find((client) => client.clientId === LOCAL_TENANT.m2mClientId)?.type).toBe('m2m');
      expect(tenant.users.map((user) => [user.email, user.roles])).toEqual([
        [LOCAL_TENANT.users.admin, ['admin']],
        [LOCAL_TENANT.users.reader, ['reader']],
        [LOCAL_TENANT.users.guest, []],
      ]);
      expect(
        tenant.apis.find((api) => api.identifier === LOCAL_TENANT.shortLivedApiAudience)
          ?.tokenLifetimeSeconds,
      ).toBe(2);
    });

    it('marks every secret as a demo value', async () => {
      const { config: tenant } = await loadTenant(TENANT_FILE);
      for (const user of tenant.users) expect(user.password).toMatch(/^demo-/);
      for (const client of tenant.clients)
        if (client.type === 'm2m') expect(client.clientSecret).toMatch(/^demo-/);
    });
  });

  it('names a missing file', async () => {
    const file = join(dir, 'missing.json');
    await expect(loadTenant(file)).rejects.toThrow(
      `Tenant file ${file} is invalid (1 problem):\n  - cannot read it: the file does not exist`,
    );
  });

  it('names a file that is not JSON', async () => {
    const file = await write('broken.json', '{ "apis": [ }');
    await expect(loadTenant(file)).rejects.toThrow(/it is not valid JSON/);
  });

  it('lists every schema problem with its path', async () => {
    const file = await write(
      'bad.json',
      JSON.stringify({ apis: [], clients: [], users: [{ email: 'nope', password: 'x' }] }),
    );
    const error = await loadTenant(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `Tenant file ${file} is invalid (1 problem):\n  - users[0].email: must be an email address (got "nope")`,
    );
  });
});
