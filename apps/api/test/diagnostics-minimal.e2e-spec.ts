import { REASONS } from '@sample/contract';
import request from 'supertest';
import { mint, startIssuerWithKey, type TestIssuer, type TestKey } from './support/issuer';
import { startTestApi, type TestApi } from './support/test-api';

const PROTECTED = '/api/messages/protected';

// A file of its own: nestjs-pino keeps one logger per process (per Jest module registry), so one app per file.
describe('AUTH_DIAGNOSTICS=minimal', () => {
  let issuer: TestIssuer;
  let key: TestKey;
  let api: TestApi;

  beforeAll(async () => {
    ({ issuer, key } = await startIssuerWithKey());
    api = await startTestApi(issuer, { AUTH_DIAGNOSTICS: 'minimal' });
  });

  afterAll(async () => {
    await api.close();
    await issuer.stop();
  });

  it('keeps the reason and a generic detail in the body, and logs the full detail', async () => {
    const jwt = await mint(key, issuer.url, 'https://other-api.sample.local');
    const response = await request(api.url).get(PROTECTED).set('Authorization', `Bearer ${jwt}`);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(response.body).toEqual({
      type: expect.any(String) as string,
      title: REASONS.audience_mismatch.title,
      status: 401,
      detail: 'Token is for another audience. The API log has the details.',
      reason: 'audience_mismatch',
    });
    expect(api.logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reason: 'audience_mismatch',
          detail: expect.stringContaining('other-api.sample.local') as string,
        }),
      ]),
    );
  });
});
