import { ConfigError } from './config-error';
import { parseApiConfig } from './api-config';

const valid = {
  AUTH_ISSUER_URL: 'https://your-tenant.us.auth0.com/',
  AUTH_AUDIENCE: 'https://api.example.com',
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseApiConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((issue) => issue.message);
  }
  throw new Error('expected a ConfigError');
}

describe('parseApiConfig', () => {
  describe('valid environments', () => {
    it('applies every default', () => {
      const { config, warnings } = parseApiConfig(valid);
      expect(config).toEqual({
        issuerUrl: 'https://your-tenant.us.auth0.com/',
        audience: 'https://api.example.com',
        jwksUri: 'https://your-tenant.us.auth0.com/.well-known/jwks.json',
        port: 3000,
        corsOrigins: ['http://localhost:4200'],
        diagnostics: 'verbose',
        algorithms: ['RS256'],
        clockToleranceSeconds: 5,
        maxTokenLifetimeSeconds: 86400,
      });
      expect(warnings).toEqual([]);
    });

    it('keeps the issuer byte for byte and derives the JWKS URL with or without the trailing slash', () => {
      const withSlash = parseApiConfig({ ...valid, AUTH_ISSUER_URL: 'http://localhost:4000/' }).config;
      const withoutSlash = parseApiConfig({ ...valid, AUTH_ISSUER_URL: 'http://localhost:4000' }).config;
      expect(withSlash.issuerUrl).toBe('http://localhost:4000/');
      expect(withoutSlash.issuerUrl).toBe('http://localhost:4000');
      expect(withSlash.jwksUri).toBe('http://localhost:4000/.well-known/jwks.json');
      expect(withoutSlash.jwksUri).toBe('http://localhost:4000/.well-known/jwks.json');
    });

    it('keeps a path in the issuer when deriving the JWKS URL', () => {
      const { config } = parseApiConfig({ ...valid, AUTH_ISSUER_URL: 'https://login.example.com/tenant-a/' });
      expect(config.jwksUri).toBe('https://login.example.com/tenant-a/.well-known/jwks.json');
    });

    it('takes an explicit JWKS URL (an internal host) while iss stays public', () => {
      const { config } = parseApiConfig({
        ...valid,
        AUTH_JWKS_URI: 'http://auth-server:4000/.well-known/jwks.json',
      });
      expect(config.jwksUri).toBe('http://auth-server:4000/.well-known/jwks.json');
      expect(config.issuerUrl).toBe(valid.AUTH_ISSUER_URL);
    });

    it('reads PORT, a comma list of CORS origins and the algorithm list', () => {
      const { config } = parseApiConfig({
        ...valid,
        PORT: '8080',
        CORS_ORIGINS: 'http://localhost:4200, https://app.example.com',
        AUTH_ALGORITHMS: 'RS256,PS256',
        AUTH_CLOCK_TOLERANCE_SECONDS: '0',
        AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600',
      });
      expect(config.port).toBe(8080);
      expect(config.corsOrigins).toEqual(['http://localhost:4200', 'https://app.example.com']);
      expect(config.algorithms).toEqual(['RS256', 'PS256']);
      expect(config.clockToleranceSeconds).toBe(0);
      expect(config.maxTokenLifetimeSeconds).toBe(3600);
    });

    it('treats empty variables (from .env files) as unset', () => {
      const { config } = parseApiConfig({ ...valid, AUTH_JWKS_URI: '', PORT: ' ', CORS_ORIGINS: '' });
      expect(config.port).toBe(3000);
      expect(config.corsOrigins).toEqual(['http://localhost:4200']);
      expect(config.jwksUri).toBe('https://your-tenant.us.auth0.com/.well-known/jwks.json');
    });

    it('defaults diagnostics to minimal in production and honours an explicit level', () => {
      expect(parseApiConfig({ ...valid, NODE_ENV: 'production' }).config.diagnostics).toBe('minimal');
      expect(parseApiConfig({ ...valid, NODE_ENV: 'development' }).config.diagnostics).toBe('verbose');
      expect(
        parseApiConfig({ ...valid, NODE_ENV: 'production', AUTH_DIAGNOSTICS: 'verbose' }).config.diagnostics,
      ).toBe('verbose');
      expect(parseApiConfig({ ...valid, AUTH_DIAGNOSTICS: 'minimal' }).config.diagnostics).toBe('minimal');
    });
  });

  describe('invalid environments', () => {
    it('names a missing issuer and shows a good value', () => {
      expect(problems({ AUTH_AUDIENCE: 'x' })).toEqual([
        'AUTH_ISSUER_URL is required: set it, for example AUTH_ISSUER_URL=https://your-tenant.us.auth0.com/',
      ]);
    });

    it('rejects an issuer that is not an absolute URL, with the value it got', () => {
      expect(problems({ ...valid, AUTH_ISSUER_URL: 'your-tenant.us.auth0.com' })).toEqual([
        'AUTH_ISSUER_URL must be an absolute URL like https://your-tenant.us.auth0.com/ (got "your-tenant.us.auth0.com")',
      ]);
    });

    it('rejects an issuer with a query or a fragment, which no token carries', () => {
      expect(problems({ ...valid, AUTH_ISSUER_URL: 'https://x.auth0.com/?a=b' })).toEqual([
        'AUTH_ISSUER_URL must not have a query or fragment, like https://your-tenant.us.auth0.com/ (got "https://x.auth0.com/?a=b")',
      ]);
      expect(problems({ ...valid, AUTH_ISSUER_URL: 'https://x.auth0.com/#x' })).toHaveLength(1);
    });

    it('names a token lifetime cap out of range', () => {
      expect(problems({ ...valid, AUTH_MAX_TOKEN_LIFETIME_SECONDS: '10' })).toEqual([
        'AUTH_MAX_TOKEN_LIFETIME_SECONDS must be a whole number of seconds from 60 to 2592000, like 86400 (got "10")',
      ]);
    });

    it('rejects a non-http issuer scheme', () => {
      expect(problems({ ...valid, AUTH_ISSUER_URL: 'ftp://example.com/' })[0]).toContain(
        '(got "ftp://example.com/")',
      );
    });

    it('names a missing audience', () => {
      expect(problems({ AUTH_ISSUER_URL: valid.AUTH_ISSUER_URL })).toEqual([
        'AUTH_AUDIENCE is required: set it, for example AUTH_AUDIENCE=https://api.example.com',
      ]);
    });

    it('rejects a JWKS URI that is not an absolute URL', () => {
      expect(problems({ ...valid, AUTH_JWKS_URI: '/jwks.json' })).toEqual([
        'AUTH_JWKS_URI must be an absolute URL like https://your-tenant.us.auth0.com/.well-known/jwks.json (got "/jwks.json")',
      ]);
    });

    it.each(['0', '70000', 'abc', '3000.5'])('rejects PORT=%s', (value) => {
      expect(problems({ ...valid, PORT: value })).toEqual([
        `PORT must be a port number from 1 to 65535, like 3000 (got "${value}")`,
      ]);
    });

    it.each(['http://localhost:4200/', '*', 'localhost:4200', 'http://localhost:4200/app'])(
      'rejects the CORS origin %s',
      (origin) => {
        expect(problems({ ...valid, CORS_ORIGINS: `https://ok.example.com,${origin}` })).toEqual([
          `CORS_ORIGINS entry ${JSON.stringify(origin)} must be an origin like http://localhost:4200 (scheme, host and port; no path, no trailing slash, no "*")`,
        ]);
      },
    );

    it('rejects a CORS list with no origin in it', () => {
      expect(problems({ ...valid, CORS_ORIGINS: ' , ' })).toEqual([
        'CORS_ORIGINS must list at least one origin, like http://localhost:4200 (got " , ")',
      ]);
    });

    it('rejects an unknown diagnostics level', () => {
      expect(problems({ ...valid, AUTH_DIAGNOSTICS: 'loud' })).toEqual([
        'AUTH_DIAGNOSTICS must be "verbose" or "minimal" (got "loud")',
      ]);
    });

    it.each(['HS256', 'none', 'RS256,HS256', 'EdDSA', ','])('rejects AUTH_ALGORITHMS=%s', (value) => {
      expect(problems({ ...valid, AUTH_ALGORITHMS: value })).toEqual([
        `AUTH_ALGORITHMS must list asymmetric algorithms such as RS256 (Auth0's default), never "none" or HS* (got ${JSON.stringify(value)})`,
      ]);
    });

    it('rejects a clock tolerance out of range', () => {
      expect(problems({ ...valid, AUTH_CLOCK_TOLERANCE_SECONDS: '600' })).toEqual([
        'AUTH_CLOCK_TOLERANCE_SECONDS must be a whole number of seconds from 0 to 300, like 5 (got "600")',
      ]);
    });

    it('reports every bad variable at once', () => {
      const messages = problems({ AUTH_ISSUER_URL: 'nope', PORT: '-1', AUTH_DIAGNOSTICS: 'x' });
      expect(messages).toHaveLength(4);
      expect(messages.join('\n')).toMatch(
        /AUTH_ISSUER_URL[\s\S]*AUTH_AUDIENCE[\s\S]*PORT[\s\S]*AUTH_DIAGNOSTICS/,
      );
    });

    it('puts every problem in one readable message', () => {
      expect(() => parseApiConfig({})).toThrow(
        'API environment is invalid (2 problems):\n' +
          '  - AUTH_ISSUER_URL is required: set it, for example AUTH_ISSUER_URL=https://your-tenant.us.auth0.com/\n' +
          '  - AUTH_AUDIENCE is required: set it, for example AUTH_AUDIENCE=https://api.example.com',
      );
    });
  });

  describe('warnings', () => {
    it('warns about an Auth0 issuer without the trailing slash', () => {
      const { warnings } = parseApiConfig({ ...valid, AUTH_ISSUER_URL: 'https://your-tenant.us.auth0.com' });
      expect(warnings).toEqual([
        {
          key: 'AUTH_ISSUER_URL',
          message: expect.stringContaining('has no trailing slash') as string,
        },
      ]);
      expect(warnings[0]?.message).toContain('Use "https://your-tenant.us.auth0.com/"');
    });

    it('does not warn about a missing slash on a non-Auth0 issuer', () => {
      expect(parseApiConfig({ ...valid, AUTH_ISSUER_URL: 'http://localhost:4000' }).warnings).toEqual([]);
    });

    it('warns about plain http on a non-local issuer, not on localhost', () => {
      const remote = parseApiConfig({ ...valid, AUTH_ISSUER_URL: 'http://auth.example.com/' }).warnings;
      expect(remote.map((w) => w.message)).toEqual([
        expect.stringContaining('plain http on a non-local host'),
      ]);
      expect(parseApiConfig({ ...valid, AUTH_ISSUER_URL: 'http://localhost:4000/' }).warnings).toEqual([]);
    });

    it('warns about an audience that looks like an Auth0 client id', () => {
      const { warnings } = parseApiConfig({ ...valid, AUTH_AUDIENCE: 'aBcDeFgHiJkLmNoPqRsTuVwXyZ012345' });
      expect(warnings.map((w) => w.key)).toEqual(['AUTH_AUDIENCE']);
      expect(warnings[0]?.message).toContain('looks like an Auth0 client id');
    });

    it('warns about the /userinfo URL as audience', () => {
      const { warnings } = parseApiConfig({
        ...valid,
        AUTH_AUDIENCE: 'https://your-tenant.us.auth0.com/userinfo',
      });
      expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('is the /userinfo URL')]);
    });
  });
});
