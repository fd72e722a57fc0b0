import { ConfigError } from '@sample/contract';
import { parseSettings } from './settings';

const WORKSPACE = '/work/sample';

describe('parseSettings', () => {
  it('runs with no settings at all: the local tenant defaults, files under the workspace', () => {
    expect(parseSettings({}, WORKSPACE).config).toEqual({
      issuer: 'http://localhost:4000/',
      port: 4000,
      host: 'localhost',
      allowRemote: false,
      allowedHosts: [],
      m2mClientSecret: undefined,
      m2mClientSecretFile: undefined,
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

  it('keeps a public issuer while listening on all interfaces (containers, with the opt-in)', () => {
    const { config } = parseSettings(
      {
        AUTH_SERVER_ISSUER: 'http://localhost:4000/',
        AUTH_SERVER_HOST: '0.0.0.0',
        AUTH_SERVER_ALLOW_REMOTE: 'true',
        AUTH_SERVER_ALLOWED_HOSTS: 'auth-server:4000',
        AUTH_SERVER_M2M_CLIENT_SECRET_FILE: '/data/m2m-client-secret',
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
      allowRemote: true,
      allowedHosts: [{ hostname: 'auth-server', port: 4000 }],
      m2mClientSecret: undefined,
      m2mClientSecretFile: '/data/m2m-client-secret',
      tenantFile: '/config/tenant.json',
      dataDir: '/data',
    });
  });

  describe('listening beyond loopback', () => {
    const messageFor = (env: Record<string, string>) => {
      try {
        parseSettings(env, WORKSPACE);
      } catch (error) {
        return (error as ConfigError).issues.map((issue) => issue.message);
      }
      return [];
    };

    it('is refused without AUTH_SERVER_ALLOW_REMOTE, naming the value and the fix', () => {
      expect(messageFor({ AUTH_SERVER_HOST: '0.0.0.0' })).toEqual([
        'AUTH_SERVER_HOST "0.0.0.0" listens beyond loopback, where others can reach this development server: use localhost, or set AUTH_SERVER_ALLOW_REMOTE=true to allow it (then the login page lists no demo users and the demo M2M secret is refused)',
      ]);
      for (const host of ['::', '192.168.1.20', 'my-laptop.lan', '128.0.0.1']) {
        expect(messageFor({ AUTH_SERVER_HOST: host })).toEqual([
          expect.stringContaining(`AUTH_SERVER_HOST ${JSON.stringify(host)} listens beyond loopback`),
        ]);
      }
      expect(messageFor({ AUTH_SERVER_HOST: '0.0.0.0', AUTH_SERVER_ALLOW_REMOTE: 'false' })).toHaveLength(1);
    });

    it('needs no opt-in on loopback', () => {
      for (const host of ['localhost', '127.0.0.1', '127.0.1.1', '::1', '[::1]', 'LOCALHOST']) {
        expect(parseSettings({ AUTH_SERVER_HOST: host }, WORKSPACE).config).toMatchObject({
          host,
          allowRemote: false,
        });
      }
    });

    it('takes AUTH_SERVER_ALLOW_REMOTE as true or false only', () => {
      expect(parseSettings({ AUTH_SERVER_ALLOW_REMOTE: 'TRUE' }, WORKSPACE).config.allowRemote).toBe(true);
      expect(parseSettings({ AUTH_SERVER_ALLOW_REMOTE: '' }, WORKSPACE).config.allowRemote).toBe(false);
      expect(messageFor({ AUTH_SERVER_ALLOW_REMOTE: 'yes' })).toEqual([
        'AUTH_SERVER_ALLOW_REMOTE must be true or false (got "yes")',
      ]);
    });

    it('refuses the committed demo secret as AUTH_SERVER_M2M_CLIENT_SECRET', () => {
      expect(
        messageFor({
          AUTH_SERVER_ALLOW_REMOTE: 'true',
          AUTH_SERVER_M2M_CLIENT_SECRET: 'demo-m2m-secret-not-a-real-secret',
        }),
      ).toEqual([
        'AUTH_SERVER_M2M_CLIENT_SECRET is the demo secret committed in git, refused with AUTH_SERVER_ALLOW_REMOTE=true: set a secret of your own, e.g. from: openssl rand -base64 32',
      ]);
    });
  });

  it('refuses an M2M client secret shorter than 16 characters', () => {
    expect(() => parseSettings({ AUTH_SERVER_M2M_CLIENT_SECRET: 'short' }, WORKSPACE)).toThrow(
      'AUTH_SERVER_M2M_CLIENT_SECRET must be at least 16 characters long',
    );
  });

  it('reads extra Host names, with or without a port, and names the bad ones', () => {
    expect(
      parseSettings({ AUTH_SERVER_ALLOWED_HOSTS: ' auth-server:4000, Auth.Local ,[::1]:4001,' }, WORKSPACE)
        .config.allowedHosts,
    ).toEqual([
      { hostname: 'auth-server', port: 4000 },
      { hostname: 'auth.local', port: undefined },
      { hostname: '[::1]', port: 4001 },
    ]);
    expect(() =>
      parseSettings({ AUTH_SERVER_ALLOWED_HOSTS: 'http://auth-server:4000,ok,a/b,x:99999' }, WORKSPACE),
    ).toThrow(
      'AUTH_SERVER_ALLOWED_HOSTS must list host names with an optional port, separated by commas, like auth-server:4000 (got "http://auth-server:4000", "a/b", "x:99999")',
    );
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
      AUTH_SERVER_ALLOW_REMOTE: 'true',
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
      AUTH_SERVER_ALLOW_REMOTE: 'true',
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
