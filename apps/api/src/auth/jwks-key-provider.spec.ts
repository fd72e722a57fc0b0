import { Logger } from '@nestjs/common';
import { createKey, mint, TestIssuer, type TestKey } from '../../test/support/issuer';
import { AuthProblemException } from './auth-problem.exception';
import { JwksKeyProvider } from './jwks-key-provider';
import { inspectToken, type InspectedToken } from './token-classifier';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('JwksKeyProvider', () => {
  // The provider and the guard log through Nest's Logger; keep the test output clean.
  beforeAll(() => Logger.overrideLogger(false));

  let issuer: TestIssuer;
  let key1: TestKey;

  beforeAll(async () => {
    key1 = await createKey('key-1');
  });

  beforeEach(async () => {
    issuer = await TestIssuer.start([key1]);
  });

  afterEach(async () => {
    await issuer.stop();
  });

  const providerFor = (cooldownMs = 10_000, timeoutMs = 300, maxAgeMs = 600_000) =>
    new JwksKeyProvider({
      jwksUri: `${issuer.url}.well-known/jwks.json`,
      issuerUrl: issuer.url,
      jwksCooldownMs: cooldownMs,
      jwksTimeoutMs: timeoutMs,
      jwksMaxAgeMs: maxAgeMs,
    });
  const inspected = async (key: TestKey, kid = key.kid): Promise<InspectedToken> =>
    inspectToken(await mint({ ...key, kid }, issuer.url, 'aud'), { algorithms: ['RS256'] });

  async function reasonOf(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof AuthProblemException) return error.reason;
      throw error;
    }
    throw new Error('expected a rejection');
  }

  describe('getKey', () => {
    it('shares one fetch among concurrent lookups and caches the KeyObject', async () => {
      const provider = providerFor();
      const token = await inspected(key1);
      const keys = await Promise.all(Array.from({ length: 20 }, () => provider.getKey(token)));
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]?.type).toBe('public');
      await provider.getKey(token);
      expect(issuer.jwksFetches).toBe(1);
    });

    it('refetches for an unknown kid at most once per cooldown and fails fast in between', async () => {
      const provider = providerFor(200);
      await provider.getKey(await inspected(key1));
      const unknown = await inspected(key1, 'nope');
      await sleep(200);
      expect(await reasonOf(provider.getKey(unknown))).toBe('unknown_signing_key');
      expect(issuer.jwksFetches).toBe(2);
      const started = Date.now();
      const reasons = await Promise.all(Array.from({ length: 50 }, () => reasonOf(provider.getKey(unknown))));
      expect(new Set(reasons)).toEqual(new Set(['unknown_signing_key']));
      expect(Date.now() - started).toBeLessThan(500);
      expect(issuer.jwksFetches).toBe(2);
    });

    it('refetches a key set older than the max age in the background, so a withdrawn key stops verifying', async () => {
      const provider = providerFor(0, 300, 100);
      const token = await inspected(key1);
      await provider.getKey(token);
      issuer.keys = [await createKey('key-2')];
      await sleep(150);
      // This lookup still uses the cached key and starts the refetch; the next one sees the new set.
      expect((await provider.getKey(token)).type).toBe('public');
      await provider.refresh(10_000);
      expect(issuer.jwksFetches).toBe(2);
      expect(await reasonOf(provider.getKey(token))).toBe('unknown_signing_key');
    });

    it('does not refetch a key set younger than the max age', async () => {
      const provider = providerFor(0, 300, 60_000);
      const token = await inspected(key1);
      for (let i = 0; i < 5; i += 1) await provider.getKey(token);
      expect(issuer.jwksFetches).toBe(1);
    });

    it('describes the cached keys by type and curve, for the startup checks', async () => {
      issuer.keys = [key1, await createKey('ec-1', 'ES256')];
      const status = await providerFor().refresh();
      expect(status.keys).toEqual([
        { kid: 'key-1', kty: 'RSA', alg: 'RS256' },
        { kid: 'ec-1', kty: 'EC', alg: 'ES256', crv: 'P-256' },
      ]);
    });

    it("rejects a token whose alg differs from the JWK's alg", async () => {
      const provider = providerFor();
      await provider.refresh();
      const token = await inspected(key1);
      const lying: InspectedToken = { ...token, header: { ...token.header, alg: 'RS384' } };
      expect(await reasonOf(provider.getKey(lying))).toBe('algorithm_not_allowed');
    });

    it('keeps the cached keys when the JWKS fails, and says so for an unknown kid', async () => {
      const provider = providerFor(0);
      await provider.refresh();
      issuer.mode = { kind: 'error', status: 500 };
      await expect(provider.getKey(await inspected(key1))).resolves.toBeDefined();
      let detail = '';
      try {
        await provider.getKey(await inspected(key1, 'other'));
      } catch (error) {
        detail = (error as AuthProblemException).detail;
      }
      expect(detail).toContain('could not be fetched');
      expect(provider.status()).toMatchObject({ kids: ['key-1'], lastFailure: expect.any(String) as string });
    });

    it('gives up on a slow JWKS after the timeout', async () => {
      const provider = providerFor(0, 200);
      issuer.mode = { kind: 'slow', delayMs: 2_000 };
      const started = Date.now();
      expect(await reasonOf(provider.getKey(await inspected(key1)))).toBe('unknown_signing_key');
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(provider.status().lastFailure).toBe('timed out after 200 ms');
    });
  });

  describe('refresh', () => {
    it('drops keys that left the JWKS (rotation finished)', async () => {
      const provider = providerFor(0);
      await provider.refresh();
      const key2 = await createKey('key-2');
      issuer.keys = [key2];
      await provider.refresh();
      expect(provider.hasKey('key-1')).toBe(false);
      expect(provider.hasKey('key-2')).toBe(true);
    });
  });
});
