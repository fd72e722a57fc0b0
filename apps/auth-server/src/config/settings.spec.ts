import { ConfigError } from '@sample/contract';
import { parseSettings } from './settings';

const WORKSPACE = '/work/sample';

describe('parseSettings', () => {
  it('runs with no settings at all: the local tenant defaults, files under the workspace', () => {
    expect(parseSettings({}, WORKSPACE).config).toEqual({
      issuer: 'http://localhost:4000/',
      port: 4000,
      host: 'localhost',
      tenantFile: '/work/sample/apps/auth-server/tenant.json',
      dataDir: '/work/sample/apps/auth-server/.data',
    });
  });

  it('treats empty variables (from .env files) as unset', () => {
    expect(
      parseSettings({ AUTH_SERVER_ISSUER: '', AUTH_SERVER_PORT: ' ', AUTH_SERVER_HOST: '' }, WORKSPACE)
        .config,
    ).toMatchObject({ issuer: 'http://localhost:4000/', port: 4000, host: 'localhost' });
  });

  it('resolves relative file paths against the working directory', () => {
    const { config } = parseSettings(
      { AUTH_SERVER_TENANT_FILE: 'tenants/dev.json', AUTH_SERVER_DATA_DIR: '../data' },
      WORKSPACE,
    );
    expect(config).toMatchObject({ tenantFile: '/work/sample/tenants/dev.json', dataDir: '/work/data' });
  });

  it('keeps a public issuer while listening on all interfaces (containers)', () => {
    const { config } = parseSettings(
      {
        AUTH_SERVER_ISSUER: 'http://localhost:4000/',
        AUTH_SERVER_HOST: '0.0.0.0',
        AUTH_SERVER_PORT: '4000',
        AUTH_SERVER_TENANT_FILE: '/config/tenant.json',
        AUTH_SERVER_DATA_DIR: '/data',
      },
      WORKSPACE,
    );
    expect(config).toEqual({
      issuer: 'http://localhost:4000/',
      port: 4000,
      host: '0.0.0.0',
      tenantFile: '/config/tenant.json',
      dataDir: '/data',
    });
  });

  it('derives the issuer from the port when only the port is set', () => {
    const { config, warnings } = parseSettings({ AUTH_SERVER_PORT: '4568' });
    expect(config).toMatchObject({ issuer: 'http://localhost:4568/', port: 4568 });
    expect(warnings).toEqual([]);
  });

  it('warns when a local issuer names another port than the one the server listens on', () => {
    const { warnings } = parseSettings({
      AUTH_SERVER_ISSUER: 'http://localhost:4000/',
      AUTH_SERVER_PORT: '4568',
    });
    expect(warnings).toEqual([
      {
        key: 'AUTH_SERVER_ISSUER',
        message:
          'AUTH_SERVER_ISSUER "http://localhost:4000/" names port 4000, but the server listens on 4568: browsers and APIs will not reach the issuer. Set AUTH_SERVER_ISSUER=http://localhost:4568/ or unset it.',
      },
    ]);
  });

  it('does not warn in a container, where the published port may differ from the one inside', () => {
    const { warnings } = parseSettings({
      AUTH_SERVER_ISSUER: 'http://localhost:8080/',
      AUTH_SERVER_HOST: '0.0.0.0',
      AUTH_SERVER_PORT: '4000',
    });
    expect(warnings).toEqual([]);
  });

  it('names a non-absolute issuer and a bad port with the values they got', () => {
    let caught: unknown;
    try {
      parseSettings({ AUTH_SERVER_ISSUER: 'localhost:4000/', AUTH_SERVER_PORT: '70000' });
    } catch (error) {
      caught = error;
    }
    expect((caught as ConfigError).issues.map((issue) => issue.message)).toEqual([
      'AUTH_SERVER_ISSUER must be an absolute URL like http://localhost:4000/ (got "localhost:4000/")',
      'AUTH_SERVER_PORT must be a port number from 1 to 65535, like 4000 (got "70000")',
    ]);
  });

  it('warns about plain http to an issuer that is not local', () => {
    const { warnings } = parseSettings({
      AUTH_SERVER_ISSUER: 'http://auth.example.com/',
      AUTH_SERVER_HOST: '0.0.0.0',
    });
    expect(warnings.map((warning) => warning.message)).toEqual([
      'AUTH_SERVER_ISSUER "http://auth.example.com/" uses plain http on a non-local host: tokens and keys travel unprotected. Use https.',
    ]);
  });

  it('requires the trailing slash Auth0 issuers have', () => {
    expect(() => parseSettings({ AUTH_SERVER_ISSUER: 'http://localhost:4000' })).toThrow(
      'AUTH_SERVER_ISSUER must end with "/" like an Auth0 issuer, e.g. http://localhost:4000/ (got "http://localhost:4000")',
    );
  });

  it('reports every bad variable at once', () => {
    let caught: unknown;
    try {
      parseSettings({ AUTH_SERVER_ISSUER: 'localhost', AUTH_SERVER_PORT: 'x' });
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
