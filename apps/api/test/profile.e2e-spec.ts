import { Permission } from '@sample/contract';
import request from 'supertest';
import { ManualClock } from './support/clock';
import { createKey, mint, TestIssuer, type TestKey } from './support/issuer';
import { FakeManagementApi } from './support/management-api';
import { AUDIENCE, preflight, startTestApi, type TestApi } from './support/test-api';

const PROFILE = '/api/me/profile';
const USER = 'auth0|test-user';

// Jest's limit only catches a hang: an app starts in under a second, but in several on a machine busy with builds.
jest.setTimeout(60_000);

/**
 * GET and PATCH /api/me/profile on the real AppModule, guards included, with real access tokens from the test
 * issuer's JWKS and a fake tenant (token endpoint + Management API users endpoints) as the network edge. Each test
 * starts its own tenant and app (no token cache or rate limit carried over) and moves the app's clock by hand.
 */
describe('profile routes (real AppModule over HTTP)', () => {
  let key: TestKey;
  let issuer: TestIssuer;
  let tenant: FakeManagementApi;
  let clock: ManualClock;
  let api: TestApi | undefined;

  beforeAll(async () => {
    key = await createKey('key-1');
  });

  beforeEach(async () => {
    issuer = await TestIssuer.start([key]);
    tenant = await FakeManagementApi.start();
    tenant.addUser(USER, { displayName: 'Ada', theme: 'light', favouriteColour: 'green' });
    clock = new ManualClock();
  });

  afterEach(async () => {
    await api?.close();
    api = undefined;
    await tenant.stop();
    await issuer.stop();
  });

  /** Starts the API against the fake tenant (or with `env` instead). */
  async function start(env: Record<string, string> = tenant.env()): Promise<string> {
    api = await startTestApi(issuer, { LOG_LEVEL: 'warn', ...env }, clock.now);
    return api.url;
  }

  /** A user's access token with edit:profile, unless `claims` says otherwise. */
  const userToken = (claims: Record<string, unknown> = {}) =>
    mint(key, issuer.url, AUDIENCE, {
      claims: { permissions: [Permission.ReadMessages, Permission.EditProfile], ...claims },
    });

  const patch = async (url: string, body: string, contentType = 'application/json') =>
    request(url)
      .patch(PROFILE)
      .set('Authorization', `Bearer ${await userToken()}`)
      .set('Content-Type', contentType)
      .send(body);

  describe('with a Management API client', () => {
    it("GET answers the caller's profile, read with the caller's own sub", async () => {
      const url = await start();
      const response = await request(url)
        .get(PROFILE)
        .set('Authorization', `Bearer ${await userToken()}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ userId: USER, displayName: 'Ada', theme: 'light' });
      expect(response.headers['cache-control']).toBe('no-store');
      expect(tenant.usersCalls).toEqual([{ method: 'GET', userId: USER, body: undefined }]);
      expect(tenant.tokenRequests).toEqual([
        {
          grant_type: 'client_credentials',
          client_id: tenant.clientId,
          client_secret: tenant.clientSecret,
          audience: tenant.audience,
        },
      ]);
    });

    it('PATCH merges the change into user_metadata (null deletes a key) and answers the new profile', async () => {
      const url = await start();
      const first = await patch(url, JSON.stringify({ displayName: '  Grace  ', theme: 'dark' }));
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ userId: USER, displayName: 'Grace', theme: 'dark' });
      const second = await patch(url, JSON.stringify({ displayName: null }));
      expect(second.body).toEqual({ userId: USER, displayName: null, theme: 'dark' });
      expect(tenant.usersCalls.map(({ method, userId, body }) => ({ method, userId, body }))).toEqual([
        { method: 'PATCH', userId: USER, body: { user_metadata: { displayName: 'Grace', theme: 'dark' } } },
        { method: 'PATCH', userId: USER, body: { user_metadata: { displayName: null } } },
      ]);
      // Keys the sample does not edit stay as they were.
      expect(tenant.users.get(USER)?.user_metadata).toEqual({ theme: 'dark', favouriteColour: 'green' });
      // One client-credentials token served both calls.
      expect(tenant.tokenRequests).toHaveLength(1);
    });

    it('takes application/merge-patch+json, and an empty change reads without writing', async () => {
      const url = await start();
      const response = await patch(url, '{}', 'application/merge-patch+json; charset=utf-8');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ userId: USER, displayName: 'Ada', theme: 'light' });
      expect(tenant.usersCalls.map(({ method }) => method)).toEqual(['GET']);
    });

    it("acts on the token's sub only: another user's token reaches that user, and a body cannot name one", async () => {
      const url = await start();
      tenant.addUser('auth0|other-user');
      const other = await request(url)
        .get(PROFILE)
        .set('Authorization', `Bearer ${await userToken({ sub: 'auth0|other-user' })}`);
      expect(other.body).toEqual({ userId: 'auth0|other-user', displayName: null, theme: null });
      const smuggled = await patch(url, JSON.stringify({ userId: 'auth0|other-user', theme: 'dark' }));
      expect(smuggled.status).toBe(400);
      expect(smuggled.body).toMatchObject({ reason: 'invalid_profile' });
      expect(smuggled.body.detail).toContain('"userId"');
      expect(tenant.usersCalls.map(({ userId }) => userId)).toEqual(['auth0|other-user']);
    });

    it('answers 404 profile_not_found for a sub the tenant does not have', async () => {
      const url = await start();
      const response = await request(url)
        .get(PROFILE)
        .set('Authorization', `Bearer ${await userToken({ sub: 'auth0|deleted' })}`);
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 404, reason: 'profile_not_found' });
    });
  });

  describe('refusals before any Management API call', () => {
    it('403 insufficient_permission without edit:profile', async () => {
      const url = await start();
      const response = await request(url)
        .get(PROFILE)
        .set('Authorization', `Bearer ${await userToken({ permissions: [Permission.ReadMessages] })}`);
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ reason: 'insufficient_permission', required: ['edit:profile'] });
      expect(tenant.tokenRequests).toEqual([]);
    });

    it('401 for a bad user token, never a 5xx', async () => {
      const url = await start();
      const expired = await userToken({ iat: 1_000, exp: 1_600 });
      const response = await request(url).patch(PROFILE).set('Authorization', `Bearer ${expired}`);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ reason: 'token_expired' });
      expect(tenant.tokenRequests).toEqual([]);
    });

    it('403 user_token_required for a client-credentials token, even one granted edit:profile', async () => {
      const url = await start();
      const m2m = await mint(key, issuer.url, AUDIENCE, {
        claims: {
          sub: 'some-client@clients',
          gty: 'client-credentials',
          scope: 'edit:profile',
          permissions: [],
        },
      });
      const response = await request(url).get(PROFILE).set('Authorization', `Bearer ${m2m}`);
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ reason: 'user_token_required' });
      expect(tenant.usersCalls).toEqual([]);
    });

    it('415 unsupported_media_type for a body that is not JSON', async () => {
      const url = await start();
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
      ]) {
        const response = await patch(url, '{"theme":"dark"}', type);
        expect({ type, status: response.status, reason: response.body.reason }).toEqual({
          type,
          status: 415,
          reason: 'unsupported_media_type',
        });
      }
      expect(tenant.usersCalls).toEqual([]);
    });

    it('413 body_too_large over 2 KB', async () => {
      const url = await start();
      const response = await patch(url, JSON.stringify({ displayName: 'x'.repeat(3000) }));
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ status: 413, reason: 'body_too_large' });
      expect(tenant.usersCalls).toEqual([]);
    });

    it('400 invalid_profile naming the field and the rule, or saying the body is not JSON', async () => {
      const url = await start();
      const cases: Array<[string, string]> = [
        ['{"theme":"blue"}', 'theme: theme must be one of system, light, dark'],
        [
          JSON.stringify({ displayName: 'x'.repeat(61) }),
          'displayName: displayName must be at most 60 characters',
        ],
        ['{"displayName":"   "}', 'displayName: displayName must not be empty (send null to delete it)'],
        ['{"theme":', 'The body is not valid JSON'],
        ['', 'The body is empty'],
        ['["dark"]', 'the body must be a JSON object'],
      ];
      for (const [body, detail] of cases) {
        const response = await patch(url, body);
        expect({ body, status: response.status, reason: response.body.reason }).toEqual({
          body,
          status: 400,
          reason: 'invalid_profile',
        });
        expect({ body, detail: response.body.detail }).toEqual({
          body,
          detail: expect.stringContaining(detail),
        });
      }
      expect(tenant.usersCalls).toEqual([]);
    });

    it('503 management_not_configured, naming the settings, without MANAGEMENT_CLIENT_ID', async () => {
      const url = await start({});
      const response = await request(url)
        .get(PROFILE)
        .set('Authorization', `Bearer ${await userToken()}`);
      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 503, reason: 'management_not_configured' });
      expect(response.body.detail).toContain('MANAGEMENT_CLIENT_ID');
      expect(tenant.tokenRequests).toEqual([]);
    });
  });

  describe('Management API failures', () => {
    it('429 becomes 503 management_rate_limited with Retry-After, and nothing is sent upstream until then', async () => {
      const url = await start();
      const get = async () =>
        request(url)
          .get(PROFILE)
          .set('Authorization', `Bearer ${await userToken()}`);
      tenant.forcedUsers.push({ status: 429, headers: { 'retry-after': '30' }, body: { statusCode: 429 } });
      const limited = await get();
      expect(limited.status).toBe(503);
      expect(limited.headers['retry-after']).toBe('30');
      expect(limited.body).toMatchObject({ reason: 'management_rate_limited' });

      clock.advance(20_000);
      const held = await get();
      expect(held.status).toBe(503);
      expect(held.headers['retry-after']).toBe('10');
      expect(tenant.usersCalls).toHaveLength(1);

      clock.advance(10_000);
      expect((await get()).status).toBe(200);
      expect(tenant.usersCalls).toHaveLength(2);
    });

    it('a 401 from the Management API drops the token and retries once with a new one', async () => {
      const url = await start();
      const get = async () =>
        request(url)
          .get(PROFILE)
          .set('Authorization', `Bearer ${await userToken()}`);
      expect((await get()).status).toBe(200);
      tenant.revokeTokens();
      expect((await get()).status).toBe(200);
      expect(tenant.tokenRequests).toHaveLength(2);
      expect(tenant.usersCalls).toHaveLength(3);
    });

    it('502 management_rejected when the tenant refuses the client, naming no secret', async () => {
      const url = await start({
        ...tenant.env(),
        MANAGEMENT_CLIENT_SECRET: 'a-wrong-secret-of-enough-length',
      });
      const response = await request(url)
        .get(PROFILE)
        .set('Authorization', `Bearer ${await userToken()}`);
      expect(response.status).toBe(502);
      expect(response.body).toMatchObject({ reason: 'management_rejected' });
      expect(JSON.stringify(response.body)).not.toContain('a-wrong-secret');
    });

    it('502 management_unavailable when the tenant fails or cannot be reached', async () => {
      const url = await start();
      tenant.forcedUsers.push({ status: 500, body: { statusCode: 500 } });
      const failed = await request(url)
        .get(PROFILE)
        .set('Authorization', `Bearer ${await userToken()}`);
      expect(failed.status).toBe(502);
      expect(failed.body).toMatchObject({ reason: 'management_unavailable' });
      await tenant.stop();
      const unreachable = await request(url)
        .get(PROFILE)
        .set('Authorization', `Bearer ${await userToken()}`);
      expect(unreachable.status).toBe(502);
      expect(unreachable.body).toMatchObject({ reason: 'management_unavailable' });
      tenant = await FakeManagementApi.start();
    });

    it('lets the SPA send PATCH with a JSON body from its origin (CORS preflight)', async () => {
      const url = await start();
      const preflighted = await preflight(url, PROFILE, 'PATCH', 'authorization,content-type');
      expect(preflighted.status).toBe(204);
      expect(preflighted.headers['access-control-allow-methods']).toContain('PATCH');
      expect(preflighted.headers['access-control-allow-headers']).toContain('Content-Type');
    });
  });
});
