import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ManualClock } from './support/clock';
import { createKey, mint, startIssuerWithKey, TestIssuer, type TestKey } from './support/issuer';
import { AUDIENCE, startTestApi, type TestApi } from './support/test-api';

const PROTECTED = '/api/messages/protected';
const COOLDOWN_MS = 300;
/** The JWKS deadline: long enough for a busy machine's localhost fetch; the slow-JWKS test proves it is enforced. */
const TIMEOUT_MS = 5_000;

// Time inside the tests is the app's clock, moved by hand; the wall clock only bounds real I/O (the JWKS deadline)
// and Jest's limit only catches a hang, both with room for a machine busy with other work (a storm of 200 signed
// tokens takes about 2 s on an idle 2-core machine).
jest.setTimeout(60_000);

/** The API against `issuer` on `clock`, with the JWKS deadline above, warnings only, and `env`. */
function startJwksApi(issuer: TestIssuer, clock: ManualClock, env: Record<string, string>): Promise<TestApi> {
  return startTestApi(
    issuer,
    { AUTH_JWKS_TIMEOUT_MS: String(TIMEOUT_MS), LOG_LEVEL: 'warn', ...env },
    clock.now,
  );
}

/**
 * The JWKS life cycle against the real AppModule: first fetch, rotation, a random-kid storm, the JWKS going down
 * and becoming slow. Each test has its own issuer and app, and moves the app's clock instead of sleeping, so no
 * test depends on how fast the machine is or on what another test left behind.
 */
describe('JWKS fetching (real AppModule over HTTP)', () => {
  let key1: TestKey;
  let issuer: TestIssuer;
  let clock: ManualClock;
  let api: TestApi;

  beforeAll(async () => {
    key1 = await createKey('key-1');
  });

  beforeEach(async () => {
    issuer = await TestIssuer.start([key1]);
    clock = new ManualClock();
    api = await startJwksApi(issuer, clock, { AUTH_JWKS_COOLDOWN_MS: String(COOLDOWN_MS) });
  });

  afterEach(async () => {
    await api.close();
    await issuer.stop();
  });

  /** A token no request has used yet, so the verified-token cache cannot answer for it. */
  const freshToken = (key: TestKey) =>
    mint(key, issuer.url, AUDIENCE, { claims: { sub: `auth0|${randomUUID()}` } });
  const call = (jwt: string, path = PROTECTED) =>
    request(api.url).get(path).set('Authorization', `Bearer ${jwt}`);
  /** Waits for the start-up fetch: one valid request. */
  const warmUp = async () => expect((await call(await freshToken(key1))).status).toBe(200);

  it('fetches the JWKS once for many concurrent requests with different tokens', async () => {
    const tokens = await Promise.all(Array.from({ length: 40 }, () => freshToken(key1)));
    const responses = await Promise.all(tokens.map((jwt) => call(jwt)));
    expect(responses.map((r) => r.status)).toEqual(tokens.map(() => 200));
    const again = await Promise.all(tokens.map((jwt) => call(jwt)));
    expect(again.every((r) => r.status === 200)).toBe(true);
    expect(issuer.jwksFetches).toBe(1);
  });

  it('accepts a rotated key after exactly one refetch', async () => {
    await warmUp();
    const key2 = await createKey('key-2');
    issuer.keys = [key1, key2];
    clock.advance(COOLDOWN_MS);
    const responses = await Promise.all(Array.from({ length: 10 }, async () => call(await freshToken(key2))));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(issuer.jwksFetches).toBe(2);
    expect((await call(await freshToken(key1))).status).toBe(200);
    expect(issuer.jwksFetches).toBe(2);
  });

  it('bounds fetches during a random-kid storm to one per cooldown, answers 401, and still takes a rotated key', async () => {
    await warmUp();
    const key3 = await createKey('key-3');
    const strangers = await Promise.all(Array.from({ length: 4 }, () => createKey('stranger')));
    // Ten bursts of 20 random kids, half a cooldown apart: refetches are allowed at 300, 600, 900 and 1200 ms.
    for (let round = 0; round < 10; round += 1) {
      if (round === 5) issuer.keys = [key1, key3];
      const burst = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const stranger = strangers[i % strangers.length] as TestKey;
          return call(await mint({ ...stranger, kid: `random-${randomUUID()}` }, issuer.url, AUDIENCE));
        }),
      );
      expect(burst.map((r) => [r.status, (r.body as { reason?: string }).reason])).toEqual(
        Array(20).fill([401, 'unknown_signing_key']),
      );
      clock.advance(COOLDOWN_MS / 2);
    }
    expect(issuer.jwksFetches).toBe(1 + 4);
    // The refetch at 900 ms brought key-3: no further fetch needed.
    expect((await call(await freshToken(key3))).status).toBe(200);
    expect(issuer.jwksFetches).toBe(5);
  });

  it('keeps cached keys working while the JWKS is down; unknown kids get 401 and readiness goes red', async () => {
    await warmUp();
    clock.advance(COOLDOWN_MS);
    issuer.mode = { kind: 'error', status: 503 };
    expect((await call(await freshToken(key1))).status).toBe(200);

    const unknown = await call(await freshToken(await createKey('key-9')));
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({
      reason: 'unknown_signing_key',
      detail: expect.stringContaining('could not be fetched (HTTP 503)') as string,
    });

    const readiness = await request(api.url).get('/health/ready');
    expect(readiness.status).toBe(503);
    expect(readiness.body).toMatchObject({ status: 'not_ready', checks: { jwks: { status: 'down' } } });
    expect(JSON.stringify(readiness.body)).not.toMatch(/BEGIN|"n":|"e":/);
    expect((await call(await freshToken(key1))).status).toBe(200);

    issuer.mode = { kind: 'up' };
    clock.advance(COOLDOWN_MS);
    expect((await request(api.url).get('/health/ready')).status).toBe(200);
  });

  it('gives up on a slow JWKS at the deadline: cached keys work, an unknown kid gets 401', async () => {
    await warmUp();
    clock.advance(COOLDOWN_MS);
    // The JWKS would answer after a minute: only the deadline can end the request.
    issuer.mode = { kind: 'slow', delayMs: 60_000 };
    expect((await call(await freshToken(key1))).status).toBe(200);
    const unknown = await call(await freshToken(await createKey('key-10')));
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({
      reason: 'unknown_signing_key',
      detail: expect.stringContaining(`timed out after ${TIMEOUT_MS} ms`) as string,
    });
  });
});

describe('the JWKS max-age refresh (real AppModule over HTTP)', () => {
  const MAX_AGE_MS = 1_000;
  let key1: TestKey;
  let issuer: TestIssuer;
  let clock: ManualClock;
  let api: TestApi;

  beforeEach(async () => {
    ({ issuer, key: key1 } = await startIssuerWithKey());
    clock = new ManualClock();
    api = await startJwksApi(issuer, clock, {
      AUTH_JWKS_MAX_AGE_MS: String(MAX_AGE_MS),
      // Longer than the max age: the refresh below can only come from the max age, never from a cooldown.
      AUTH_JWKS_COOLDOWN_MS: '60000',
    });
  });

  afterEach(async () => {
    await api.close();
    await issuer.stop();
  });

  const call = (jwt: string) => request(api.url).get(PROTECTED).set('Authorization', `Bearer ${jwt}`);

  it('runs on requests served from the verified-token cache, so a withdrawn key stops verifying cached tokens', async () => {
    const jwt = await mint(key1, issuer.url, AUDIENCE);
    expect((await call(jwt)).status).toBe(200);
    expect((await call(jwt)).status).toBe(200);
    expect(issuer.jwksFetches).toBe(1);

    // The issuer withdraws key-1; the API's key set grows older than the max age.
    issuer.keys = [await createKey('key-2')];
    clock.advance(MAX_AGE_MS + 1);
    // Still served from the cache with the key set it has, and the refresh starts in the background.
    expect((await call(jwt)).status).toBe(200);
    // Readiness shares the fetch in flight (its own refetch waits for the 60 s cooldown): once it answers, the
    // refresh is done.
    await request(api.url).get('/health/ready');
    expect(issuer.jwksFetches).toBe(2);

    const refused = await call(jwt);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ reason: 'unknown_signing_key' });
  });
});
