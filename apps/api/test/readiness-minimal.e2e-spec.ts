import request from 'supertest';
import { createKey, TestIssuer } from './support/issuer';
import { startTestApi, type TestApi } from './support/test-api';

// Jest's limit only catches a hang: an app starts in under a second, but in several on a machine busy with builds.
jest.setTimeout(60_000);

// A file of its own: it reads the logs, and nestjs-pino keeps one logger per process (per Jest module registry).
describe('readiness with AUTH_DIAGNOSTICS=minimal', () => {
  let issuer: TestIssuer;
  let api: TestApi;

  beforeAll(async () => {
    issuer = await TestIssuer.start([await createKey('key-1')]);
    // Both checks fail: no JWKS answer, and a discovery document naming another issuer.
    issuer.mode = { kind: 'error', status: 503 };
    issuer.discoveryIssuer = issuer.origin;
    api = await startTestApi(issuer, { AUTH_DIAGNOSTICS: 'minimal' });
  });

  afterAll(async () => {
    await api.close();
    await issuer.stop();
  });

  it('names no internal URL or error in the public body, and logs every detail', async () => {
    const response = await request(api.url).get('/health/ready');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      status: 'not_ready',
      checks: {
        jwks: { status: 'down', detail: 'The API log has the details.' },
        issuer: { status: 'down', detail: 'The API log has the details.' },
      },
    });
    expect(response.text).not.toContain('127.0.0.1');
    expect(api.logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 40,
          msg: expect.stringMatching(
            /^readiness not_ready: JWKS down \(JWKS fetch failed \(HTTP 503\).*issuer down \(discovery says "http:\/\/127\.0\.0\.1:\d+", AUTH_ISSUER_URL is/,
          ) as string,
        }),
      ]),
    );
  });
});
