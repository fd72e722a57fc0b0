import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createKey, mint, TestIssuer, type TestKey } from './support/issuer';
import { AUDIENCE, startTestApi, type TestApi } from './support/test-api';

const PROTECTED = '/api/messages/protected';
const COOLDOWN_MS = 300;
const TIMEOUT_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The JWKS life cycle, in order, against one app: first fetch, rotation, a random-kid storm, the JWKS going
 * down and becoming slow. Each test leaves the issuer up for the next one.
 */
describe('JWKS fetching (real AppModule over HTTP)', () => {
  let issuer: TestIssuer;
  let key1: TestKey;
  let api: TestApi;

  beforeAll(async () => {
    key1 = await createKey('key-1');
    issuer = await TestIssuer.start([key1]);
    api = await startTestApi(issuer, {
      AUTH_JWKS_COOLDOWN_MS: String(COOLDOWN_MS),
      AUTH_JWKS_TIMEOUT_MS: String(TIMEOUT_MS),
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    await api.close();
    await issuer.stop();
  });

  afterEach(() => {
    issuer.mode = { kind: 'up' };
  });

  /** A token no request has used yet, so the verified-token cache cannot answer for it. */
  const freshToken = (key: TestKey, claims: Record<string, unknown> = {}) =>
    mint(key, issuer.url, AUDIENCE, { claims: { sub: `auth0|${randomUUID()}`, ...claims } });
  const call = (jwt: string, path = PROTECTED) =>
    request(api.url).get(path).set('Authorization', `Bearer ${jwt}`);

  it('fetches the JWKS once for many concurrent requests with different tokens', async () => {
    const tokens = await Promise.all(Array.from({ length: 40 }, () => freshToken(key1)));
    const responses = await Promise.all(tokens.map((jwt) => call(jwt)));
    expect(responses.map((r) => r.status)).toEqual(tokens.map(() => 200));
    const again = await Promise.all(tokens.map((jwt) => call(jwt)));
    expect(again.every((r) => r.status === 200)).toBe(true);
    expect(issuer.jwksFetches).toBe(1);
  });

  it('accepts a rotated key after exactly one refetch', async () => {
    const key2 = await createKey('key-2');
    issuer.keys = [key1, key2];
    await sleep(COOLDOWN_MS);
    const before = issuer.jwksFetches;
    const responses = await Promise.all(Array.from({ length: 10 }, async () => call(await freshToken(key2))));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(issuer.jwksFetches).toBe(before + 1);
    expect((await call(await freshToken(key1))).status).toBe(200);
    expect(issuer.jwksFetches).toBe(before + 1);
  });

  it('bounds fetches during a random-kid storm, answers 401, and still takes a rotated key', async () => {
    await sleep(COOLDOWN_MS);
    const before = issuer.jwksFetches;
    const started = Date.now();
    const statuses: number[] = [];
    const key3 = await createKey('key-3');
    const strangers = await Promise.all(Array.from({ length: 4 }, () => createKey(`random-${randomUUID()}`)));
    for (let round = 0; round < 10; round += 1) {
      if (round === 5) issuer.keys = [key1, key3];
      const burst = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const stranger = strangers[i % strangers.length] as TestKey;
          const jwt = await mint({ ...stranger, kid: `random-${randomUUID()}` }, issuer.url, AUDIENCE);
          const response = await call(jwt);
          expect(response.body).toMatchObject({ reason: 'unknown_signing_key' });
          return response.status;
        }),
      );
      statuses.push(...burst);
      await sleep(50);
    }
    const elapsed = Date.now() - started;
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(issuer.jwksFetches - before).toBeLessThanOrEqual(Math.ceil(elapsed / COOLDOWN_MS) + 1);
    await sleep(COOLDOWN_MS);
    expect((await call(await freshToken(key3))).status).toBe(200);
  });

  it('keeps cached keys working while the JWKS is down; unknown kids get 401 and readiness goes red', async () => {
    await sleep(COOLDOWN_MS);
    issuer.mode = { kind: 'error', status: 503 };
    expect((await call(await freshToken(key1))).status).toBe(200);

    const unknown = await call(await freshToken(await createKey('key-9')));
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({
      reason: 'unknown_signing_key',
      detail: expect.stringContaining('could not be fetched') as string,
    });

    const readiness = await request(api.url).get('/health/ready');
    expect(readiness.status).toBe(503);
    expect(readiness.body).toMatchObject({ status: 'not_ready', checks: { jwks: { status: 'down' } } });
    expect(JSON.stringify(readiness.body)).not.toMatch(/BEGIN|"n":|"e":/);

    issuer.mode = { kind: 'up' };
    await sleep(COOLDOWN_MS);
    expect((await request(api.url).get('/health/ready')).status).toBe(200);
  });

  it('gives up on a slow JWKS after the timeout: cached keys work, unknown kid 401', async () => {
    await sleep(COOLDOWN_MS);
    issuer.mode = { kind: 'slow', delayMs: 5_000 };
    expect((await call(await freshToken(key1))).status).toBe(200);
    const started = Date.now();
    const unknown = await call(await freshToken(await createKey('key-10')));
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({
      reason: 'unknown_signing_key',
      detail: expect.stringContaining(`timed out after ${TIMEOUT_MS} ms`) as string,
    });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);
  });
});
