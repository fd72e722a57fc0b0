import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKey, TestIssuer } from '../../../test/support/issuer';
import { AUDIENCE, startTestApi, type TestApi } from '../../../test/support/test-api';
import { parseSpaConfig } from '@sample/contract';
import { discoveryUrlFor } from '../../health/health.service';
import {
  askApi,
  configChecks,
  issuerChecks,
  liveNetwork,
  operationsOf,
  routeChecks,
  runDoctorChecks,
  spaChecks,
  type ApiOperation,
  type CheckResult,
  type IssuerCheckSettings,
} from './doctor-checks';

// Deadlines with room for a busy machine: only the slow-JWKS case (200 ms) is meant to hit one.
const network = liveNetwork(5_000);
const WEB = 'http://localhost:4200';

function byId(results: readonly CheckResult[], id: string): CheckResult {
  const result = results.find((r) => r.id === id);
  if (!result) throw new Error(`no check ${id} in ${results.map((r) => r.id).join(', ')}`);
  return result;
}

function settingsFor(issuer: TestIssuer, overrides: Partial<IssuerCheckSettings> = {}): IssuerCheckSettings {
  return {
    issuerUrl: issuer.url,
    audience: AUDIENCE,
    jwksUri: `${issuer.url}.well-known/jwks.json`,
    algorithms: ['RS256'],
    corsOrigins: [WEB],
    ...overrides,
  };
}

function spaJson(issuer: TestIssuer, overrides: Record<string, unknown> = {}) {
  return {
    domain: issuer.origin,
    clientId: 'sample-spa',
    audience: AUDIENCE,
    scope: 'openid profile email read:messages read:admin-messages edit:profile',
    apiUrl: 'http://localhost:3000',
    ...overrides,
  };
}

describe('config doctor checks', () => {
  let issuer: TestIssuer;

  beforeEach(async () => {
    issuer = await TestIssuer.start([await createKey('key-1')]);
  });
  afterEach(() => issuer.stop());

  describe('configChecks', () => {
    it('passes an API identifier and an issuer URL like Auth0 wants them', () => {
      const results = configChecks(settingsFor(issuer));
      expect(results.map((r) => [r.id, r.status])).toEqual([
        ['audience', 'pass'],
        ['issuer-url', 'pass'],
      ]);
    });

    it('fails an audience equal to the SPA client id, and one that is /userinfo', () => {
      const clientId = configChecks(settingsFor(issuer, { audience: 'sample-spa' }), 'sample-spa');
      expect(byId(clientId, 'audience')).toMatchObject({ status: 'fail' });
      expect(byId(clientId, 'audience').detail).toContain('equals the client id');
      const userinfo = configChecks(settingsFor(issuer, { audience: 'https://t.eu.auth0.com/userinfo' }));
      expect(byId(userinfo, 'audience').detail).toContain('/userinfo');
    });

    it('fails an Auth0 issuer without the trailing slash and names the right value', () => {
      const results = configChecks(settingsFor(issuer, { issuerUrl: 'https://tenant.eu.auth0.com' }));
      expect(byId(results, 'issuer-url')).toMatchObject({
        status: 'fail',
        fix: 'Set AUTH_ISSUER_URL=https://tenant.eu.auth0.com/',
      });
    });

    it('warns about plain http to a non-local issuer', () => {
      const results = configChecks(settingsFor(issuer, { issuerUrl: 'http://auth.example.com/' }));
      expect(byId(results, 'issuer-url').status).toBe('warn');
    });
  });

  describe('issuerChecks', () => {
    it('passes a live issuer whose discovery, issuer and RS256 keys match', async () => {
      const results = await issuerChecks(settingsFor(issuer), network);
      expect(results.map((r) => [r.id, r.status])).toEqual([
        ['discovery', 'pass'],
        ['issuer', 'pass'],
        ['jwks', 'pass'],
        ['signing-keys', 'pass'],
      ]);
      expect(byId(results, 'signing-keys').detail).toContain('key-1');
    });

    it('fails an issuer that differs from discovery by the trailing slash, naming the exact value', async () => {
      const results = await issuerChecks(settingsFor(issuer, { issuerUrl: issuer.origin }), network);
      expect(byId(results, 'issuer')).toMatchObject({
        status: 'fail',
        fix: `Set AUTH_ISSUER_URL=${issuer.url} (tokens carry exactly this iss, trailing slash included).`,
      });
    });

    it('fails when discovery announces another issuer', async () => {
      issuer.discoveryIssuer = 'https://other-tenant.eu.auth0.com/';
      const result = byId(await issuerChecks(settingsFor(issuer), network), 'issuer');
      expect(result.status).toBe('fail');
      expect(result.detail).toContain('"https://other-tenant.eu.auth0.com/"');
    });

    it('fails an unreachable issuer and skips what depends on it', async () => {
      const settings = settingsFor(issuer);
      await issuer.stop();
      const results = await issuerChecks(settings, network);
      expect(results.map((r) => [r.id, r.status])).toEqual([
        ['discovery', 'fail'],
        ['issuer', 'skip'],
        ['jwks', 'fail'],
        ['signing-keys', 'skip'],
      ]);
      expect(byId(results, 'discovery').detail).toContain('ECONNREFUSED');
      issuer = await TestIssuer.start();
    });

    it('fails a JWKS endpoint that answers an error', async () => {
      issuer.mode = { kind: 'error', status: 503 };
      const result = byId(await issuerChecks(settingsFor(issuer), network), 'jwks');
      expect(result).toMatchObject({ status: 'fail' });
      expect(result.detail).toContain('HTTP 503');
    });

    it('fails a JWKS endpoint that does not answer in time', async () => {
      issuer.mode = { kind: 'slow', delayMs: 2_000 };
      const result = byId(await issuerChecks(settingsFor(issuer), liveNetwork(200)), 'jwks');
      expect(result.detail).toContain('no answer within 200 ms');
    });

    it('fails when no key fits the accepted algorithms (an ES256 issuer, RS256 expected)', async () => {
      issuer.keys = [await createKey('ec-key', 'ES256')];
      const result = byId(await issuerChecks(settingsFor(issuer), network), 'signing-keys');
      expect(result.status).toBe('fail');
      expect(result.detail).toContain('no key can verify RS256');
    });

    it('fails a JWKS that publishes a symmetric key', async () => {
      const rsa = await createKey('rsa-key');
      const secret = {
        ...rsa,
        kid: 'secret',
        publicJwk: { kty: 'oct', k: 'c2VjcmV0', kid: 'secret', alg: 'HS256' },
      };
      issuer.keys = [rsa, secret];
      const result = byId(await issuerChecks(settingsFor(issuer), network), 'signing-keys');
      expect(result.status).toBe('fail');
      expect(result.detail).toContain('symmetric key');
    });

    it('looks for discovery beside an internal JWKS URI (docker compose) and under the issuer otherwise', () => {
      expect(
        discoveryUrlFor({
          issuerUrl: 'http://localhost:4000/',
          jwksUri: 'http://auth-server:4000/.well-known/jwks.json',
        }),
      ).toBe('http://auth-server:4000/.well-known/openid-configuration');
      expect(
        discoveryUrlFor({ issuerUrl: 'https://t.eu.auth0.com/', jwksUri: 'https://keys.example.com/k' }),
      ).toBe('https://t.eu.auth0.com/.well-known/openid-configuration');
    });
  });

  describe('spaChecks', () => {
    const source = (json: unknown) => ({ json, name: 'config.json', webOrigin: WEB });

    it('passes a config.json that fits the API', () => {
      const results = spaChecks(settingsFor(issuer), source(spaJson(issuer)));
      expect(results.map((r) => [r.id, r.status])).toEqual([
        ['spa-config', 'pass'],
        ['spa-domain', 'pass'],
        ['spa-audience', 'pass'],
        ['cors', 'pass'],
      ]);
    });

    it("fails an invalid config.json with the contract's messages and checks nothing else", () => {
      const results = spaChecks(settingsFor(issuer), source({ domain: 'x', clientId: 'y' }));
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ id: 'spa-config', status: 'fail' });
      expect(results[0]?.detail).toContain('audience is required');
    });

    it('fails a domain of another tenant and names the domain that fits the issuer', () => {
      const settings = settingsFor(issuer, { issuerUrl: 'https://tenant.eu.auth0.com/' });
      const result = byId(spaChecks(settings, source(spaJson(issuer))), 'spa-domain');
      expect(result.status).toBe('fail');
      expect(result.fix).toContain('"tenant.eu.auth0.com"');
    });

    it('fails an SPA audience that is not the API identifier', () => {
      const json = spaJson(issuer, { audience: 'https://other-api.example.com' });
      expect(byId(spaChecks(settingsFor(issuer), source(json)), 'spa-audience').status).toBe('fail');
    });

    it('fails when CORS_ORIGINS lacks the SPA origin', () => {
      const settings = settingsFor(issuer, { corsOrigins: ['http://localhost:4300'] });
      const result = byId(spaChecks(settings, source(spaJson(issuer))), 'cors');
      expect(result.status).toBe('fail');
      expect(result.fix).toContain(WEB);
    });
  });

  describe('operationsOf', () => {
    it('reads public and protected routes and their permissions by the OpenAPI convention', () => {
      expect(
        operationsOf({
          paths: {
            '/health': { get: { 'x-public': true, security: [] } },
            '/api/x': { get: { 'x-required-permissions': ['read:x'] }, parameters: [] },
            '/api/y': { post: {} },
          },
        }),
      ).toEqual([
        { method: 'GET', path: '/health', public: true, permissions: [] },
        { method: 'GET', path: '/api/x', public: false, permissions: ['read:x'] },
        { method: 'POST', path: '/api/y', public: false, permissions: [] },
      ]);
      expect(operationsOf('not a document')).toEqual([]);
    });
  });

  describe('routeChecks', () => {
    const spa = (overrides: Record<string, unknown> = {}) =>
      parseSpaConfig(spaJson(issuer, overrides)).config;
    const routes: ApiOperation[] = [
      { method: 'GET', path: '/api/messages/public', public: true, permissions: [] },
      { method: 'GET', path: '/api/messages/admin', public: false, permissions: ['read:admin-messages'] },
      { method: 'GET', path: '/health', public: true, permissions: [] },
    ];

    it('passes a scope with every required permission and protected routes under <apiUrl>/api/*', () => {
      expect(routeChecks(spa(), routes).map((r) => [r.id, r.status])).toEqual([
        ['spa-scope', 'pass'],
        ['spa-allowed-list', 'pass'],
      ]);
      expect(byId(routeChecks(spa(), routes), 'spa-allowed-list').detail).toBe(
        "the access token goes to http://localhost:3000/api/*, which covers the API's 1 protected route(s)",
      );
    });

    it('warns when the scope does not request a permission a route needs', () => {
      const result = byId(routeChecks(spa({ scope: 'openid profile read:messages' }), routes), 'spa-scope');
      expect(result.status).toBe('warn');
      expect(result.detail).toContain('read:admin-messages');
    });

    it('fails a protected route outside the /api/ prefix, where the SPA sends no token', () => {
      const outside = [...routes, { method: 'GET', path: '/admin/stats', public: false, permissions: [] }];
      const result = byId(routeChecks(spa(), outside), 'spa-allowed-list');
      expect(result).toMatchObject({ status: 'fail' });
      expect(result.detail).toContain('GET /admin/stats');
    });

    it('fails an apiUrl with a path, which the routes would be appended to, even without the routes', () => {
      const result = byId(
        routeChecks(spa({ apiUrl: 'http://localhost:3000/api' }), undefined),
        'spa-allowed-list',
      );
      expect(result).toMatchObject({
        status: 'fail',
        fix: 'Set apiUrl to the API\'s origin only: "http://localhost:3000".',
      });
    });

    it('skips what needs the routes when the API did not serve them', () => {
      expect(routeChecks(spa(), undefined).map((r) => [r.id, r.status])).toEqual([
        ['spa-scope', 'skip'],
        ['spa-allowed-list', 'skip'],
      ]);
    });
  });

  describe('askApi', () => {
    let api: TestApi;

    beforeEach(async () => {
      api = await startTestApi(issuer);
    });
    afterEach(() => api.close());

    it("reads a running API's routes from its OpenAPI document and checks that the SPA origin may read it", async () => {
      const answer = await askApi(api.url, WEB, network);
      expect(answer.check).toMatchObject({
        status: 'pass',
        detail: `${api.url}/api/docs-json answered with 8 route(s) and allows the origin ${WEB}`,
      });
      expect(answer.operations).toEqual(
        expect.arrayContaining([
          { method: 'GET', path: '/api/messages/public', public: true, permissions: [] },
          { method: 'GET', path: '/api/messages/protected', public: false, permissions: [] },
          { method: 'GET', path: '/api/messages/admin', public: false, permissions: ['read:admin-messages'] },
          { method: 'GET', path: '/api/me', public: false, permissions: [] },
        ]),
      );
    });

    it("fails when the running API's CORS does not allow the origin", async () => {
      const { check } = await askApi(api.url, 'http://localhost:4300', network);
      expect(check.status).toBe('fail');
      expect(check.detail).toContain('without Access-Control-Allow-Origin');
    });

    it('fails when apiUrl points at something else (HTTP 404)', async () => {
      const answer = await askApi(issuer.origin, WEB, network);
      expect(answer.check.status).toBe('fail');
      expect(answer.operations).toBeUndefined();
    });

    it('only warns when nothing listens: the API may not be started yet', async () => {
      const closed: Server = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      expect((await askApi(`http://127.0.0.1:${port}`, WEB, network)).check.status).toBe('warn');
    });
  });

  describe('runDoctorChecks', () => {
    it('uses the SPA client id for the audience check', async () => {
      const settings = settingsFor(issuer, { audience: 'sample-spa' });
      const results = await runDoctorChecks(
        settings,
        { json: spaJson(issuer, { audience: 'sample-spa' }), name: 'config.json', webOrigin: WEB },
        network,
      );
      expect(byId(results, 'audience').detail).toContain('equals the client id');
      expect(results.map((r) => r.id)).toContain('api');
    });

    it('checks the SPA against the routes of the API running at its apiUrl', async () => {
      const api = await startTestApi(issuer);
      try {
        const results = await runDoctorChecks(
          settingsFor(issuer),
          { json: spaJson(issuer, { apiUrl: api.url }), name: 'config.json', webOrigin: WEB },
          network,
        );
        expect(results.slice(6).map((r) => [r.id, r.status])).toEqual([
          ['spa-config', 'pass'],
          ['spa-domain', 'pass'],
          ['spa-audience', 'pass'],
          ['cors', 'pass'],
          ['api', 'pass'],
          ['spa-scope', 'pass'],
          ['spa-allowed-list', 'pass'],
        ]);
      } finally {
        await api.close();
      }
    });
  });
});
