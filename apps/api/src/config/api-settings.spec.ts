import { ConfigError } from '@sample/contract';
import { inspect } from 'node:util';
import { parseApiSettings, type ReadTextFile } from './api-settings';

const valid = {
  AUTH_ISSUER_URL: 'https://your-tenant.us.auth0.com/',
  AUTH_AUDIENCE: 'https://api.example.com',
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseApiSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((issue) => issue.message);
  }
  throw new Error('expected a ConfigError');
}

describe('parseApiSettings', () => {
  describe('valid environments', () => {
    it('applies every default', () => {
      const { config, warnings } = parseApiSettings(valid);
      expect(config).toEqual({
        issuerUrl: 'https://your-tenant.us.auth0.com/',
        audience: 'https://api.example.com',
        jwksUri: 'https://your-tenant.us.auth0.com/.well-known/jwks.json',
        port: 3000,
        corsOrigins: ['http://localhost:4200'],
        diagnostics: 'verbose',
        docs: 'ui',
        algorithms: ['RS256'],
        clockToleranceSeconds: 5,
        maxTokenLifetimeSeconds: 86400,
        jwksCooldownMs: 10_000,
        jwksTimeoutMs: 5_000,
        jwksMaxAgeMs: 600_000,
        logLevel: 'info',
        management: undefined,
        dpop: {
          mode: 'allowed',
          publicUrl: 'http://localhost:3000',
          algorithms: ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'PS256', 'RS256'],
          maxAgeSeconds: 60,
          nonce: false,
          nonceSecret: undefined,
          replayCacheSize: 100_000,
        },
      });
      expect(warnings).toEqual([]);
    });

    it('ignores variables it does not know (the whole process environment is passed)', () => {
      expect(parseApiSettings({ ...valid, HOME: '/root', PATH: '/bin' }).config).not.toHaveProperty('HOME');
    });

    it('keeps the issuer byte for byte and derives the JWKS URL with or without the trailing slash', () => {
      const withSlash = parseApiSettings({ ...valid, AUTH_ISSUER_URL: 'http://localhost:4000/' }).config;
      const withoutSlash = parseApiSettings({ ...valid, AUTH_ISSUER_URL: 'http://localhost:4000' }).config;
      expect(withSlash.issuerUrl).toBe('http://localhost:4000/');
      expect(withoutSlash.issuerUrl).toBe('http://localhost:4000');
      expect(withSlash.jwksUri).toBe('http://localhost:4000/.well-known/jwks.json');
      expect(withoutSlash.jwksUri).toBe('http://localhost:4000/.well-known/jwks.json');
    });

    it('keeps a path in the issuer when deriving the JWKS URL', () => {
      const { config } = parseApiSettings({
        ...valid,
        AUTH_ISSUER_URL: 'https://login.example.com/tenant-a/',
      });
      expect(config.jwksUri).toBe('https://login.example.com/tenant-a/.well-known/jwks.json');
    });

    it('takes an explicit JWKS URL (an internal host) while iss stays public', () => {
      const { config } = parseApiSettings({
        ...valid,
        AUTH_JWKS_URI: 'http://auth-server:4000/.well-known/jwks.json',
      });
      expect(config.jwksUri).toBe('http://auth-server:4000/.well-known/jwks.json');
      expect(config.issuerUrl).toBe(valid.AUTH_ISSUER_URL);
    });

    it('reads PORT, a comma list of CORS origins, the algorithm list and the token limits', () => {
      const { config } = parseApiSettings({
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

    it('reads the JWKS knobs and the log level', () => {
      const { config } = parseApiSettings({
        ...valid,
        AUTH_JWKS_COOLDOWN_MS: '250',
        AUTH_JWKS_TIMEOUT_MS: '1000',
        AUTH_JWKS_MAX_AGE_MS: '60000',
        LOG_LEVEL: 'silent',
      });
      expect(config).toMatchObject({
        jwksCooldownMs: 250,
        jwksTimeoutMs: 1000,
        jwksMaxAgeMs: 60_000,
        logLevel: 'silent',
      });
    });

    it('treats empty variables (from .env files) as unset', () => {
      const { config } = parseApiSettings({
        ...valid,
        AUTH_JWKS_URI: '',
        PORT: ' ',
        CORS_ORIGINS: '',
        AUTH_JWKS_TIMEOUT_MS: '',
        LOG_LEVEL: '',
      });
      expect(config.port).toBe(3000);
      expect(config.corsOrigins).toEqual(['http://localhost:4200']);
      expect(config.jwksUri).toBe('https://your-tenant.us.auth0.com/.well-known/jwks.json');
      expect(config.jwksTimeoutMs).toBe(5_000);
      expect(config.logLevel).toBe('info');
    });

    it('defaults diagnostics to minimal in production and honours an explicit level', () => {
      expect(parseApiSettings({ ...valid, NODE_ENV: 'production' }).config.diagnostics).toBe('minimal');
      expect(parseApiSettings({ ...valid, NODE_ENV: 'development' }).config.diagnostics).toBe('verbose');
      expect(
        parseApiSettings({ ...valid, NODE_ENV: 'production', AUTH_DIAGNOSTICS: 'verbose' }).config
          .diagnostics,
      ).toBe('verbose');
      expect(parseApiSettings({ ...valid, AUTH_DIAGNOSTICS: 'minimal' }).config.diagnostics).toBe('minimal');
    });

    it('serves the OpenAPI JSON without Swagger UI in production unless API_DOCS says otherwise', () => {
      const docs = (env: Record<string, string>) => parseApiSettings({ ...valid, ...env }).config.docs;
      expect(docs({ NODE_ENV: 'production' })).toBe('json');
      expect(docs({ NODE_ENV: 'development' })).toBe('ui');
      expect(docs({ NODE_ENV: 'production', API_DOCS: 'ui' })).toBe('ui');
      expect(docs({ API_DOCS: 'off' })).toBe('off');
      expect(docs({ NODE_ENV: 'production', API_DOCS: '' })).toBe('json');
    });

    it('takes a plain-http JWKS on loopback in production, and a remote one when AUTH_JWKS_ALLOW_HTTP=true', () => {
      const production = { ...valid, NODE_ENV: 'production' };
      expect(
        parseApiSettings({ ...production, AUTH_JWKS_URI: 'http://127.0.0.1:4000/.well-known/jwks.json' })
          .config.jwksUri,
      ).toBe('http://127.0.0.1:4000/.well-known/jwks.json');
      const compose = parseApiSettings({
        ...production,
        AUTH_ISSUER_URL: 'http://localhost:4000/',
        AUTH_JWKS_URI: 'http://auth-server:4000/.well-known/jwks.json',
        AUTH_JWKS_ALLOW_HTTP: 'true',
        API_PUBLIC_URL: 'http://localhost:3000',
      });
      expect(compose.config.jwksUri).toBe('http://auth-server:4000/.well-known/jwks.json');
      expect(compose.warnings).toEqual([]);
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

    it('refuses a plain-http JWKS on another host in production, explicit or derived from the issuer', () => {
      expect(
        problems({
          ...valid,
          NODE_ENV: 'production',
          AUTH_JWKS_URI: 'http://auth-server:4000/.well-known/jwks.json',
        }),
      ).toEqual([
        expect.stringMatching(
          /^AUTH_JWKS_URI "http:\/\/auth-server:4000\/.well-known\/jwks.json" is plain http to a host other than this machine: .* set AUTH_JWKS_ALLOW_HTTP=true/,
        ),
      ]);
      expect(
        problems({ ...valid, NODE_ENV: 'production', AUTH_ISSUER_URL: 'http://auth.example.com/' }),
      ).toEqual([expect.stringContaining('(derived from AUTH_ISSUER_URL) is plain http')]);
    });

    it('rejects an unknown API_DOCS and a non-boolean AUTH_JWKS_ALLOW_HTTP', () => {
      expect(problems({ ...valid, API_DOCS: 'true', AUTH_JWKS_ALLOW_HTTP: 'yes' })).toEqual([
        'API_DOCS must be "ui" (Swagger UI and the JSON), "json" (the JSON only) or "off" (got "true")',
        'AUTH_JWKS_ALLOW_HTTP must be "true" or "false" (got "yes")',
      ]);
    });

    it('rejects a clock tolerance and a token lifetime cap out of range', () => {
      expect(problems({ ...valid, AUTH_CLOCK_TOLERANCE_SECONDS: '600' })).toEqual([
        'AUTH_CLOCK_TOLERANCE_SECONDS must be a whole number of seconds from 0 to 300, like 5 (got "600")',
      ]);
      expect(problems({ ...valid, AUTH_MAX_TOKEN_LIFETIME_SECONDS: '10' })).toEqual([
        'AUTH_MAX_TOKEN_LIFETIME_SECONDS must be a whole number of seconds from 60 to 2592000, like 86400 (got "10")',
      ]);
    });

    it('rejects JWKS knobs out of range and an unknown log level', () => {
      expect(problems({ ...valid, AUTH_JWKS_TIMEOUT_MS: '5s', LOG_LEVEL: 'loud' })).toEqual([
        'AUTH_JWKS_TIMEOUT_MS must be a whole number of milliseconds from 100 to 30000, like 5000 (got "5s")',
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      ]);
      expect(problems({ ...valid, AUTH_JWKS_MAX_AGE_MS: '10' })).toEqual([
        'AUTH_JWKS_MAX_AGE_MS must be a whole number of milliseconds from 1000 to 86400000, like 600000 (got "10")',
      ]);
    });

    it('reports every bad variable at once, in one ConfigError', () => {
      let caught: unknown;
      try {
        parseApiSettings({ AUTH_ISSUER_URL: 'nope', PORT: '-1', AUTH_DIAGNOSTICS: 'x', LOG_LEVEL: 'loud' });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).issues.map((issue) => issue.key)).toEqual([
        'AUTH_ISSUER_URL',
        'AUTH_AUDIENCE',
        'PORT',
        'AUTH_DIAGNOSTICS',
        'LOG_LEVEL',
      ]);
    });

    it('puts every problem in one readable message', () => {
      expect(() => parseApiSettings({})).toThrow(
        'API environment is invalid (2 problems):\n' +
          '  - AUTH_ISSUER_URL is required: set it, for example AUTH_ISSUER_URL=https://your-tenant.us.auth0.com/\n' +
          '  - AUTH_AUDIENCE is required: set it, for example AUTH_AUDIENCE=https://api.example.com',
      );
    });
  });

  describe('warnings', () => {
    it('warns about an Auth0 issuer without the trailing slash', () => {
      const { warnings } = parseApiSettings({
        ...valid,
        AUTH_ISSUER_URL: 'https://your-tenant.us.auth0.com',
      });
      expect(warnings.map((w) => w.key)).toEqual(['AUTH_ISSUER_URL']);
      expect(warnings[0]?.message).toContain('has no trailing slash');
      expect(warnings[0]?.message).toContain('Use "https://your-tenant.us.auth0.com/"');
    });

    it('does not warn about a missing slash on a non-Auth0 issuer', () => {
      expect(parseApiSettings({ ...valid, AUTH_ISSUER_URL: 'http://localhost:4000' }).warnings).toEqual([]);
    });

    it('warns about plain http on a non-local issuer, not on localhost', () => {
      const remote = parseApiSettings({ ...valid, AUTH_ISSUER_URL: 'http://auth.example.com/' }).warnings;
      expect(remote.map((w) => w.message)).toEqual([
        expect.stringContaining('plain http on a non-local host'),
      ]);
      expect(parseApiSettings({ ...valid, AUTH_ISSUER_URL: 'http://localhost:4000/' }).warnings).toEqual([]);
    });

    it('warns about a plain-http JWKS URI on another host outside production, not on loopback', () => {
      const remote = parseApiSettings({
        ...valid,
        AUTH_JWKS_URI: 'http://keys.internal:8080/.well-known/jwks.json',
      }).warnings;
      expect(remote).toEqual([
        {
          key: 'AUTH_JWKS_URI',
          message: expect.stringContaining(
            'is plain http to a host other than this machine: whoever sits on the network path can swap the signing keys',
          ) as string,
        },
      ]);
      expect(
        parseApiSettings({ ...valid, AUTH_JWKS_URI: 'http://localhost:4000/.well-known/jwks.json' }).warnings,
      ).toEqual([]);
      expect(
        parseApiSettings({
          ...valid,
          AUTH_JWKS_URI: 'http://keys.internal:8080/.well-known/jwks.json',
          AUTH_JWKS_ALLOW_HTTP: 'true',
        }).warnings,
      ).toEqual([]);
    });

    it('warns about an audience that looks like an Auth0 client id, and about the /userinfo URL', () => {
      const clientId = parseApiSettings({ ...valid, AUTH_AUDIENCE: 'aBcDeFgHiJkLmNoPqRsTuVwXyZ012345' });
      expect(clientId.warnings.map((w) => w.key)).toEqual(['AUTH_AUDIENCE']);
      expect(clientId.warnings[0]?.message).toContain('looks like an Auth0 client id');
      const userinfo = parseApiSettings({
        ...valid,
        AUTH_AUDIENCE: 'https://your-tenant.us.auth0.com/userinfo',
      });
      expect(userinfo.warnings.map((w) => w.message)).toEqual([
        expect.stringContaining('is the /userinfo URL'),
      ]);
    });
  });

  describe('Management API client (MANAGEMENT_*)', () => {
    const SECRET = 'a-client-secret-of-some-length';
    const withClient = { ...valid, MANAGEMENT_CLIENT_ID: 'm2m-client-id' };
    /** A file reader that serves `files`, else fails like the file system would. */
    const files =
      (contents: Record<string, string>, code = 'ENOENT'): ReadTextFile =>
      (path) => {
        const text = contents[path];
        if (text === undefined) throw Object.assign(new Error(`${code}: ${path}`), { code });
        return text;
      };
    const managementProblems = (env: Record<string, string>, read: ReadTextFile = files({})) => {
      try {
        parseApiSettings(env, read);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).issues.map((issue) => issue.message);
      }
      throw new Error('expected a ConfigError');
    };

    it('is off without MANAGEMENT_CLIENT_ID, and says so when a secret is set anyway', () => {
      expect(parseApiSettings(valid).config.management).toBeUndefined();
      const { config, warnings } = parseApiSettings({ ...valid, MANAGEMENT_CLIENT_SECRET: SECRET });
      expect(config.management).toBeUndefined();
      expect(warnings).toEqual([
        {
          key: 'MANAGEMENT_CLIENT_SECRET',
          message: expect.stringContaining(
            'MANAGEMENT_CLIENT_ID is not: the profile routes stay off',
          ) as string,
        },
      ]);
    });

    it('derives the audience and the URL from the issuer, and keeps the secret out of every printout', () => {
      const { config, warnings } = parseApiSettings({
        ...withClient,
        MANAGEMENT_CLIENT_SECRET: ` ${SECRET}\n`,
      });
      expect(warnings).toEqual([]);
      const management = config.management;
      expect(management).toMatchObject({
        clientId: 'm2m-client-id',
        audience: 'https://your-tenant.us.auth0.com/api/v2/',
        apiUrl: 'https://your-tenant.us.auth0.com/',
        timeoutMs: 5_000,
      });
      expect(management?.clientSecret.reveal()).toBe(SECRET);
      for (const printed of [
        JSON.stringify(config),
        inspect(config, { depth: 5 }),
        String(management?.clientSecret),
      ]) {
        expect(printed).not.toContain(SECRET);
      }
    });

    it('reaches the tenant at MANAGEMENT_API_URL while the audience stays public (compose)', () => {
      const { config, warnings } = parseApiSettings({
        ...withClient,
        AUTH_ISSUER_URL: 'http://localhost:4000/',
        NODE_ENV: 'production',
        MANAGEMENT_CLIENT_SECRET: SECRET,
        MANAGEMENT_API_URL: 'http://auth-server:4000',
        MANAGEMENT_AUDIENCE: 'http://localhost:4000/api/v2/',
        MANAGEMENT_ALLOW_HTTP: 'true',
        MANAGEMENT_TIMEOUT_MS: '2000',
        API_PUBLIC_URL: 'http://localhost:3000',
      });
      expect(config.management).toMatchObject({
        apiUrl: 'http://auth-server:4000/',
        audience: 'http://localhost:4000/api/v2/',
        timeoutMs: 2_000,
      });
      expect(warnings).toEqual([]);
    });

    it('reads the secret from MANAGEMENT_CLIENT_SECRET_FILE, trimmed; the variable wins over the file', () => {
      const read = files({ '/run/secret': `${SECRET}\n` });
      const fromFile = parseApiSettings(
        { ...withClient, MANAGEMENT_CLIENT_SECRET_FILE: '/run/secret' },
        read,
      );
      expect(fromFile.config.management?.clientSecret.reveal()).toBe(SECRET);
      const both = parseApiSettings(
        {
          ...withClient,
          MANAGEMENT_CLIENT_SECRET: 'the-variable-secret-wins',
          MANAGEMENT_CLIENT_SECRET_FILE: '/nope',
        },
        read,
      );
      expect(both.config.management?.clientSecret.reveal()).toBe('the-variable-secret-wins');
    });

    it('names a missing secret and how to give one', () => {
      expect(managementProblems(withClient)).toEqual([
        expect.stringMatching(
          /^MANAGEMENT_CLIENT_ID "m2m-client-id" is set without its secret: set MANAGEMENT_CLIENT_SECRET, or MANAGEMENT_CLIENT_SECRET_FILE/,
        ),
      ]);
    });

    it.each([
      ['ENOENT', 'does not exist'],
      ['EACCES', 'is not readable by this process'],
      ['EISDIR', 'is a folder, not a file'],
      ['EIO', 'cannot be read (EIO)'],
    ])('names an unreadable secret file (%s)', (code, says) => {
      expect(
        managementProblems({ ...withClient, MANAGEMENT_CLIENT_SECRET_FILE: '/run/m2m' }, files({}, code)),
      ).toEqual([expect.stringContaining(`MANAGEMENT_CLIENT_SECRET_FILE "/run/m2m" ${says}`)]);
    });

    it('refuses a secret shorter than 16 characters without showing it', () => {
      const short = 'short-secret';
      const messages = [
        ...managementProblems({ ...withClient, MANAGEMENT_CLIENT_SECRET: short }),
        ...managementProblems(
          { ...withClient, MANAGEMENT_CLIENT_SECRET_FILE: '/run/m2m' },
          files({ '/run/m2m': `${short}\n` }),
        ),
      ];
      expect(messages).toEqual([
        expect.stringContaining('MANAGEMENT_CLIENT_SECRET holds fewer than 16 characters'),
        expect.stringContaining('"/run/m2m" names holds fewer than 16 characters'),
      ]);
      for (const message of messages) expect(message).not.toContain(short);
    });

    it('refuses a plain-http MANAGEMENT_API_URL on another host in production unless MANAGEMENT_ALLOW_HTTP=true', () => {
      const env = {
        ...withClient,
        NODE_ENV: 'production',
        MANAGEMENT_CLIENT_SECRET: SECRET,
        MANAGEMENT_API_URL: 'http://auth-server:4000/',
      };
      expect(managementProblems(env)).toEqual([
        expect.stringMatching(
          /^MANAGEMENT_API_URL "http:\/\/auth-server:4000\/" is plain http to a host other than this machine: .* set MANAGEMENT_ALLOW_HTTP=true/,
        ),
      ]);
      expect(parseApiSettings({ ...env, MANAGEMENT_ALLOW_HTTP: 'true' }).config.management?.apiUrl).toBe(
        'http://auth-server:4000/',
      );
      // Outside production a warning; on loopback nothing.
      const { warnings } = parseApiSettings({ ...env, NODE_ENV: 'development' });
      expect(warnings.map((w) => w.key)).toEqual(['MANAGEMENT_API_URL']);
      expect(
        parseApiSettings({ ...env, MANAGEMENT_API_URL: 'http://127.0.0.1:4000/' }).config.management?.apiUrl,
      ).toBe('http://127.0.0.1:4000/');
    });

    it('warns about an audience that is not a Management API audience', () => {
      const { warnings } = parseApiSettings({
        ...withClient,
        MANAGEMENT_CLIENT_SECRET: SECRET,
        MANAGEMENT_AUDIENCE: 'https://api.example.com',
      });
      expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('does not end with /api/v2/')]);
    });

    it('rejects a MANAGEMENT_API_URL or audience that is not an absolute URL, and a bad switch or timeout', () => {
      expect(
        managementProblems({
          ...withClient,
          MANAGEMENT_CLIENT_SECRET: SECRET,
          MANAGEMENT_API_URL: 'auth-server:4000',
          MANAGEMENT_AUDIENCE: '/api/v2/',
          MANAGEMENT_ALLOW_HTTP: 'yes',
          MANAGEMENT_TIMEOUT_MS: '0',
        }),
      ).toEqual([
        expect.stringContaining('MANAGEMENT_AUDIENCE must be an absolute URL'),
        expect.stringContaining('MANAGEMENT_API_URL must be an absolute URL'),
        'MANAGEMENT_ALLOW_HTTP must be "true" or "false" (got "yes")',
        'MANAGEMENT_TIMEOUT_MS must be a whole number of milliseconds from 100 to 30000, like 5000 (got "0")',
      ]);
    });
  });
  describe('DPoP (AUTH_DPOP, API_PUBLIC_URL, AUTH_DPOP_*)', () => {
    it('reads every DPoP setting', () => {
      const { config } = parseApiSettings({
        ...valid,
        AUTH_DPOP: 'required',
        API_PUBLIC_URL: 'https://api.example.com/backend/',
        AUTH_DPOP_ALGORITHMS: 'ES256, EdDSA',
        AUTH_DPOP_MAX_AGE_SECONDS: '30',
        AUTH_DPOP_NONCE: 'true',
        AUTH_DPOP_NONCE_SECRET: 'n'.repeat(32),
        AUTH_DPOP_REPLAY_CACHE_SIZE: '5000',
      });
      expect(config.dpop).toMatchObject({
        mode: 'required',
        publicUrl: 'https://api.example.com/backend',
        algorithms: ['ES256', 'EdDSA'],
        maxAgeSeconds: 30,
        nonce: true,
        replayCacheSize: 5000,
      });
      expect(config.dpop.nonceSecret?.reveal()).toBe('n'.repeat(32));
      expect(String(config.dpop.nonceSecret)).toBe('[redacted]');
    });

    it('defaults API_PUBLIC_URL to localhost and PORT', () => {
      expect(parseApiSettings({ ...valid, PORT: '8080' }).config.dpop.publicUrl).toBe(
        'http://localhost:8080',
      );
    });

    it('refuses a symmetric or unknown proof algorithm, and a bad mode', () => {
      expect(problems({ ...valid, AUTH_DPOP_ALGORITHMS: 'ES256,HS256' })).toEqual([
        'AUTH_DPOP_ALGORITHMS must list asymmetric algorithms from ES256, ES384, ES512, PS256, PS384, PS512, RS256, RS384, RS512, EdDSA, Ed25519 (ES256 is what auth0-spa-js uses), never "none" or HS* (got "ES256,HS256")',
      ]);
      expect(problems({ ...valid, AUTH_DPOP_ALGORITHMS: 'none' })).toHaveLength(1);
      expect(problems({ ...valid, AUTH_DPOP: 'on' })).toEqual([
        'AUTH_DPOP must be "allowed" (Bearer and DPoP-bound tokens), "required" (DPoP only) or "off" (Bearer only) (got "on")',
      ]);
    });

    it('refuses an API_PUBLIC_URL with a query, or that is not a URL', () => {
      expect(problems({ ...valid, API_PUBLIC_URL: 'https://api.example.com/?x=1' })[0]).toMatch(
        /^API_PUBLIC_URL must be the URL clients call this API at, without query or fragment/,
      );
      expect(problems({ ...valid, API_PUBLIC_URL: 'api.example.com' })[0]).toMatch(
        /^API_PUBLIC_URL must be an absolute URL like https:\/\/api\.example\.com/,
      );
    });

    it('refuses an iat window or replay cache size out of range', () => {
      expect(problems({ ...valid, AUTH_DPOP_MAX_AGE_SECONDS: '3600' })).toEqual([
        'AUTH_DPOP_MAX_AGE_SECONDS must be a whole number of seconds from 5 to 600, like 60 (got "3600")',
      ]);
      expect(problems({ ...valid, AUTH_DPOP_REPLAY_CACHE_SIZE: '10' })[0]).toMatch(
        /^AUTH_DPOP_REPLAY_CACHE_SIZE must be a whole number of proofs from 100/,
      );
    });

    it('refuses a short nonce secret without showing it', () => {
      const found = problems({ ...valid, AUTH_DPOP_NONCE_SECRET: 'short-secret-value' });
      expect(found).toEqual([
        'AUTH_DPOP_NONCE_SECRET must be at least 32 random characters (e.g. openssl rand -base64 32), the same on every instance',
      ]);
      expect(JSON.stringify(found)).not.toContain('short-secret-value');
    });

    it('needs API_PUBLIC_URL in production when DPoP is required, and warns when it is allowed', () => {
      const production = { ...valid, NODE_ENV: 'production' };
      expect(problems({ ...production, AUTH_DPOP: 'required' })).toEqual([
        expect.stringMatching(/^API_PUBLIC_URL is required with NODE_ENV=production and AUTH_DPOP=required/),
      ]);
      expect(parseApiSettings(production).warnings.map((warning) => warning.key)).toEqual(['API_PUBLIC_URL']);
      expect(parseApiSettings({ ...production, AUTH_DPOP: 'off' }).warnings).toEqual([]);
      expect(parseApiSettings({ ...production, API_PUBLIC_URL: 'https://api.example.com' }).warnings).toEqual(
        [],
      );
    });
  });
});
