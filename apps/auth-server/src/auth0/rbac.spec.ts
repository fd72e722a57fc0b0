import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import { LOCAL_TENANT, Permission } from '@sample/contract';
import type { Tenant } from '../tenant/tenant';
import { discoverM2m, logIn } from '../testing/spa-client';
import { startTestServer, testTenant, type TestServer } from '../testing/test-server';

const ALL_SCOPES = 'openid profile email read:messages read:admin-messages';
/** The committed tenant's API with Auth0's "Enable RBAC" off. */
const RBAC_OFF_API = 'https://rbac-off-api.sample.local';
/** Added for these tests: RBAC on, "Add Permissions in the Access Token" off. */
const NO_PERMISSIONS_API = 'https://no-permissions-claim-api.sample.local';

/** The committed tenant plus an API with RBAC on but no permissions claim, granted to the reader and the M2M client. */
async function tenantWithEveryMode(): Promise<Tenant> {
  const tenant = await testTenant();
  return {
    ...tenant,
    apis: [
      ...tenant.apis,
      {
        name: 'No permissions claim',
        identifier: NO_PERMISSIONS_API,
        scopes: ['read:messages', 'read:admin-messages'],
        tokenLifetimeSeconds: 600,
        rbac: { enabled: true, addPermissionsToAccessToken: false },
      },
    ],
    clients: tenant.clients.map((client) =>
      client.type === 'm2m'
        ? {
            ...client,
            grants: {
              ...client.grants,
              [NO_PERMISSIONS_API]: ['read:messages'],
              [RBAC_OFF_API]: ['read:messages'],
            },
          }
        : client,
    ),
    roles: tenant.roles.map((role) =>
      role.name === 'reader'
        ? { ...role, permissions: { ...role.permissions, [NO_PERMISSIONS_API]: ['read:messages'] } }
        : role,
    ),
  };
}

describe("an API's RBAC Settings (Auth0: Enable RBAC, Add Permissions in the Access Token)", () => {
  let server: TestServer;
  let verify: (token: string, audience: string) => Promise<JWTPayload>;

  beforeAll(async () => {
    server = await startTestServer({ tenant: await tenantWithEveryMode() });
    const jwks = createRemoteJWKSet(new URL(server.url('.well-known/jwks.json')));
    verify = async (token, audience) =>
      (await jwtVerify(token, jwks, { issuer: server.issuer, audience })).payload;
  });
  afterAll(() => server.stop());

  const userToken = async (email: string, audience: string) => {
    const { tokens } = await logIn(server.issuer, email, { audience, scope: ALL_SCOPES });
    return verify(tokens.access_token, audience);
  };
  const m2mToken = async (audience: string) => {
    const { access_token } = await oidc.clientCredentialsGrant(await discoverM2m(server.issuer), {
      audience,
    });
    return verify(access_token, audience);
  };

  describe('RBAC on, permissions in the token (the Sample API)', () => {
    it("limits scope to the user's roles and lists the permissions", async () => {
      const claims = await userToken(LOCAL_TENANT.users.reader, LOCAL_TENANT.apiAudience);
      expect(claims['scope']).toBe('openid profile email read:messages');
      expect(claims['permissions']).toEqual([Permission.ReadMessages, Permission.EditProfile]);
    });

    it('lists the granted scopes as permissions in a client-credentials token', async () => {
      expect((await m2mToken(LOCAL_TENANT.apiAudience))['permissions']).toEqual(['read:messages']);
    });
  });

  describe('RBAC off', () => {
    it('grants every scope asked for that the API defines, whatever the roles, and no permissions claim', async () => {
      for (const user of [LOCAL_TENANT.users.guest, LOCAL_TENANT.users.reader]) {
        const claims = await userToken(user, RBAC_OFF_API);
        expect(claims['scope']).toBe(ALL_SCOPES);
        expect(claims).not.toHaveProperty('permissions');
      }
    });

    it('grants only scopes the API defines', async () => {
      const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.guest, {
        audience: RBAC_OFF_API,
        scope: 'openid read:messages write:everything',
      });
      expect((await verify(tokens.access_token, RBAC_OFF_API))['scope']).toBe('openid read:messages');
    });

    it('gives a client-credentials token its client grant in scope, and no permissions claim', async () => {
      const claims = await m2mToken(RBAC_OFF_API);
      expect(claims).toMatchObject({ scope: 'read:messages', gty: 'client-credentials' });
      expect(claims).not.toHaveProperty('permissions');
    });
  });

  describe('RBAC on, no permissions in the token', () => {
    it("limits scope to the user's roles, with no permissions claim", async () => {
      const reader = await userToken(LOCAL_TENANT.users.reader, NO_PERMISSIONS_API);
      expect(reader['scope']).toBe('openid profile email read:messages');
      expect(reader).not.toHaveProperty('permissions');
      const guest = await userToken(LOCAL_TENANT.users.guest, NO_PERMISSIONS_API);
      expect(guest['scope']).toBe('openid profile email');
      expect(guest).not.toHaveProperty('permissions');
    });

    it('gives a client-credentials token no permissions claim', async () => {
      const claims = await m2mToken(NO_PERMISSIONS_API);
      expect(claims['scope']).toBe('read:messages');
      expect(claims).not.toHaveProperty('permissions');
    });
  });
});
