import { Permission } from '@sample/contract';
import request from 'supertest';
import { mint, startIssuerWithKey, type TestIssuer, type TestKey } from './support/issuer';
import { FakeManagementApi } from './support/management-api';
import { AUDIENCE, startTestApi, type TestApi } from './support/test-api';

const PROFILE = '/api/me/profile';

// A file of its own: it reads the logs, and nestjs-pino keeps one logger per process (per Jest module registry).
describe('profile routes: what the logs say', () => {
  let key: TestKey;
  let issuer: TestIssuer;
  let tenant: FakeManagementApi;
  let api: TestApi;

  beforeAll(async () => {
    ({ issuer, key } = await startIssuerWithKey());
    tenant = await FakeManagementApi.start();
    tenant.addUser('auth0|test-user');
    api = await startTestApi(issuer, { ...tenant.env(), LOG_LEVEL: 'debug' });
  });

  afterAll(async () => {
    await api.close();
    await tenant.stop();
    await issuer.stop();
  });

  const get = async () =>
    request(api.url)
      .get(PROFILE)
      .set(
        'Authorization',
        `Bearer ${await mint(key, issuer.url, AUDIENCE, { claims: { permissions: [Permission.EditProfile] } })}`,
      );

  it('says how to fix a refused client and puts the reason on the access log line, never the secret', async () => {
    expect((await get()).status).toBe(200);
    tenant.revokeTokens();
    tenant.forcedToken.push({ status: 401, body: { error: 'invalid_client' } });
    const refused = await get();
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ reason: 'management_rejected' });
    tenant.forcedUsers.push({ status: 429, headers: { 'retry-after': '5' } });
    expect((await get()).status).toBe(503);

    const messages = api.logs.map((line) => String(line['msg']));
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /refused the Management API client "test-m2m-client".*invalid_client.*Fix: check MANAGEMENT_CLIENT_ID/,
        ),
        expect.stringContaining('HTTP 429, no Management API call for 5 s'),
      ]),
    );
    expect(api.logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'management_rejected', res: { statusCode: 502 } }),
        expect.objectContaining({ reason: 'management_rate_limited', res: { statusCode: 503 } }),
      ]),
    );
    // The secret went to the token endpoint (form body) and nowhere else.
    expect(tenant.tokenRequests.map((form) => form['client_secret'])).toContain(tenant.clientSecret);
    expect(JSON.stringify(api.logs)).not.toContain(tenant.clientSecret);
    expect(JSON.stringify(refused.body)).not.toContain(tenant.clientSecret);
  });
});
