import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import {
  calculateJwkThumbprint,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JWK,
} from 'jose';
import { LOCAL_TENANT, managementApiAudience } from '@sample/contract';
import { TENANT_FILE, startTestServer, testTenant, type TestServer } from '../../testing/test-server';
import { runTokenCli } from './token-cli';

/** The API's OpenAPI document, reduced to what the CLI reads, by the API's convention (x-public, x-required-permissions). */
const OPENAPI = {
  openapi: '3.0.0',
  info: { title: 'Sample API', version: '1.0.0' },
  paths: {
    '/api/messages/public': { get: { 'x-public': true, security: [], responses: { '200': {} } } },
    '/api/messages/protected': {
      get: { 'x-required-permissions': [], security: [{ bearer: [] }], responses: { '200': {}, '401': {} } },
    },
    '/api/messages/admin': {
      get: {
        'x-required-permissions': ['read:admin-messages'],
        security: [{ bearer: [] }],
        responses: { '200': {}, '401': {}, '403': {} },
      },
    },
    // No extension at all: protected, any valid token (the API's global guard).
    '/api/me': { get: { security: [{ bearer: [] }], responses: { '200': {}, '401': {} } } },
    // A JSON body: the curl line sends an empty object.
    '/api/me/profile': {
      patch: {
        'x-required-permissions': ['edit:profile'],
        security: [{ bearer: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: {} } } },
        responses: { '200': {}, '400': {}, '401': {}, '403': {} },
      },
    },
    // A probe, not an API call: no curl line.
    '/health': { get: { 'x-public': true, security: [], responses: { '200': {} } } },
  },
};

/** A stand-in for the API at the network edge: serves OPENAPI at /api/docs-json and records what was asked. */
async function startDocsServer(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (request.method === 'GET' && request.url === '/api/docs-json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(OPENAPI));
    } else {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"statusCode":404}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A URL on which nothing listens: a port the system just handed out and took back. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('runTokenCli', () => {
  let server: TestServer;
  let docs: Awaited<ReturnType<typeof startDocsServer>>;
  let out: string[];
  let err: string[];
  const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
  const env = { AUTH_SERVER_TENANT_FILE: TENANT_FILE };

  beforeAll(async () => {
    [server, docs] = await Promise.all([startTestServer(), startDocsServer()]);
  });
  afterAll(() => Promise.all([server.stop(), docs.close()]));
  beforeEach(() => {
    out = [];
    err = [];
    docs.requests.length = 0;
  });

  // Never the default API URL: whatever listens on localhost:3000 is not part of the test. A later --api-url wins.
  const run = (...args: string[]) =>
    runTokenCli(['--api-url', docs.url, ...args, '--issuer', server.issuer], env, io);
  const tokenOf = (lines: string[]) =>
    lines.find((line) => line.startsWith('TOKEN='))?.slice('TOKEN='.length) ?? '';
  async function verified(token: string, audience: string = LOCAL_TENANT.apiAudience) {
    const jwks = createRemoteJWKSet(new URL(server.url('.well-known/jwks.json')));
    return (await jwtVerify(token, jwks, { issuer: server.issuer, audience })).payload;
  }

  describe('--user', () => {
    it("logs the reader in through the login page and prints the SPA's kind of token with curl lines", async () => {
      expect(await run('--user', LOCAL_TENANT.users.reader)).toBe(0);
      const claims = await verified(tokenOf(out));
      expect(claims).toMatchObject({
        sub: 'auth0|demo-reader',
        azp: LOCAL_TENANT.spaClientId,
        permissions: ['read:messages', 'edit:profile'],
      });
      // The SPA's scope asks for read:admin-messages; the reader's roles do not grant it.
      expect(out[2]).toBe(
        '#   asked for but left out of the granted scope, without an error: read:admin-messages',
      );
      expect(out).toContain(
        `curl -i -H "Authorization: Bearer $TOKEN" ${docs.url}/api/messages/admin   # expect 403 insufficient_permission: the token lacks read:admin-messages`,
      );
      expect(out).toContain(`curl -i ${docs.url}/api/messages/public   # expect 200 (public)`);
      expect(docs.requests).toEqual(['GET /api/docs-json']);
      expect(err).toEqual([]);
    });

    it('gives the admin every permission, so every route of the OpenAPI document is expected to answer 200', async () => {
      expect(await run('--user', LOCAL_TENANT.users.admin, '--api-url', `${docs.url}/`)).toBe(0);
      expect((await verified(tokenOf(out)))['permissions']).toEqual([
        'read:messages',
        'read:admin-messages',
        'edit:profile',
      ]);
      expect(out.filter((line) => line.includes('left out'))).toEqual([]);
      expect(out.filter((line) => line.startsWith('curl '))).toEqual([
        `curl -i ${docs.url}/api/messages/public   # expect 200 (public)`,
        `curl -i -H "Authorization: Bearer $TOKEN" ${docs.url}/api/messages/protected   # expect 200`,
        `curl -i -H "Authorization: Bearer $TOKEN" ${docs.url}/api/messages/admin   # expect 200`,
        `curl -i -H "Authorization: Bearer $TOKEN" ${docs.url}/api/me   # expect 200`,
        `curl -i -X PATCH -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{}' ${docs.url}/api/me/profile   # expect 200`,
      ]);
    });

    it('expects 403 on the profile route for the guest, who has no role and so no edit:profile', async () => {
      expect(await run('--user', LOCAL_TENANT.users.guest)).toBe(0);
      expect(out).toContain(
        `curl -i -X PATCH -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{}' ${docs.url}/api/me/profile   # expect 403 insufficient_permission: the token lacks edit:profile`,
      );
    });

    it('with --dpop, gets a token bound to a fresh key and a proof on each protected curl line', async () => {
      expect(await run('--user', LOCAL_TENANT.users.reader, '--dpop')).toBe(0);
      const token = tokenOf(out);
      const claims = await verified(token);
      const jkt = (claims['cnf'] as { jkt?: string } | undefined)?.jkt;
      expect(jkt).toEqual(expect.any(String));
      expect(out).toContain(
        `# DPoP-bound to the key with thumbprint ${jkt ?? ''} (cnf.jkt); the key lived in this process only.`,
      );
      const line = out.find((candidate) =>
        candidate.endsWith(`${docs.url}/api/messages/protected   # expect 200`),
      );
      const proof = /-H "Authorization: DPoP \$TOKEN" -H "DPoP: ([\w.-]+)" /.exec(line ?? '')?.[1] ?? '';
      const header = decodeProtectedHeader(proof);
      expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
      expect(await calculateJwkThumbprint(header.jwk as JWK, 'sha256')).toBe(jkt);
      expect(decodeJwt(proof)).toMatchObject({
        htm: 'GET',
        htu: `${docs.url}/api/messages/protected`,
        ath: createHash('sha256').update(token).digest('base64url'),
      });
      // Every line its own proof (each is single-use); the public route none.
      const proofs = out.filter((candidate) => candidate.includes('-H "DPoP: '));
      expect(new Set(proofs.map((candidate) => /DPoP: ([\w.-]+)/.exec(candidate)?.[1])).size).toBe(
        proofs.length,
      );
      expect(out).toContain(`curl -i ${docs.url}/api/messages/public   # expect 200 (public)`);
    });

    it('with --dpop, gets the M2M client a bound token for the API that requires DPoP', async () => {
      expect(await run('--client', 'm2m', '--audience', 'https://dpop-api.sample.local', '--dpop')).toBe(0);
      expect(decodeJwt(tokenOf(out))['cnf']).toEqual({ jkt: expect.any(String) });
      expect(err).toEqual([]);
    });

    it('passes on the refusal of a token without a proof for the API that requires DPoP, exit 1', async () => {
      expect(await run('--client', 'm2m', '--audience', 'https://dpop-api.sample.local')).toBe(1);
      expect(err[0]).toContain('requires sender-constrained tokens (DPoP)');
    });

    it('refuses --dpop with --token-only: a bound token is worth nothing without its key', async () => {
      expect(await run('--user', LOCAL_TENANT.users.reader, '--dpop', '--token-only')).toBe(2);
      expect(err[0]).toContain('a bound token is worth nothing without its key');
    });

    it('prints the token alone with --token-only', async () => {
      expect(await run('--user', LOCAL_TENANT.users.guest, '--token-only')).toBe(0);
      expect(out).toHaveLength(1);
      expect((await verified(out[0] ?? ''))['permissions']).toEqual([]);
      expect(docs.requests).toEqual([]);
    });

    it('says the login was refused for a wrong password, exit 1', async () => {
      expect(await run('--user', LOCAL_TENANT.users.reader, '--password', 'wrong')).toBe(1);
      expect(err).toEqual([expect.stringContaining('The login as reader@example.com was refused')]);
      expect(out).toEqual([]);
    });

    it('lists the demo users for an unknown one', async () => {
      expect(await run('--user', 'nobody@example.com')).toBe(1);
      expect(err[0]).toContain('demo users: admin@example.com, reader@example.com, guest@example.com');
    });

    it("passes on the server's invalid_target for an unknown audience", async () => {
      expect(
        await run('--user', LOCAL_TENANT.users.reader, '--audience', 'https://unknown.example.com'),
      ).toBe(1);
      expect(err[0]).toBe(
        'The auth server refused the login: invalid_target: Service not found: https://unknown.example.com.',
      );
    });

    it('refuses a non-local issuer: a real tenant needs a browser', async () => {
      const code = await runTokenCli(
        ['--user', 'a@example.com', '--issuer', 'https://t.eu.auth0.com/'],
        env,
        io,
      );
      expect(code).toBe(1);
      expect(err[0]).toContain('--user logs in through the local auth server');
    });
  });

  describe('--client', () => {
    it('gets a client-credentials token for the M2M client, with its granted scopes', async () => {
      expect(await run('--client', 'm2m')).toBe(0);
      const claims = await verified(tokenOf(out));
      expect(claims).toMatchObject({ sub: `${LOCAL_TENANT.m2mClientId}@clients`, scope: 'read:messages' });
      expect(out[0]).toBe(`# Access token for client ${LOCAL_TENANT.m2mClientId} from ${server.issuer}`);
    });

    it('refuses a wrong secret with the server error', async () => {
      expect(await run('--client', LOCAL_TENANT.m2mClientId, '--client-secret', 'wrong')).toBe(1);
      expect(err[0]).toContain('The token endpoint refused: invalid_client');
    });

    it('takes the secret from AUTH_SERVER_M2M_CLIENT_SECRET, as the server does (compose sets it)', async () => {
      const secret = 'an-own-secret-of-32-characters!!';
      const tenant = await testTenant();
      const own = await startTestServer({
        tenant: {
          ...tenant,
          clients: tenant.clients.map((client) =>
            client.type === 'm2m' ? { ...client, clientSecret: secret } : client,
          ),
        },
      });
      try {
        const withSecret = (value: string) =>
          runTokenCli(
            ['--client', 'm2m', '--token-only', '--issuer', own.issuer],
            { ...env, AUTH_SERVER_M2M_CLIENT_SECRET: value },
            io,
          );
        expect(await withSecret(secret)).toBe(0);
        expect(await withSecret('not-the-secret-of-this-server')).toBe(1);
        expect(err[0]).toContain('The token endpoint refused: invalid_client');
      } finally {
        await own.stop();
      }
    });

    it('names the way out for a client that is not in the tenant file', async () => {
      expect(await run('--client', 'someone-else')).toBe(1);
      expect(err[0]).toContain('No machine-to-machine client "someone-else"');
    });
  });

  describe('curl lines', () => {
    it('expects 403 for a user token whose scope lists the permission but whose permissions lack it (RBAC off)', async () => {
      expect(
        await run('--user', LOCAL_TENANT.users.guest, '--audience', 'https://rbac-off-api.sample.local'),
      ).toBe(0);
      expect(out[1]).toContain(
        'scope "openid profile email read:messages read:admin-messages", permissions []',
      );
      expect(out).toContain(
        `curl -i -H "Authorization: Bearer $TOKEN" ${docs.url}/api/messages/admin   # expect 403 insufficient_permission: the token lacks read:admin-messages`,
      );
    });

    it('prints the token and a one-line note when the API cannot be reached', async () => {
      const apiUrl = await closedPortUrl();
      expect(await run('--client', 'm2m', '--api-url', apiUrl)).toBe(0);
      expect(tokenOf(out)).not.toBe('');
      expect(out.filter((line) => line.startsWith('curl '))).toEqual([]);
      expect(out.at(-1)).toBe(
        `# No curl lines: Cannot read the API's routes from ${apiUrl}/api/docs-json (ECONNREFUSED). Start the API (npm start) or pass --api-url, then run this again.`,
      );
      expect(err).toEqual([]);
    });

    it('says so when the API answers without an OpenAPI document', async () => {
      expect(await run('--client', 'm2m', '--api-url', `${docs.url}/elsewhere`)).toBe(0);
      expect(docs.requests).toEqual(['GET /elsewhere/api/docs-json']);
      expect(out.at(-1)).toBe(
        `# No curl lines: Cannot read the API's routes from ${docs.url}/elsewhere/api/docs-json (HTTP 404). Start the API (npm start) or pass --api-url, then run this again.`,
      );
    });

    it("expects 403 on a route needing a permission the m2m client's token lacks", async () => {
      expect(await run('--client', 'm2m')).toBe(0);
      expect(out).toContain(
        `curl -i -H "Authorization: Bearer $TOKEN" ${docs.url}/api/messages/admin   # expect 403 insufficient_permission: the token lacks read:admin-messages`,
      );
      expect(out).toContain(
        `curl -i -H "Authorization: Bearer $TOKEN" ${docs.url}/api/messages/protected   # expect 200`,
      );
    });
  });

  describe('--management-api', () => {
    const management = () => managementApiAudience(server.issuer);
    const userUrl = (id: string) => `${management()}users/${encodeURIComponent(id)}`;
    const curlLines = () => out.filter((line) => line.startsWith('curl '));

    /** Sends each printed curl line's request (method, body, URL, scheme and proof as printed) with the printed token. */
    async function expectPredictionsHold(): Promise<void> {
      const token = tokenOf(out);
      const lines = curlLines();
      const answers = [];
      for (const line of lines) {
        const body = /-d '([^']*)'/.exec(line)?.[1];
        const scheme = /"Authorization: (\w+) \$TOKEN"/.exec(line)?.[1];
        const proof = /-H "DPoP: ([\w.-]+)"/.exec(line)?.[1];
        const response = await fetch(/(\S+) {3}#/.exec(line)?.[1] ?? '', {
          method: /-X (\w+)/.exec(line)?.[1] ?? 'GET',
          headers: {
            authorization: `${scheme ?? ''} ${token}`,
            ...(proof && { dpop: proof }),
            ...(body && { 'content-type': 'application/json' }),
          },
          body,
        });
        answers.push({ line, status: response.status });
      }
      expect(answers).toEqual(
        lines.map((line) => ({ line, status: Number(/# expect (\d{3})/.exec(line)?.[1]) })),
      );
    }

    it("gets the reader the SPA's kind of token for it, current_user scopes only, with curl lines for their own user", async () => {
      expect(await run('--user', LOCAL_TENANT.users.reader, '--management-api')).toBe(0);
      const claims = await verified(tokenOf(out), management());
      expect(claims).toMatchObject({ sub: 'auth0|demo-reader', azp: LOCAL_TENANT.spaClientId });
      expect(claims['scope']).toBe('openid profile email read:current_user update:current_user_metadata');
      expect(curlLines()).toEqual([
        `curl -i -H "Authorization: Bearer $TOKEN" ${userUrl('auth0|demo-reader')}   # expect 200`,
        `curl -i -X PATCH -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"user_metadata":{"theme":"dark"}}' ${userUrl('auth0|demo-reader')}   # expect 200`,
      ]);
      await expectPredictionsHold();
      // The Management API's routes are known: the API's OpenAPI document is not read.
      expect(docs.requests).toEqual([]);
      expect(err).toEqual([]);
    });

    it('shows update:users asked for by a user and left out of the granted scope, and says why', async () => {
      const scope = 'openid read:current_user update:users';
      expect(await run('--user', LOCAL_TENANT.users.admin, '--management-api', '--scope', scope)).toBe(0);
      expect((await verified(tokenOf(out), management()))['scope']).toBe('openid read:current_user');
      expect(out.slice(2, 4)).toEqual([
        '#   asked for but left out of the granted scope, without an error: update:users',
        "#   (a user's token for the Management API carries current_user scopes only, for that user alone; a backend gets more with client credentials: --client m2m --management-api)",
      ]);
      expect(curlLines()).toEqual([
        `curl -i -H "Authorization: Bearer $TOKEN" ${userUrl('auth0|demo-admin')}   # expect 200`,
        `curl -i -X PATCH -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"user_metadata":{"theme":"dark"}}' ${userUrl('auth0|demo-admin')}   # expect 403 insufficient_scope: the token lacks update:users or update:current_user_metadata`,
      ]);
      await expectPredictionsHold();
    });

    it("gets the M2M client its grant and curl lines for the tenant file's first user", async () => {
      expect(await run('--client', 'm2m', '--management-api')).toBe(0);
      const claims = await verified(tokenOf(out), management());
      expect(claims['sub']).toBe(`${LOCAL_TENANT.m2mClientId}@clients`);
      expect(String(claims['scope']).split(' ')).toEqual(
        expect.arrayContaining(['read:users', 'update:users', 'update:users_app_metadata']),
      );
      expect(curlLines()).toEqual([
        `curl -i -H "Authorization: Bearer $TOKEN" ${userUrl('auth0|demo-admin')}   # expect 200`,
        `curl -i -X PATCH -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"user_metadata":{"theme":"dark"}}' ${userUrl('auth0|demo-admin')}   # expect 200`,
      ]);
      await expectPredictionsHold();
    });

    it('aims the curl lines at --user-id, and predicts the 403 when the asked scope lacks update:users', async () => {
      expect(
        await run(
          '--client',
          'm2m',
          '--management-api',
          '--user-id',
          'auth0|demo-guest',
          '--scope',
          'read:users',
        ),
      ).toBe(0);
      expect(curlLines()).toEqual([
        `curl -i -H "Authorization: Bearer $TOKEN" ${userUrl('auth0|demo-guest')}   # expect 200`,
        `curl -i -X PATCH -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"user_metadata":{"theme":"dark"}}' ${userUrl('auth0|demo-guest')}   # expect 403 insufficient_scope: the token lacks update:users`,
      ]);
      await expectPredictionsHold();
    });

    it('with --dpop, gets a bound token and curl lines with Authorization: DPoP and a proof each, which the server takes', async () => {
      expect(await run('--user', LOCAL_TENANT.users.reader, '--management-api', '--dpop')).toBe(0);
      const token = tokenOf(out);
      const jkt = (decodeJwt(token)['cnf'] as { jkt?: string } | undefined)?.jkt;
      expect(out).toContain(
        `# DPoP-bound to the key with thumbprint ${jkt ?? ''} (cnf.jkt); the key lived in this process only.`,
      );
      const lines = curlLines();
      expect(lines).toHaveLength(2);
      const url = userUrl('auth0|demo-reader');
      for (const [line, htm] of [
        [lines[0] ?? '', 'GET'],
        [lines[1] ?? '', 'PATCH'],
      ] as const) {
        expect(line).toContain('-H "Authorization: DPoP $TOKEN" -H "DPoP: ');
        const proof = /-H "DPoP: ([\w.-]+)"/.exec(line)?.[1] ?? '';
        expect(decodeJwt(proof)).toMatchObject({
          htm,
          htu: url,
          ath: createHash('sha256').update(token).digest('base64url'),
        });
      }
      await expectPredictionsHold();
      expect(err).toEqual([]);
    });

    it('refuses --audience with it, and --user-id without --client', async () => {
      expect(
        await run('--user', LOCAL_TENANT.users.reader, '--management-api', '--audience', 'https://x'),
      ).toBe(2);
      expect(err[0]).toMatch(/^Give --audience or --management-api, not both/);
      expect(await run('--user', LOCAL_TENANT.users.reader, '--management-api', '--user-id', 'auth0|x')).toBe(
        2,
      );
      expect(err[1]).toMatch(/^--user-id goes with --client and --management-api/);
      expect(out).toEqual([]);
    });
  });

  describe('arguments', () => {
    it('exits 2 with the usage for neither or both of --user and --client, or an unknown option', async () => {
      expect(await runTokenCli([], env, io)).toBe(2);
      expect(await runTokenCli(['--user', 'a', '--client', 'm2m'], env, io)).toBe(2);
      expect(await runTokenCli(['--usr', 'a'], env, io)).toBe(2);
      expect(err.every((text) => text.includes('Usage: npm run token'))).toBe(true);
      expect(err).toHaveLength(3);
    });

    it('says the auth server is not reachable, without a stack trace', async () => {
      const code = await runTokenCli(['--client', 'm2m', '--issuer', 'http://localhost:9/'], env, io);
      expect(code).toBe(1);
      expect(err[0]).toMatch(/^Cannot read http:\/\/localhost:9\/\.well-known\/openid-configuration/);
      expect(err[0]).not.toMatch(/\n\s+at /);
    });
  });
});
