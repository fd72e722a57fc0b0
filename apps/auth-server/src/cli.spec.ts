import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { LOCAL_TENANT } from '@sample/contract';
import { runCli } from './cli';
import { Browser } from './http/browser';
import { SIGNING_KEYS_FILE } from './keys/signing-keys';
import { USERS_FILE } from './management-api/user-store';
import { getWithHost } from './testing/raw-request';
import { authorizationRequest, discoverM2m, discoverSpa } from './testing/spa-client';
import { TENANT_FILE } from './testing/test-server';

describe('runCli', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const io = { out: (text: string) => out.push(text), err: (text: string) => err.push(text) };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-server-cli-'));
    out = [];
    err = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('stops with exit code 1 and the contract message, no stack trace, for a bad tenant file', async () => {
    const tenantFile = join(dir, 'tenant.json');
    await writeFile(
      tenantFile,
      JSON.stringify({
        apis: [{ name: 'A', identifier: 'https://a.example.com', scopes: [] }],
        clients: [],
        users: [{ email: 'x@example.com', password: 'p', roles: ['admin'] }],
      }),
    );
    const result = await runCli([], { AUTH_SERVER_TENANT_FILE: tenantFile, AUTH_SERVER_DATA_DIR: dir }, io);
    expect(result).toBe(1);
    expect(err).toEqual([
      `Tenant file ${tenantFile} is invalid (1 problem):\n  - users[0].roles[0]: role "admin" is not defined in roles (defined: none)`,
    ]);
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('stops with exit code 1 for bad environment variables, naming each one', async () => {
    const result = await runCli(
      [],
      { AUTH_SERVER_ISSUER: 'http://localhost:4000', AUTH_SERVER_PORT: 'x' },
      io,
    );
    expect(result).toBe(1);
    expect(err[0]).toContain('AUTH_SERVER_ISSUER must end with "/"');
    expect(err[0]).toContain('AUTH_SERVER_PORT must be a port number');
  });

  it('stops with exit code 1 naming AUTH_SERVER_DATA_DIR when it is a file', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    expect(await runCli([], { AUTH_SERVER_DATA_DIR: file, AUTH_SERVER_TENANT_FILE: TENANT_FILE }, io)).toBe(
      1,
    );
    expect(err[0]).toContain('AUTH_SERVER_DATA_DIR');
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
  });

  it("stops with exit code 1 naming the Management API's users file when it is corrupt, no stack trace", async () => {
    const usersFile = join(dir, USERS_FILE);
    await writeFile(usersFile, '{"users": {');
    // The users file is read before the server listens, so the port is never taken.
    const env = { AUTH_SERVER_DATA_DIR: dir, AUTH_SERVER_TENANT_FILE: TENANT_FILE, AUTH_SERVER_PORT: '4599' };
    expect(await runCli([], env, io)).toBe(1);
    expect(err[0]).toContain(`Management API users file ${usersFile} is invalid (1 problem):`);
    expect(err[0]).toContain(
      'fix the file, or delete it to start over with empty user_metadata and app_metadata',
    );
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('stops with exit code 1 naming the setting when the host cannot be listened on', async () => {
    const result = await runCli(
      [],
      {
        AUTH_SERVER_DATA_DIR: dir,
        AUTH_SERVER_TENANT_FILE: TENANT_FILE,
        AUTH_SERVER_HOST: 'no-such-host.invalid',
        AUTH_SERVER_ALLOW_REMOTE: 'true',
        AUTH_SERVER_M2M_CLIENT_SECRET: 'an-own-secret-of-32-characters!!',
        AUTH_SERVER_PORT: '4599',
      },
      io,
    );
    expect(result).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(/^Cannot listen: .*AUTH_SERVER_HOST is not a host name of this machine/),
    ]);
  });

  it('prints the warning when the issuer names another local port than the one it listens on', async () => {
    const result = await runCli(
      [],
      {
        AUTH_SERVER_DATA_DIR: dir,
        AUTH_SERVER_TENANT_FILE: TENANT_FILE,
        AUTH_SERVER_ISSUER: 'http://localhost:4000/',
        AUTH_SERVER_PORT: '4598',
      },
      io,
    );
    expect(typeof result).toBe('object');
    if (typeof result === 'object') await result.close();
    expect(err).toEqual([
      expect.stringMatching(/^warning: AUTH_SERVER_ISSUER "http:\/\/localhost:4000\/" names port 4000/),
    ]);
  });

  it('refuses to listen beyond loopback without AUTH_SERVER_ALLOW_REMOTE, without a stack trace', async () => {
    const result = await runCli([], { AUTH_SERVER_DATA_DIR: dir, AUTH_SERVER_HOST: '0.0.0.0' }, io);
    expect(result).toBe(1);
    expect(err).toEqual([
      'Auth server environment is invalid (1 problem):\n  - AUTH_SERVER_HOST "0.0.0.0" listens beyond loopback, where others can reach this development server: use localhost, or set AUTH_SERVER_ALLOW_REMOTE=true to allow it (then the login page lists no demo users and the demo M2M secret is refused)',
    ]);
  });

  it('refuses the committed demo M2M secret with AUTH_SERVER_ALLOW_REMOTE=true', async () => {
    const result = await runCli(
      [],
      { AUTH_SERVER_DATA_DIR: dir, AUTH_SERVER_TENANT_FILE: TENANT_FILE, AUTH_SERVER_ALLOW_REMOTE: 'true' },
      io,
    );
    expect(result).toBe(1);
    expect(err).toEqual([expect.stringContaining('has the demo secret committed in git')]);
    expect(err[0]).toContain('set AUTH_SERVER_M2M_CLIENT_SECRET to a secret of your own');
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('with AUTH_SERVER_ALLOW_REMOTE=true, lists no demo users and takes the generated M2M secret only', async () => {
    const secretFile = join(dir, 'm2m-client-secret');
    const result = await runCli(
      [],
      {
        AUTH_SERVER_DATA_DIR: dir,
        AUTH_SERVER_TENANT_FILE: TENANT_FILE,
        AUTH_SERVER_ALLOW_REMOTE: 'true',
        AUTH_SERVER_M2M_CLIENT_SECRET_FILE: secretFile,
        AUTH_SERVER_ALLOWED_HOSTS: 'auth-server:4597',
        AUTH_SERVER_PORT: '4597',
      },
      io,
    );
    if (typeof result === 'number') throw new Error(`exit code ${result}: ${err.join('\n')}`);
    try {
      expect(out.join('\n')).toContain(`secret: in ${secretFile}`);
      expect(out.join('\n')).toContain('remote     allowed (AUTH_SERVER_ALLOW_REMOTE=true)');
      const spa = await discoverSpa(result.issuer);
      const { url } = await authorizationRequest(spa, { redirect_uri: LOCAL_TENANT.webOrigin });
      const login = await new Browser().follow(url.href);
      expect(new URL(login.url).pathname).toBe('/u/login');
      const page = await login.response.text();
      expect(page).toContain('name="password"');
      expect(page).not.toContain('Demo users');
      expect(page).not.toContain(LOCAL_TENANT.users.admin);

      const token = (secret: string) =>
        discoverM2m(result.issuer, secret).then((m2m) =>
          oidc.clientCredentialsGrant(m2m, { audience: LOCAL_TENANT.apiAudience }),
        );
      await expect(token('demo-m2m-secret-not-a-real-secret')).rejects.toMatchObject({
        error: 'invalid_client',
      });
      const generated = (await readFile(secretFile, 'utf8')).trim();
      await expect(token(generated)).resolves.toMatchObject({ token_type: 'bearer' });

      // A compose service name from AUTH_SERVER_ALLOWED_HOSTS, and no other.
      expect((await getWithHost(4597, '/.well-known/jwks.json', 'auth-server:4597')).status).toBe(200);
      expect((await getWithHost(4597, '/.well-known/jwks.json', 'other-service:4597')).status).toBe(421);
    } finally {
      await result.close();
    }
  });

  it('rotates the signing keys with --rotate-keys, keeping the old one', async () => {
    // The users file is read before the server listens, so the port is never taken.
    const env = { AUTH_SERVER_DATA_DIR: dir, AUTH_SERVER_TENANT_FILE: TENANT_FILE, AUTH_SERVER_PORT: '4599' };
    expect(await runCli(['--rotate-keys'], env, io)).toBe(0);
    expect(await runCli(['--rotate-keys'], env, io)).toBe(0);
    const { keys } = JSON.parse(await readFile(join(dir, SIGNING_KEYS_FILE), 'utf8')) as {
      keys: { kid: string }[];
    };
    expect(keys).toHaveLength(3);
    expect(out.at(-2)).toBe(
      `New signing key ${keys[0]?.kid}; still published for verification: ${keys[1]?.kid}, ${keys[2]?.kid}.`,
    );
  });

  it('retires keys with --retire-keys once the longest token lifetime of the tenant has passed', async () => {
    const env = { AUTH_SERVER_DATA_DIR: dir, AUTH_SERVER_TENANT_FILE: TENANT_FILE, AUTH_SERVER_PORT: '4596' };
    let time = new Date('2030-01-01T10:00:00.000Z');
    const now = () => time;
    const start = async () => {
      const server = await runCli([], env, io, now);
      if (typeof server === 'number') throw new Error(err.join('\n'));
      await server.close();
    };
    const kids = async () =>
      (
        JSON.parse(await readFile(join(dir, SIGNING_KEYS_FILE), 'utf8')) as { keys: { kid: string }[] }
      ).keys.map((key) => key.kid);

    await start();
    const [oldKid] = await kids();
    expect(await runCli(['--rotate-keys'], env, io, now)).toBe(0);
    await start();
    out = [];
    // The committed tenant's longest lifetime: the Sample API's access tokens, 1 day (ID tokens: 10 hours).
    time = new Date('2030-01-02T09:59:59.000Z');
    expect(await runCli(['--retire-keys'], env, io, now)).toBe(0);
    expect(out).toEqual([
      'No signing key to retire.',
      `Still published for verification: ${oldKid}, until 2030-01-02T10:00:00.000Z.`,
    ]);
    out = [];
    time = new Date('2030-01-02T10:00:00.000Z');
    expect(await runCli(['--retire-keys'], env, io, now)).toBe(0);
    expect(out).toEqual([
      `Retired signing key(s) ${oldKid}: no longer published, every token they signed has expired.`,
      'Restart the auth server to publish the smaller JWKS.',
    ]);
    expect(await kids()).toHaveLength(1);
    expect(await kids()).not.toContain(oldKid);
  });
});
