import request from 'supertest';
import { helmetHeaders } from '../src/app.setup';
import { mint, startIssuerWithKey, type TestIssuer, type TestKey } from './support/issuer';
import { FakeManagementApi } from './support/management-api';
import { AUDIENCE, preflight, startTestApi, type TestApi } from './support/test-api';

describe('the API over HTTP (real AppModule)', () => {
  let issuer: TestIssuer;
  let key: TestKey;
  let tenant: FakeManagementApi;
  let api: TestApi;

  beforeAll(async () => {
    ({ issuer, key } = await startIssuerWithKey());
    issuer.discoveryIssuer = issuer.origin; // no trailing slash: readiness must notice
    // The profile routes answer 200 only with a Management API to call.
    tenant = await FakeManagementApi.start();
    tenant.addUser('auth0|test-user');
    api = await startTestApi(issuer, tenant.env());
  });

  afterAll(async () => {
    await api.close();
    await tenant.stop();
    await issuer.stop();
  });

  describe('messages', () => {
    it('serves the public message to anyone', async () => {
      const response = await request(api.url).get('/api/messages/public');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ text: 'This is a public message.' });
    });

    it('serves the admin message to a token with read:admin-messages', async () => {
      const jwt = await mint(key, issuer.url, AUDIENCE, {
        claims: { permissions: ['read:messages', 'read:admin-messages'] },
      });
      const response = await request(api.url)
        .get('/api/messages/admin')
        .set('Authorization', `Bearer ${jwt}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ text: 'This is an admin message.' });
    });

    it('answers an unknown route with 404', async () => {
      expect((await request(api.url).get('/api/nothing-here')).status).toBe(404);
    });
  });

  describe('health', () => {
    it('answers liveness without a token', async () => {
      const response = await request(api.url).get('/health');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it('reports not ready when the discovery issuer differs from AUTH_ISSUER_URL', async () => {
      const response = await request(api.url).get('/health/ready');
      expect(response.status).toBe(503);
      expect(response.body).toEqual({
        status: 'not_ready',
        checks: {
          jwks: { status: 'up', detail: '1 signing key(s)' },
          issuer: {
            status: 'down',
            detail: expect.stringContaining('every token would fail with issuer_mismatch') as string,
          },
        },
      });
    });
  });

  describe('OpenAPI', () => {
    interface Operation {
      security?: unknown;
      requestBody?: unknown;
      'x-public'?: boolean;
      'x-required-permissions'?: string[];
      responses: Record<string, unknown>;
    }
    type Document = {
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, Operation>>;
    };
    const openApi = async () => (await request(api.url).get('/api/docs-json')).body as Document;
    /**
     * `method path` of every route Express serves, sorted, leaving out Swagger's own (the UI and the document
     * under /api/docs) and the middleware Nest mounts on every path (a wildcard path, not an endpoint).
     */
    const servedRoutes = () =>
      api.app
        .getHttpAdapter()
        .getInstance()
        .router.stack.flatMap((layer) => (layer.route ? [layer.route] : []))
        .filter((route) => !route.path.startsWith('/api/docs') && !route.path.includes('*'))
        // Express writes a parameter `:id`, OpenAPI `{id}`.
        .map((route) => ({ path: route.path.replace(/:(\w+)/g, '{$1}'), stack: route.stack }))
        .flatMap(({ path, stack }) => stack.map((handler) => `${handler.method} ${path}`))
        .sort();

    it('documents each route as public or protected, with its permissions and problem answers', async () => {
      const doc = await openApi();
      expect(doc.components.securitySchemes['bearer']).toMatchObject({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
      });
      // AUTH_DPOP=allowed (the default): either scheme will do.
      expect(doc.components.securitySchemes['dpop']).toMatchObject({ type: 'http', scheme: 'dpop' });
      const get = (path: string) => doc.paths[path]?.['get'];
      for (const path of ['/api/messages/public', '/health', '/health/ready']) {
        expect(get(path)).toMatchObject({ 'x-public': true, security: [] });
        expect(get(path)?.['x-required-permissions']).toBeUndefined();
      }
      for (const path of ['/api/messages/protected', '/api/me']) {
        expect(get(path)).toMatchObject({
          security: [{ bearer: [] }, { dpop: [] }],
          'x-required-permissions': [],
        });
        expect(Object.keys(get(path)?.responses ?? {})).toEqual(
          expect.arrayContaining(['200', '400', '401']),
        );
      }
      expect(get('/api/messages/admin')).toMatchObject({
        security: [{ bearer: [] }, { dpop: [] }],
        'x-required-permissions': ['read:admin-messages'],
      });
      expect(Object.keys(get('/api/messages/admin')?.responses ?? {})).toEqual(
        expect.arrayContaining(['200', '400', '401', '403']),
      );
      const profile = doc.paths['/api/me/profile'];
      for (const operation of [profile?.['get'], profile?.['patch']]) {
        expect(operation).toMatchObject({
          security: [{ bearer: [] }, { dpop: [] }],
          'x-required-permissions': ['edit:profile'],
        });
        expect(Object.keys(operation?.responses ?? {})).toEqual(
          expect.arrayContaining(['200', '401', '403', '404', '502', '503', '504']),
        );
      }
      expect(Object.keys(profile?.['patch']?.responses ?? {})).toEqual(
        expect.arrayContaining(['400', '413', '415']),
      );
      expect(profile?.['patch']?.requestBody).toBeDefined();
    });

    it('declares for every route exactly what the guards enforce', async () => {
      const operations = Object.entries((await openApi()).paths).flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
      );
      // Every route the app serves is documented, and nothing else: the routes come from Express's router, so a
      // new controller method is checked below without a list to keep here.
      const served = servedRoutes();
      expect(operations.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(served);
      expect(served).toEqual(
        expect.arrayContaining([
          'get /api/me',
          'get /api/me/profile',
          'patch /api/me/profile',
          'get /api/messages/admin',
          'get /api/messages/protected',
          'get /api/messages/public',
          'get /health',
          'get /health/ready',
        ]),
      );
      const lacking = await mint(key, issuer.url, AUDIENCE, { claims: { permissions: [], scope: 'openid' } });
      for (const { path, method, operation } of operations) {
        const call = (token?: string) => {
          const req = request(api.url)[method as 'get' | 'patch'](path);
          const authorized = token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
          // A route that takes a body gets the smallest valid one: {} (no change).
          return operation.requestBody === undefined
            ? authorized
            : authorized.set('Content-Type', 'application/json').send('{}');
        };
        const anonymous = await call();
        if (operation['x-public'] === true) {
          expect({ path, anonymous: [401, 403].includes(anonymous.status) }).toEqual({
            path,
            anonymous: false,
          });
          continue;
        }
        expect({ method, path, ...(anonymous.body as object) }).toMatchObject({
          method,
          path,
          reason: 'missing_token',
        });
        const required = operation['x-required-permissions'] ?? [];
        const granted = await mint(key, issuer.url, AUDIENCE, { claims: { permissions: required } });
        expect({ method, path, status: (await call(granted)).status }).toEqual({ method, path, status: 200 });
        if (required.length > 0) {
          const refused = await call(lacking);
          expect({ method, path, status: refused.status, body: refused.body as unknown }).toMatchObject({
            method,
            path,
            status: 403,
            body: { reason: 'insufficient_permission', required },
          });
        }
      }
    });
  });

  describe('production manners', () => {
    it('allows CORS for CORS_ORIGINS only and exposes WWW-Authenticate and Retry-After to the SPA', async () => {
      const allowed = await request(api.url)
        .get('/api/messages/protected')
        .set('Origin', 'http://localhost:4200');
      expect(allowed.status).toBe(401);
      expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:4200');
      expect(allowed.headers['access-control-expose-headers']).toContain('WWW-Authenticate');
      // The Profile page reads Retry-After of a 503 management_rate_limited.
      expect(allowed.headers['access-control-expose-headers']).toContain('Retry-After');

      const preflighted = await preflight(api.url, '/api/messages/protected', 'GET', 'authorization');
      expect(preflighted.status).toBe(204);
      expect(preflighted.headers['access-control-allow-headers']).toContain('Authorization');

      const other = await request(api.url)
        .get('/api/messages/public')
        .set('Origin', 'https://evil.example.com');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });

    it("sends helmet's security headers, every one of them", async () => {
      const response = await request(api.url).get('/api/messages/public');
      const names = helmetHeaders().map(([name]) => name.toLowerCase());
      expect(names).toEqual(
        expect.arrayContaining([
          'strict-transport-security',
          'x-frame-options',
          'cross-origin-opener-policy',
        ]),
      );
      for (const [name, value] of helmetHeaders())
        expect([name, response.headers[name.toLowerCase()]]).toEqual([name, value]);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toBeDefined();
      expect(response.headers['x-powered-by']).toBeUndefined();
    });

    it('parses no body: a large JSON body to a route without one gets 404, not a parser error', async () => {
      const response = await request(api.url)
        .post('/api/messages/public')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ padding: 'x'.repeat(64 * 1024) }));
      expect(response.status).toBe(404);
    });

    it('sends no ETag (bodies are tiny and per token)', async () => {
      const response = await request(api.url).get('/api/messages/public');
      expect(response.headers['etag']).toBeUndefined();
    });

    it('gives every response a request id', async () => {
      const response = await request(api.url).get('/health');
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
