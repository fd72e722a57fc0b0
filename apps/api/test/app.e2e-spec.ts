import request from 'supertest';
import { createKey, mint, TestIssuer, type TestKey } from './support/issuer';
import { AUDIENCE, startTestApi, type TestApi } from './support/test-api';

describe('the API over HTTP (real AppModule)', () => {
  let issuer: TestIssuer;
  let key: TestKey;
  let api: TestApi;

  beforeAll(async () => {
    key = await createKey('key-1');
    issuer = await TestIssuer.start([key]);
    issuer.discoveryIssuer = issuer.origin; // no trailing slash: readiness must notice
    api = await startTestApi(issuer);
  });

  afterAll(async () => {
    await api.close();
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
    it("documents the bearer scheme and each route's required permission", async () => {
      const response = await request(api.url).get('/api/docs-json');
      expect(response.status).toBe(200);
      const doc = response.body as {
        components: { securitySchemes: Record<string, unknown> };
        paths: Record<
          string,
          {
            get: {
              security?: unknown;
              'x-required-permissions': string[];
              responses: Record<string, unknown>;
            };
          }
        >;
      };
      expect(doc.components.securitySchemes['bearer']).toMatchObject({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
      });
      expect(doc.paths['/api/messages/public']?.get.security).toBeUndefined();
      expect(doc.paths['/api/messages/protected']?.get).toMatchObject({
        security: [{ bearer: [] }],
        'x-required-permissions': [],
      });
      expect(doc.paths['/api/messages/admin']?.get).toMatchObject({
        security: [{ bearer: [] }],
        'x-required-permissions': ['read:admin-messages'],
      });
      expect(Object.keys(doc.paths['/api/messages/admin']?.get.responses ?? {})).toEqual(
        expect.arrayContaining(['200', '400', '401', '403']),
      );
      expect(doc.paths['/api/me']?.get.security).toEqual([{ bearer: [] }]);
    });

    it('serves Swagger UI at /api/docs', async () => {
      const response = await request(api.url).get('/api/docs/');
      expect(response.status).toBe(200);
      expect(response.text).toContain('swagger-ui');
    });
  });

  describe('production manners', () => {
    it('allows CORS for CORS_ORIGINS only and exposes WWW-Authenticate to the SPA', async () => {
      const allowed = await request(api.url)
        .get('/api/messages/protected')
        .set('Origin', 'http://localhost:4200');
      expect(allowed.status).toBe(401);
      expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:4200');
      expect(allowed.headers['access-control-expose-headers']).toContain('WWW-Authenticate');

      const preflight = await request(api.url)
        .options('/api/messages/protected')
        .set('Origin', 'http://localhost:4200')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-headers']).toContain('Authorization');

      const other = await request(api.url)
        .get('/api/messages/public')
        .set('Origin', 'https://evil.example.com');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });

    it("sends helmet's security headers", async () => {
      const response = await request(api.url).get('/api/messages/public');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toBeDefined();
      expect(response.headers['x-powered-by']).toBeUndefined();
    });

    it('refuses a body over the size limit', async () => {
      const response = await request(api.url)
        .post('/api/messages/public')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ padding: 'x'.repeat(64 * 1024) }));
      expect(response.status).toBe(413);
    });

    it('gives every response a request id', async () => {
      const response = await request(api.url).get('/health');
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
