import { Logger } from '@nestjs/common';
import { SigningKeyNotFoundError } from 'jwks-rsa';
import { ManualClock } from '../../test/support/clock';
import { createKey, TestIssuer, type TestKey } from '../../test/support/issuer';
import { TokenRefusedError } from './bearer-token';
import { JwksKeyProvider } from './jwks-key-provider';

const COOLDOWN_MS = 10_000;

describe('JwksKeyProvider', () => {
  // The provider logs through Nest's Logger; keep the test output clean.
  beforeAll(() => Logger.overrideLogger(false));

  let issuer: TestIssuer;
  let key1: TestKey;
  let clock: ManualClock;

  beforeAll(async () => {
    key1 = await createKey('key-1');
  });

  beforeEach(async () => {
    issuer = await TestIssuer.start([key1]);
    clock = new ManualClock();
  });

  afterEach(async () => {
    await issuer.stop();
  });

  const providerFor = ({ cooldownMs = COOLDOWN_MS, timeoutMs = 5_000, maxAgeMs = 600_000 } = {}) =>
    new JwksKeyProvider(
      {
        jwksUri: `${issuer.url}.well-known/jwks.json`,
        jwksCooldownMs: cooldownMs,
        jwksTimeoutMs: timeoutMs,
        jwksMaxAgeMs: maxAgeMs,
      },
      clock.now,
    );

  async function failure(promise: Promise<unknown>): Promise<unknown> {
    try {
      await promise;
    } catch (error) {
      return error;
    }
    throw new Error('expected a rejection');
  }

  describe('getKey', () => {
    it('shares one fetch among concurrent lookups and keeps the parsed KeyObject', async () => {
      const provider = providerFor();
      const keys = await Promise.all(Array.from({ length: 20 }, () => provider.getKey('key-1', 'RS256')));
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]?.type).toBe('public');
      expect(await provider.getKey('key-1', 'RS256')).toBe(keys[0]);
      expect(issuer.jwksFetches).toBe(1);
    });

    it('refetches for an unknown kid at most once per cooldown; lookups in between fail without a fetch', async () => {
      const provider = providerFor();
      await provider.getKey('key-1', 'RS256');
      clock.advance(COOLDOWN_MS);
      expect(await failure(provider.getKey('nope', 'RS256'))).toBeInstanceOf(SigningKeyNotFoundError);
      expect(issuer.jwksFetches).toBe(2);
      // A fetch now would wait for this JWKS and then time out: none is made, every lookup fails at once.
      issuer.mode = { kind: 'slow', delayMs: 60_000 };
      clock.advance(COOLDOWN_MS - 1);
      const errors = await Promise.all(
        Array.from({ length: 50 }, () => failure(provider.getKey('nope', 'RS256'))),
      );
      expect(errors.every((error) => error instanceof SigningKeyNotFoundError)).toBe(true);
      expect(issuer.jwksFetches).toBe(2);
      expect(provider.status().lastFailure).toBeNull();
    });

    it('takes a rotated key after one refetch, once the cooldown has passed', async () => {
      const provider = providerFor();
      await provider.refresh();
      issuer.keys = [key1, await createKey('key-2')];
      clock.advance(COOLDOWN_MS);
      const keys = await Promise.all(Array.from({ length: 10 }, () => provider.getKey('key-2', 'RS256')));
      expect(keys.every((key) => key.type === 'public')).toBe(true);
      expect(issuer.jwksFetches).toBe(2);
    });

    it('refetches a key set older than the max age in the background, so a withdrawn key stops verifying', async () => {
      const provider = providerFor({ cooldownMs: 0, maxAgeMs: 1_000 });
      await provider.getKey('key-1', 'RS256');
      issuer.keys = [await createKey('key-2')];
      clock.advance(1_001);
      // This lookup still gets the cached key and starts the refetch; once it is done, the key is gone.
      expect((await provider.getKey('key-1', 'RS256')).type).toBe('public');
      await provider.refresh(Number.POSITIVE_INFINITY);
      expect(issuer.jwksFetches).toBe(2);
      expect(provider.hasKey('key-1')).toBe(false);
      expect(await failure(provider.getKey('key-1', 'RS256'))).toBeInstanceOf(SigningKeyNotFoundError);
    });

    it('does not refetch a key set younger than the max age', async () => {
      const provider = providerFor({ cooldownMs: 0, maxAgeMs: 60_000 });
      for (let i = 0; i < 5; i += 1) {
        await provider.getKey('key-1', 'RS256');
        clock.advance(10_000);
      }
      expect(issuer.jwksFetches).toBe(1);
    });

    it("refuses a token whose alg differs from the JWK's alg", async () => {
      const provider = providerFor();
      const error = await failure(provider.getKey('key-1', 'RS384'));
      expect(error).toBeInstanceOf(TokenRefusedError);
      expect(error).toMatchObject({ check: 'key_algorithm', expected: 'RS256' });
    });

    it('keeps the cached keys when the JWKS fails, and retries an unknown kid after a second', async () => {
      const provider = providerFor();
      await provider.refresh();
      issuer.mode = { kind: 'error', status: 500 };
      clock.advance(COOLDOWN_MS);
      expect((await provider.getKey('key-1', 'RS256')).type).toBe('public');
      expect(await failure(provider.getKey('other', 'RS256'))).toBeInstanceOf(SigningKeyNotFoundError);
      expect(provider.status()).toMatchObject({ kids: ['key-1'], lastFailure: 'HTTP 500', fetches: 2 });
      clock.advance(1_000);
      await failure(provider.getKey('other', 'RS256'));
      expect(issuer.jwksFetches).toBe(3);
    });

    it('gives up on a slow JWKS at the deadline', async () => {
      const provider = providerFor({ timeoutMs: 200 });
      issuer.mode = { kind: 'slow', delayMs: 60_000 };
      expect(await failure(provider.getKey('key-1', 'RS256'))).toBeInstanceOf(SigningKeyNotFoundError);
      expect(provider.status().lastFailure).toBe('timed out after 200 ms');
    });

    it('names the network error of an issuer that does not listen', async () => {
      const provider = providerFor();
      await issuer.stop();
      await provider.refresh();
      expect(provider.status().lastFailure).toBe('ECONNREFUSED');
      issuer = await TestIssuer.start();
    });
  });

  describe('refreshIfStale', () => {
    it('starts a refetch once the set is older than the max age, even when the cooldown is longer', async () => {
      const provider = providerFor({ cooldownMs: 60_000, maxAgeMs: 1_000 });
      await provider.refresh();
      issuer.keys = [await createKey('key-2')];
      provider.refreshIfStale();
      clock.advance(1_000);
      provider.refreshIfStale();
      expect(issuer.jwksFetches).toBe(1);
      clock.advance(1);
      provider.refreshIfStale();
      await provider.refresh(Number.POSITIVE_INFINITY);
      expect(issuer.jwksFetches).toBe(2);
      expect(provider.status().kids).toEqual(['key-2']);
    });

    it('fetches nothing before the first fetch succeeded (the start-up fetch or a lookup does that)', () => {
      const provider = providerFor({ maxAgeMs: 1_000 });
      clock.advance(5_000);
      provider.refreshIfStale();
      expect(provider.status().fetches).toBe(0);
    });

    it('tries at most once per max age while the JWKS is down, and keeps the cached keys', async () => {
      const provider = providerFor({ cooldownMs: 60_000, maxAgeMs: 1_000 });
      await provider.refresh();
      issuer.mode = { kind: 'error', status: 503 };
      clock.advance(1_001);
      for (let i = 0; i < 5; i += 1) provider.refreshIfStale();
      await provider.refresh(Number.POSITIVE_INFINITY);
      expect(issuer.jwksFetches).toBe(2);
      expect(provider.hasKey('key-1')).toBe(true);
      clock.advance(999);
      provider.refreshIfStale();
      expect(issuer.jwksFetches).toBe(2);
      clock.advance(1);
      provider.refreshIfStale();
      await provider.refresh(Number.POSITIVE_INFINITY);
      expect(issuer.jwksFetches).toBe(3);
    });
  });

  describe('refresh', () => {
    it('drops keys that left the JWKS (rotation finished) and reports the age of the set', async () => {
      const provider = providerFor();
      await provider.refresh();
      issuer.keys = [await createKey('key-2')];
      clock.advance(2_000);
      expect(provider.status().ageMs).toBe(2_000);
      const status = await provider.refresh();
      expect(status).toMatchObject({ kids: ['key-2'], ageMs: 0, fetches: 2, lastFailure: null });
      expect(provider.hasKey('key-1')).toBe(false);
    });

    it('counts a JWKS without usable signing keys as a failed fetch', async () => {
      issuer.keys = [];
      const status = await providerFor().refresh();
      expect(status).toMatchObject({ kids: [], lastFailure: 'The JWKS endpoint did not contain any keys' });
    });
  });
});
