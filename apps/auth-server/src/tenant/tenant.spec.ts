import { ConfigError } from '@sample/contract';
import { parseTenant } from './tenant';

const API = 'https://api.example.com';

type Loose = Record<string, unknown>;

/** A valid tenant, typed loosely so tests can break any part of it. */
function validTenant(): {
  $comment: string;
  apis: Loose[];
  clients: Loose[];
  roles: Loose[];
  users: Loose[];
} {
  return {
    $comment: 'demo values only',
    apis: [
      {
        name: 'API',
        identifier: API,
        scopes: ['read:messages', 'read:admin-messages'],
        tokenLifetimeSeconds: 600,
      },
    ],
    clients: [
      {
        type: 'spa',
        name: 'SPA',
        clientId: 'spa',
        callbackUrls: ['http://localhost:4200'],
        logoutUrls: ['http://localhost:4200'],
        webOrigins: ['http://localhost:4200'],
      },
      {
        type: 'm2m',
        name: 'M2M',
        clientId: 'm2m',
        clientSecret: 'demo-secret-0123456789',
        grants: { [API]: ['read:messages'] },
      },
    ],
    roles: [{ name: 'reader', permissions: { [API]: ['read:messages'] } }],
    users: [{ email: 'reader@example.com', password: 'demo', roles: ['reader'] }],
  };
}

function issuesOf(input: unknown): { key: string; message: string }[] {
  try {
    parseTenant(input, 'Tenant file test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error('expected a ConfigError');
}

describe('parseTenant', () => {
  it('accepts a complete tenant and fills the defaults', () => {
    const { config, warnings } = parseTenant(validTenant());
    expect(warnings).toEqual([]);
    expect(config.demoUsersOnLoginPage).toBe(true);
    expect(config.users[0]).toEqual({
      userId: undefined,
      email: 'reader@example.com',
      password: 'demo',
      name: 'reader@example.com',
      picture: undefined,
      roles: ['reader'],
    });
    expect(config.clients[1]).toEqual({
      type: 'm2m',
      name: 'M2M',
      clientId: 'm2m',
      clientSecret: 'demo-secret-0123456789',
      grants: { [API]: ['read:messages'] },
    });
  });

  it("takes an API's RBAC Settings, on with permissions in the token by default, as Auth0 does", () => {
    const tenant = validTenant();
    tenant.apis.push(
      { name: 'Off', identifier: 'https://off.example.com', scopes: [], rbac: { enabled: false } },
      {
        name: 'No claim',
        identifier: 'https://no-claim.example.com',
        scopes: [],
        rbac: { addPermissionsToAccessToken: false },
      },
    );
    expect(parseTenant(tenant).config.apis.map((api) => api.rbac)).toEqual([
      { enabled: true, addPermissionsToAccessToken: true },
      { enabled: false, addPermissionsToAccessToken: true },
      { enabled: true, addPermissionsToAccessToken: false },
    ]);
  });

  it('names a bad RBAC setting by its path', () => {
    const tenant = validTenant();
    tenant.apis[0] = { ...tenant.apis[0], rbac: { enabled: 'no', addPermissions: true } };
    expect(issuesOf(tenant).map((issue) => issue.message)).toEqual([
      'apis[0].rbac.enabled: must be a boolean (got "no")',
      'apis[0].rbac.addPermissions: unknown field (check its spelling)',
    ]);
  });

  describe("an API's sender constraining (proofOfPossession) and the tenant's DPoP settings", () => {
    it('takes DPoP, allowed or required, and no nonces by default', () => {
      const tenant = validTenant();
      tenant.apis.push(
        {
          name: 'Allowed',
          identifier: 'https://allowed.example.com',
          scopes: [],
          proofOfPossession: { mechanism: 'dpop' },
        },
        {
          name: 'Required',
          identifier: 'https://required.example.com',
          scopes: [],
          proofOfPossession: { mechanism: 'dpop', required: true },
        },
      );
      const { config } = parseTenant(tenant);
      expect(config.apis.map((api) => api.proofOfPossession)).toEqual([
        undefined,
        { mechanism: 'dpop', required: false },
        { mechanism: 'dpop', required: true },
      ]);
      expect(config.dpop).toEqual({ requireNonce: false });
      expect(parseTenant({ ...tenant, dpop: { requireNonce: true } }).config.dpop).toEqual({
        requireNonce: true,
      });
    });

    it('says mTLS is not supported here, and names other bad values by their path', () => {
      const tenant = validTenant();
      tenant.apis[0] = { ...tenant.apis[0], proofOfPossession: { mechanism: 'mtls', required: true } };
      tenant.apis.push({
        name: 'Typo',
        identifier: 'https://typo.example.com',
        scopes: [],
        proofOfPossession: { mechanism: 'DPoP', required: 'yes' },
      });
      expect(issuesOf({ ...tenant, dpop: { requireNonces: true } }).map((issue) => issue.message)).toEqual([
        'dpop.requireNonces: unknown field (check its spelling)',
        'apis[0].proofOfPossession.mechanism: must be "dpop": mTLS sender constraining needs client certificates, which this development server does not support',
        'apis[1].proofOfPossession.mechanism: must be "dpop" (got "DPoP")',
        'apis[1].proofOfPossession.required: must be a boolean (got "yes")',
      ]);
    });
  });

  it('names the path, the field and the bad value', () => {
    const tenant = validTenant();
    tenant.clients[0] = { ...tenant.clients[0], callbackUrls: ['localhost:4200'] };
    expect(issuesOf(tenant)).toEqual([
      {
        key: 'clients[0].callbackUrls[0]',
        message:
          'clients[0].callbackUrls[0]: must be an absolute http(s) URL without a fragment, like http://localhost:4200 (got "localhost:4200")',
      },
    ]);
  });

  it('reports every problem at once, field errors and broken references together', () => {
    const tenant = validTenant();
    tenant.apis[0] = { ...tenant.apis[0], tokenLifetimeSeconds: 0 };
    tenant.clients[0] = { ...tenant.clients[0], webOrigins: ['http://localhost:4200/'] };
    tenant.roles[0] = {
      name: 'reader',
      permissions: { [API]: ['write:messages'], 'https://nope.example.com': [] },
    };
    tenant.users[0] = { ...tenant.users[0], roles: ['raeder'] };
    const keys = issuesOf(tenant).map((issue) => issue.key);
    expect(keys).toEqual([
      'apis[0].tokenLifetimeSeconds',
      'clients[0].webOrigins[0]',
      'roles[0].permissions["https://api.example.com"][0]',
      'roles[0].permissions["https://nope.example.com"]',
      'users[0].roles[0]',
    ]);
  });

  it('explains broken references with what is defined', () => {
    const tenant = validTenant();
    tenant.users[0] = { ...tenant.users[0], roles: ['admin'] };
    expect(issuesOf(tenant)[0]?.message).toBe(
      'users[0].roles[0]: role "admin" is not defined in roles (defined: "reader")',
    );
  });

  describe('the built-in Management API, named "{issuer}api/v2/"', () => {
    it('may be granted to an M2M client with its own scopes', () => {
      const tenant = validTenant();
      tenant.clients[1] = {
        ...tenant.clients[1],
        grants: { '{issuer}api/v2/': ['read:users', 'update:users', 'update:users_app_metadata'] },
      };
      const client = parseTenant(tenant).config.clients[1];
      expect(client?.type === 'm2m' && client.grants).toEqual({
        '{issuer}api/v2/': ['read:users', 'update:users', 'update:users_app_metadata'],
      });
    });

    it('names a scope it does not define', () => {
      const tenant = validTenant();
      tenant.clients[1] = { ...tenant.clients[1], grants: { '{issuer}api/v2/': ['delete:users'] } };
      expect(issuesOf(tenant)[0]?.message).toMatch(
        /^clients\[1\]\.grants\["\{issuer\}api\/v2\/"\]\[0\]: permission "delete:users" is not defined by API "\{issuer\}api\/v2\/" \(defined: read:current_user, .*, update:users_app_metadata\)$/,
      );
    });

    it('cannot be granted to a role: users get current_user scopes only', () => {
      const tenant = validTenant();
      tenant.roles[0] = { name: 'reader', permissions: { '{issuer}api/v2/': ['read:users'] } };
      expect(issuesOf(tenant)[0]?.message).toContain(
        'roles[0].permissions["{issuer}api/v2/"]: the Management API cannot be granted to roles',
      );
    });

    it('is named in the message for an undefined API', () => {
      const tenant = validTenant();
      tenant.clients[1] = { ...tenant.clients[1], grants: { 'https://nope.example.com': [] } };
      expect(issuesOf(tenant)[0]?.message).toBe(
        'clients[1].grants["https://nope.example.com"]: API "https://nope.example.com" is not defined in apis (defined: "https://api.example.com"; the Management API is "{issuer}api/v2/")',
      );
    });
  });

  it('rejects unknown fields, so a misspelt field is not silently ignored', () => {
    const tenant = validTenant();
    Object.assign(tenant.clients[0] as object, { callbackUrl: 'http://localhost:4200' });
    expect(issuesOf(tenant)).toEqual([
      {
        key: 'clients[0].callbackUrl',
        message: 'clients[0].callbackUrl: unknown field (check its spelling)',
      },
    ]);
  });

  it('rejects duplicate ids, emails case-insensitively', () => {
    const tenant = validTenant();
    tenant.users.push({ email: 'Reader@Example.com', password: 'x', roles: [] });
    expect(issuesOf(tenant)[0]?.message).toBe(
      'users[1].email: duplicate email "Reader@Example.com" (already used at users[0])',
    );
  });

  it('rejects an unknown client type and a missing section', () => {
    const tenant: Loose = validTenant();
    tenant['clients'] = [{ type: 'native', clientId: 'x' }];
    delete tenant['apis'];
    expect(issuesOf(tenant).map((issue) => issue.message)).toEqual([
      'apis: is required',
      'clients[0].type: must be "spa" or "m2m" (got "native")',
    ]);
  });

  it('says what the file must contain when it is not an object', () => {
    expect(issuesOf([])).toEqual([
      {
        key: '(file)',
        message: '(file): the file must contain a JSON object with apis, clients, roles and users (got [])',
      },
    ]);
  });

  it('warns about 127.0.0.1, which breaks silent authentication', () => {
    const tenant = validTenant();
    tenant.clients[0] = { ...tenant.clients[0], webOrigins: ['http://127.0.0.1:4200'] };
    expect(parseTenant(tenant).warnings.map((warning) => warning.key)).toEqual(['clients[0].webOrigins[0]']);
  });
});
