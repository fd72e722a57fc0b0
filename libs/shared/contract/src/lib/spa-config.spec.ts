import { ConfigError } from './config-error';
import { DEFAULT_SPA_SCOPE } from './permissions';
import { parseSpaConfig } from './spa-config';

const valid = {
  domain: 'your-tenant.us.auth0.com',
  clientId: 'aBcDeFgHiJkLmNoPqRsTuVwXyZ012345',
  audience: 'https://api.example.com',
  apiUrl: 'https://api.example.com/',
};

function problems(json: unknown): string[] {
  try {
    parseSpaConfig(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^\/config\.json is invalid/);
    return (error as ConfigError).issues.map((issue) => issue.message);
  }
  throw new Error('expected a ConfigError');
}

describe('parseSpaConfig domain and issuer', () => {
  it('accepts a tenant domain pasted with a trailing slash, and drops it', () => {
    const { config } = parseSpaConfig({ ...valid, domain: 'your-tenant.us.auth0.com/' });
    expect(config).toMatchObject({
      domain: 'your-tenant.us.auth0.com',
      issuer: 'https://your-tenant.us.auth0.com/',
    });
  });

  it('names a scope that is not a string', () => {
    expect(problems({ ...valid, scope: ['openid'] })).toEqual([
      `scope must be a space-delimited string like ${JSON.stringify(DEFAULT_SPA_SCOPE)} (got ["openid"])`,
    ]);
  });

  it('turns a bare tenant domain into its https issuer with the trailing slash', () => {
    expect(parseSpaConfig(valid).config.issuer).toBe('https://your-tenant.us.auth0.com/');
  });

  it('keeps the scheme and port of a full URL', () => {
    expect(parseSpaConfig({ ...valid, domain: 'http://localhost:4000' }).config.issuer).toBe(
      'http://localhost:4000/',
    );
  });
});

describe('parseSpaConfig', () => {
  it('accepts an Auth0 tenant config and fills the defaults', () => {
    expect(parseSpaConfig(valid)).toEqual({
      config: {
        domain: 'your-tenant.us.auth0.com',
        issuer: 'https://your-tenant.us.auth0.com/',
        clientId: valid.clientId,
        audience: 'https://api.example.com',
        scope: DEFAULT_SPA_SCOPE,
        apiUrl: 'https://api.example.com',
        useRefreshTokens: false,
        useDpop: false,
      },
      warnings: [],
    });
  });

  it('accepts the local auth server as a full URL and strips a trailing slash', () => {
    const { config, warnings } = parseSpaConfig({ ...valid, domain: 'http://localhost:4000/' });
    expect(config.domain).toBe('http://localhost:4000');
    expect(config.issuer).toBe('http://localhost:4000/');
    expect(warnings).toEqual([]);
  });

  it('normalises the scope and keeps explicit flags', () => {
    const { config } = parseSpaConfig({
      ...valid,
      scope: '  openid   profile read:messages ',
      useRefreshTokens: true,
      useDpop: true,
    });
    expect(config.scope).toBe('openid profile read:messages');
    expect(config.useRefreshTokens).toBe(true);
    expect(config.useDpop).toBe(true);
  });

  it('rejects something that is not an object', () => {
    expect(problems('hello')).toEqual(['config.json must be a JSON object (got "hello")']);
  });

  it('names every missing field at once', () => {
    expect(problems({})).toEqual([
      'domain is required: set it, for example domain=your-tenant.us.auth0.com',
      "clientId is required: set it, for example clientId=the SPA application's Client ID",
      'audience is required: set it, for example audience=https://api.example.com (the API identifier)',
      'apiUrl is required: set it, for example apiUrl=http://localhost:3000',
    ]);
  });

  it.each(['https://your-tenant.us.auth0.com/path', 'not a domain', 'ftp://x.example.com'])(
    'rejects the domain %s',
    (domain) => {
      expect(problems({ ...valid, domain })).toEqual([
        `domain must be a tenant domain like your-tenant.us.auth0.com or a URL like http://localhost:4000, with no path (got ${JSON.stringify(domain)})`,
      ]);
    },
  );

  it('rejects a relative apiUrl', () => {
    expect(problems({ ...valid, apiUrl: '/api' })).toEqual([
      'apiUrl must be an absolute URL like http://localhost:3000 (got "/api")',
    ]);
  });

  it('rejects a scope without openid', () => {
    expect(problems({ ...valid, scope: 'read:messages' })).toEqual([
      `scope must include "openid", like ${JSON.stringify(DEFAULT_SPA_SCOPE)} (got "read:messages")`,
    ]);
  });

  it('rejects a flag that is not a boolean', () => {
    expect(problems({ ...valid, useDpop: 'on' })).toEqual(['useDpop must be true or false (got "on")']);
    expect(problems({ ...valid, useRefreshTokens: 'yes' })).toEqual([
      'useRefreshTokens must be true or false (got "yes")',
    ]);
  });

  it('rejects a clientId of the wrong type with the value it got', () => {
    expect(problems({ ...valid, clientId: 42 })).toEqual([
      `clientId must be a string like "the SPA application's Client ID" (got 42)`,
    ]);
  });

  describe('warnings', () => {
    it('warns when the audience is the client id', () => {
      const { warnings } = parseSpaConfig({ ...valid, audience: valid.clientId });
      expect(warnings).toEqual([
        { key: 'audience', message: expect.stringContaining('equals the client id') as string },
      ]);
    });

    it('warns when the audience is the /userinfo URL', () => {
      const { warnings } = parseSpaConfig({
        ...valid,
        audience: 'https://your-tenant.us.auth0.com/userinfo',
      });
      expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('is the /userinfo URL')]);
    });

    it('warns about plain http to a non-local domain', () => {
      const { warnings } = parseSpaConfig({ ...valid, domain: 'http://auth.example.com' });
      expect(warnings.map((w) => w.key)).toEqual(['domain']);
      expect(warnings[0]?.message).toContain('plain http on a non-local host');
    });
  });
});

describe('parseSpaConfig with empty strings', () => {
  it('reports an empty field once, as missing', () => {
    expect(() => parseSpaConfig({ ...valid, domain: '  ', apiUrl: '' })).toThrow(
      '/config.json is invalid (2 problems):\n' +
        '  - domain is required: set it, for example domain=your-tenant.us.auth0.com\n' +
        '  - apiUrl is required: set it, for example apiUrl=http://localhost:3000',
    );
  });
});

describe('parseSpaConfig and other members', () => {
  it("leaves the teaching layer's lab settings to its own parser", () => {
    const { config } = parseSpaConfig({
      ...valid,
      breakItLab: true,
      labOtherAudience: 'https://other-api.sample.local',
    });
    expect(Object.keys(config).sort()).toEqual(
      ['apiUrl', 'audience', 'clientId', 'domain', 'issuer', 'scope', 'useDpop', 'useRefreshTokens'].sort(),
    );
  });
});
