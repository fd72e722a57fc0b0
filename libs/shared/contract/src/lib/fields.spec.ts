import * as z from 'zod/mini';
import { ConfigError, parseOrThrow } from './config-error';
import {
  absoluteUrl,
  defaultJwksUri,
  isLocalHost,
  isOrigin,
  issuerBase,
  issuerUrl,
  port,
  requiredString,
  seconds,
  unsetIfEmpty,
} from './fields';

const ISSUER_EXAMPLE = 'https://your-tenant.us.auth0.com/';
const JWKS_EXAMPLE = 'https://your-tenant.us.auth0.com/.well-known/jwks.json';

/** An env schema built from the helpers, as an app builds its own. */
const envSchema = z.object({
  AUTH_ISSUER_URL: issuerUrl('AUTH_ISSUER_URL', ISSUER_EXAMPLE),
  AUTH_AUDIENCE: requiredString('AUTH_AUDIENCE', 'https://api.example.com'),
  AUTH_JWKS_URI: z.pipe(unsetIfEmpty, z.optional(absoluteUrl('AUTH_JWKS_URI', JWKS_EXAMPLE))),
  PORT: port('PORT', 3000),
  AUTH_CLOCK_TOLERANCE_SECONDS: seconds('AUTH_CLOCK_TOLERANCE_SECONDS', 5, 0, 300),
});

const valid = { AUTH_ISSUER_URL: ISSUER_EXAMPLE, AUTH_AUDIENCE: 'https://api.example.com' };

const parse = (input: unknown) => parseOrThrow(envSchema, input, 'API environment');

function problems(input: unknown): string[] {
  try {
    parse(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((issue) => issue.message);
  }
  throw new Error('expected a ConfigError');
}

describe('field helpers', () => {
  it('apply the defaults and keep the issuer byte for byte', () => {
    expect(parse({ ...valid, AUTH_ISSUER_URL: 'http://localhost:4000' })).toEqual({
      AUTH_ISSUER_URL: 'http://localhost:4000',
      AUTH_AUDIENCE: 'https://api.example.com',
      AUTH_JWKS_URI: undefined,
      PORT: 3000,
      AUTH_CLOCK_TOLERANCE_SECONDS: 5,
    });
  });

  it('read numbers from env strings, or as numbers', () => {
    expect(parse({ ...valid, PORT: '8080', AUTH_CLOCK_TOLERANCE_SECONDS: '0' })).toMatchObject({
      PORT: 8080,
      AUTH_CLOCK_TOLERANCE_SECONDS: 0,
    });
    expect(parse({ ...valid, PORT: 8081 })).toMatchObject({ PORT: 8081 });
  });

  it('treat empty variables (from .env files) as unset', () => {
    expect(parse({ ...valid, AUTH_JWKS_URI: '', PORT: ' ' })).toMatchObject({
      AUTH_JWKS_URI: undefined,
      PORT: 3000,
    });
  });

  it('trim required strings', () => {
    expect(parse({ ...valid, AUTH_AUDIENCE: '  https://api.example.com ' }).AUTH_AUDIENCE).toBe(
      'https://api.example.com',
    );
  });

  describe('requiredString', () => {
    it('names a missing key and shows a good value', () => {
      expect(problems({ AUTH_ISSUER_URL: ISSUER_EXAMPLE })).toEqual([
        'AUTH_AUDIENCE is required: set it, for example AUTH_AUDIENCE=https://api.example.com',
      ]);
    });

    it('reports a blank value once, as missing', () => {
      expect(problems({ ...valid, AUTH_AUDIENCE: '   ' })).toEqual([
        'AUTH_AUDIENCE is required: set it, for example AUTH_AUDIENCE=https://api.example.com',
      ]);
    });

    it('names a value of the wrong type with the value it got', () => {
      expect(problems({ ...valid, AUTH_AUDIENCE: 42 })).toEqual([
        'AUTH_AUDIENCE must be a string like "https://api.example.com" (got 42)',
      ]);
    });
  });

  describe('absoluteUrl and issuerUrl', () => {
    it('name a missing issuer and show a good value', () => {
      expect(problems({ AUTH_AUDIENCE: 'x' })).toEqual([
        'AUTH_ISSUER_URL is required: set it, for example AUTH_ISSUER_URL=https://your-tenant.us.auth0.com/',
      ]);
    });

    it('reject an issuer that is not an absolute URL, with the value it got', () => {
      expect(problems({ ...valid, AUTH_ISSUER_URL: 'your-tenant.us.auth0.com' })).toEqual([
        'AUTH_ISSUER_URL must be an absolute URL like https://your-tenant.us.auth0.com/ (got "your-tenant.us.auth0.com")',
      ]);
    });

    it('reject a non-http scheme', () => {
      expect(problems({ ...valid, AUTH_ISSUER_URL: 'ftp://example.com/' })).toEqual([
        'AUTH_ISSUER_URL must be an absolute URL like https://your-tenant.us.auth0.com/ (got "ftp://example.com/")',
      ]);
    });

    it('reject an issuer with a query or a fragment, which no token carries', () => {
      expect(problems({ ...valid, AUTH_ISSUER_URL: 'https://x.auth0.com/?a=b' })).toEqual([
        'AUTH_ISSUER_URL must not have a query or fragment, like https://your-tenant.us.auth0.com/ (got "https://x.auth0.com/?a=b")',
      ]);
      expect(problems({ ...valid, AUTH_ISSUER_URL: 'https://x.auth0.com/#x' })).toHaveLength(1);
    });

    it('reject a relative JWKS URI', () => {
      expect(problems({ ...valid, AUTH_JWKS_URI: '/jwks.json' })).toEqual([
        'AUTH_JWKS_URI must be an absolute URL like https://your-tenant.us.auth0.com/.well-known/jwks.json (got "/jwks.json")',
      ]);
    });
  });

  describe('port and seconds', () => {
    it.each(['0', '70000', 'abc', '3000.5'])('reject PORT=%s', (value) => {
      expect(problems({ ...valid, PORT: value })).toEqual([
        `PORT must be a port number from 1 to 65535, like 3000 (got "${value}")`,
      ]);
    });

    it('names a port number out of range given as a number', () => {
      expect(problems({ ...valid, PORT: 0 })).toEqual([
        'PORT must be a port number from 1 to 65535, like 3000 (got 0)',
      ]);
    });

    it('reject a number of seconds out of range', () => {
      expect(problems({ ...valid, AUTH_CLOCK_TOLERANCE_SECONDS: '600' })).toEqual([
        'AUTH_CLOCK_TOLERANCE_SECONDS must be a whole number of seconds from 0 to 300, like 5 (got "600")',
      ]);
    });
  });

  it('report every bad field at once, in one readable message', () => {
    expect(problems({ AUTH_ISSUER_URL: 'nope', PORT: '-1' })).toHaveLength(3);
    expect(() => parse({})).toThrow(
      'API environment is invalid (2 problems):\n' +
        '  - AUTH_ISSUER_URL is required: set it, for example AUTH_ISSUER_URL=https://your-tenant.us.auth0.com/\n' +
        '  - AUTH_AUDIENCE is required: set it, for example AUTH_AUDIENCE=https://api.example.com',
    );
  });
});

describe('isOrigin', () => {
  it('accepts scheme, host and port only', () => {
    expect(isOrigin('http://localhost:4200')).toBe(true);
    expect(isOrigin('https://app.example.com')).toBe(true);
  });

  it.each(['http://localhost:4200/', '*', 'localhost:4200', 'http://localhost:4200/app'])(
    'rejects %s',
    (value) => {
      expect(isOrigin(value)).toBe(false);
    },
  );
});

describe('isLocalHost', () => {
  it('knows the loopback names', () => {
    expect(['localhost', '127.0.0.1', '[::1]', 'api.localhost'].map(isLocalHost)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(isLocalHost('auth.example.com')).toBe(false);
  });
});

describe('issuerBase and defaultJwksUri', () => {
  it('derive the JWKS URL with or without the trailing slash', () => {
    expect(issuerBase('http://localhost:4000')).toBe('http://localhost:4000/');
    expect(issuerBase('http://localhost:4000/')).toBe('http://localhost:4000/');
    expect(defaultJwksUri('http://localhost:4000')).toBe('http://localhost:4000/.well-known/jwks.json');
    expect(defaultJwksUri('http://localhost:4000/')).toBe('http://localhost:4000/.well-known/jwks.json');
  });

  it('keep a path in the issuer', () => {
    expect(defaultJwksUri('https://login.example.com/tenant-a/')).toBe(
      'https://login.example.com/tenant-a/.well-known/jwks.json',
    );
  });
});
