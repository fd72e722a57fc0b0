import { ConfigError, CURRENT_USER_SCOPES } from '@sample/contract';
import { testTenant } from '../testing/test-server';
import { managementApi, MANAGEMENT_API_PLACEHOLDER, withManagementApi } from './management-api';

const ISSUER = 'http://localhost:4000/';

describe('withManagementApi', () => {
  it('adds the Management API at <issuer>api/v2/, users limited to current_user scopes, no permissions claim', async () => {
    const tenant = withManagementApi(await testTenant(), ISSUER);
    expect(tenant.apis.at(-1)).toEqual({
      name: 'Auth0 Management API',
      identifier: 'http://localhost:4000/api/v2/',
      scopes: [...CURRENT_USER_SCOPES, 'read:users', 'update:users', 'update:users_app_metadata'],
      tokenLifetimeSeconds: 86_400,
      rbac: { enabled: false, addPermissionsToAccessToken: false },
      userScopes: CURRENT_USER_SCOPES,
    });
  });

  it(`gives the M2M grant named ${MANAGEMENT_API_PLACEHOLDER} the real identifier, other grants unchanged`, async () => {
    const tenant = withManagementApi(await testTenant(), 'https://auth.example.com/');
    const m2m = tenant.clients.find((client) => client.type === 'm2m');
    expect(m2m?.type === 'm2m' && m2m.grants).toEqual({
      'https://api.sample.local': ['read:messages'],
      'https://dpop-api.sample.local': ['read:messages'],
      'https://auth.example.com/api/v2/': ['read:users', 'update:users', 'update:users_app_metadata'],
    });
  });

  it('refuses a tenant file that defines an API with that identifier itself', async () => {
    const base = await testTenant();
    const tenant = { ...base, apis: [...base.apis, { ...managementApi(ISSUER), userScopes: undefined }] };
    expect(() => withManagementApi(tenant, ISSUER)).toThrow(ConfigError);
    expect(() => withManagementApi(tenant, ISSUER)).toThrow(
      'apis: "http://localhost:4000/api/v2/" is the built-in Management API of this issuer: remove it from apis and grant it to an M2M client as "{issuer}api/v2/"',
    );
  });
});
