import { ConfigError } from './config-error';
import { parseAuthServerConfig } from './auth-server-config';

describe('parseAuthServerConfig', () => {
  it('runs with no settings at all: the local tenant defaults', () => {
    expect(parseAuthServerConfig({}).config).toEqual({
      issuer: 'http://localhost:4000/',
      port: 4000,
      host: 'localhost',
      tenantFile: undefined,
      dataDir: undefined,
    });
  });

  it('keeps a public issuer while listening on all interfaces (containers)', () => {
    const { config } = parseAuthServerConfig({
      AUTH_SERVER_ISSUER: 'http://localhost:4000/',
      AUTH_SERVER_HOST: '0.0.0.0',
      AUTH_SERVER_PORT: '4000',
      AUTH_SERVER_TENANT_FILE: '/config/tenant.json',
      AUTH_SERVER_DATA_DIR: '/data',
    });
    expect(config).toEqual({
      issuer: 'http://localhost:4000/',
      port: 4000,
      host: '0.0.0.0',
      tenantFile: '/config/tenant.json',
      dataDir: '/data',
    });
  });

  it('requires the trailing slash Auth0 issuers have', () => {
    expect(() => parseAuthServerConfig({ AUTH_SERVER_ISSUER: 'http://localhost:4000' })).toThrow(
      'AUTH_SERVER_ISSUER must end with "/" like an Auth0 issuer, e.g. http://localhost:4000/ (got "http://localhost:4000")',
    );
  });

  it('reports every bad variable at once', () => {
    let caught: unknown;
    try {
      parseAuthServerConfig({ AUTH_SERVER_ISSUER: 'localhost', AUTH_SERVER_PORT: 'x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues.map((issue) => issue.key)).toEqual([
      'AUTH_SERVER_ISSUER',
      'AUTH_SERVER_PORT',
    ]);
  });
});
