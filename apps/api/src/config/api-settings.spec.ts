import { ConfigError } from '@sample/contract';
import { parseApiSettings } from './api-settings';

const valid = { AUTH_ISSUER_URL: 'http://localhost:4000/', AUTH_AUDIENCE: 'https://api.sample.local' };

describe('parseApiSettings', () => {
  it('adds the API-only defaults to the contract config', () => {
    const { config } = parseApiSettings(valid);
    expect(config).toMatchObject({
      issuerUrl: 'http://localhost:4000/',
      audience: 'https://api.sample.local',
      jwksUri: 'http://localhost:4000/.well-known/jwks.json',
      algorithms: ['RS256'],
      jwksCooldownMs: 10_000,
      jwksTimeoutMs: 5_000,
      jwksMaxAgeMs: 600_000,
      logLevel: 'info',
    });
  });

  it('reads the JWKS knobs and the log level', () => {
    const { config } = parseApiSettings({
      ...valid,
      AUTH_JWKS_COOLDOWN_MS: '250',
      AUTH_JWKS_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'silent',
    });
    expect(config).toMatchObject({ jwksCooldownMs: 250, jwksTimeoutMs: 1000, logLevel: 'silent' });
  });

  it('reports contract and API-only problems in one ConfigError', () => {
    let caught: unknown;
    try {
      parseApiSettings({ AUTH_AUDIENCE: 'x', AUTH_JWKS_TIMEOUT_MS: '5s', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.issues.map((issue) => issue.key)).toEqual([
      'AUTH_ISSUER_URL',
      'AUTH_JWKS_TIMEOUT_MS',
      'LOG_LEVEL',
    ]);
    expect(error.message).toContain('API environment is invalid (3 problems)');
    expect(error.message).toContain(
      'AUTH_JWKS_TIMEOUT_MS must be a whole number of milliseconds from 100 to 30000, like 5000 (got "5s")',
    );
  });

  it('refuses EdDSA, which jsonwebtoken cannot verify', () => {
    expect(() => parseApiSettings({ ...valid, AUTH_ALGORITHMS: 'RS256,EdDSA' })).toThrow(
      'AUTH_ALGORITHMS must list asymmetric algorithms such as RS256',
    );
  });

  it('passes the contract warnings on', () => {
    const { warnings } = parseApiSettings({ ...valid, AUTH_ISSUER_URL: 'https://tenant.eu.auth0.com' });
    expect(warnings.map((w) => w.key)).toEqual(['AUTH_ISSUER_URL']);
  });
});
