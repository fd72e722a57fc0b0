import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import * as oidc from 'openid-client';
import { ConfigError, LOCAL_TENANT } from '@sample/contract';
import { discoverM2m } from '../testing/spa-client';
import { makeDataDir, startTestServer } from '../testing/test-server';
import {
  loadOrCreateSigningKeys,
  publicJwks,
  retireSigningKeys,
  rotateSigningKeys,
  SIGNING_KEYS_FILE,
  startSigningKeys,
} from './signing-keys';

describe('signing keys', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await makeDataDir();
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('generates an RS256 key at first start, kid = JWK thumbprint, readable by the owner only', async () => {
    const { keys, created } = await loadOrCreateSigningKeys(dataDir);
    expect(created).toBe(true);
    const [key] = keys;
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(key?.kid).toBe(await calculateJwkThumbprint(key as JWK, 'sha256'));
    expect((await stat(join(dataDir, SIGNING_KEYS_FILE))).mode & 0o777).toBe(0o600);
  });

  it('reuses the key after a restart', async () => {
    const first = await loadOrCreateSigningKeys(dataDir);
    const again = await loadOrCreateSigningKeys(dataDir);
    expect(again.created).toBe(false);
    expect(again.keys).toEqual(first.keys);
  });

  it('publishes public members only', async () => {
    const { keys } = await loadOrCreateSigningKeys(dataDir);
    const [published] = publicJwks(keys).keys;
    expect(Object.keys(published ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('explains a damaged key file instead of replacing it', async () => {
    await writeFile(join(dataDir, SIGNING_KEYS_FILE), '{"keys": []}');
    await expect(loadOrCreateSigningKeys(dataDir)).rejects.toThrow(ConfigError);
    await expect(loadOrCreateSigningKeys(dataDir)).rejects.toThrow(/delete the file to generate a new key/);
  });

  it('refuses a stored key whose kid is not its thumbprint (a hand-edited file)', async () => {
    const { keys } = await loadOrCreateSigningKeys(dataDir);
    const edited = { keys: [{ ...keys[0], kid: 'my-key' }] };
    await writeFile(join(dataDir, SIGNING_KEYS_FILE), JSON.stringify(edited));
    await expect(loadOrCreateSigningKeys(dataDir)).rejects.toThrow(
      /keys\[0\]\.kid "my-key" is not the key's thumbprint/,
    );
  });

  it('refuses a stored key that does not import as an RSA private key', async () => {
    const { keys } = await loadOrCreateSigningKeys(dataDir);
    const broken = { keys: [{ ...keys[0], e: 'AQAB', n: 'bm90LWEtbW9kdWx1cw' }] };
    await writeFile(join(dataDir, SIGNING_KEYS_FILE), JSON.stringify(broken));
    await expect(loadOrCreateSigningKeys(dataDir)).rejects.toThrow(ConfigError);
  });

  it('names AUTH_SERVER_DATA_DIR when the data folder is a file, without a stack trace', async () => {
    const file = join(dataDir, 'not-a-folder');
    await writeFile(file, 'x');
    const error = await loadOrCreateSigningKeys(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('is not the folder or file expected here (ENOTDIR)');
    expect((error as ConfigError).issues[0]?.key).toBe('AUTH_SERVER_DATA_DIR');
  });

  it('serves the same key after the server restarts', async () => {
    const jwksOf = async () => {
      const server = await startTestServer({ dataDir });
      try {
        return (await (await fetch(server.url('.well-known/jwks.json'))).json()) as { keys: JWK[] };
      } finally {
        await server.stop();
      }
    };
    const before = await jwksOf();
    const after = await jwksOf();
    expect(after.keys.map((key) => key.kid)).toEqual(before.keys.map((key) => key.kid));
  });

  it('rotates: a new key signs, the old one stays published so earlier tokens still verify', async () => {
    const token = async (server: Awaited<ReturnType<typeof startTestServer>>) =>
      (
        await oidc.clientCredentialsGrant(await discoverM2m(server.issuer), {
          audience: LOCAL_TENANT.apiAudience,
        })
      ).access_token;

    const before = await startTestServer({ dataDir });
    const oldToken = await token(before);
    const oldKid = decodeProtectedHeader(oldToken).kid;
    await before.stop();

    const { current, previous } = await rotateSigningKeys(dataDir, { lifetimeSeconds: 86_400 });
    expect(previous).toEqual([oldKid]);
    const persisted = JSON.parse(await readFile(join(dataDir, SIGNING_KEYS_FILE), 'utf8')) as { keys: JWK[] };
    expect(persisted.keys.map((key) => key.kid)).toEqual([current, oldKid]);

    const after = await startTestServer({ dataDir });
    try {
      const newToken = await token(after);
      expect(decodeProtectedHeader(newToken).kid).toBe(current);
      const jwks = createRemoteJWKSet(new URL(after.url('.well-known/jwks.json')));
      for (const signed of [oldToken, newToken]) {
        // The issuer differs between the two runs (new port); the signature is what is checked here.
        await expect(jwtVerify(signed, jwks, { audience: LOCAL_TENANT.apiAudience })).resolves.toBeDefined();
      }
    } finally {
      await after.stop();
    }
  });

  describe('retirement', () => {
    const DAY = 86_400;
    let time: Date;
    const policy = { lifetimeSeconds: DAY, now: () => time };
    const later = (seconds: number) => {
      time = new Date(time.getTime() + seconds * 1000);
    };
    const stored = async () =>
      JSON.parse(await readFile(join(dataDir, SIGNING_KEYS_FILE), 'utf8')) as {
        keys: JWK[];
        retiredAt: Record<string, string>;
      };

    beforeEach(() => {
      time = new Date('2030-01-01T10:00:00.000Z');
    });

    it('publishes a replaced key for the longest token lifetime after a server stopped signing with it', async () => {
      const first = await startSigningKeys(dataDir, policy);
      const oldKid = first.keys[0]?.kid ?? '';
      later(3600);
      // Rotated while a server still signs with the old key: it is not retired yet.
      const { current } = await rotateSigningKeys(dataDir, policy);
      expect((await stored()).retiredAt).toEqual({});
      later(3 * DAY);
      // The restart: from now on the new key signs, and the old one is kept a token lifetime.
      const restarted = await startSigningKeys(dataDir, policy);
      expect(restarted.keys.map((key) => key.kid)).toEqual([current, oldKid]);
      expect((await stored()).retiredAt).toEqual({ [oldKid]: '2030-01-04T11:00:00.000Z' });

      later(DAY - 1);
      expect((await startSigningKeys(dataDir, policy)).retired).toEqual([]);
      // Restarts keep the time it stopped signing, not the time of the last start.
      expect((await stored()).retiredAt).toEqual({ [oldKid]: '2030-01-04T11:00:00.000Z' });
      later(1);
      const after = await startSigningKeys(dataDir, policy);
      expect(after.retired).toEqual([oldKid]);
      expect(after.keys.map((key) => key.kid)).toEqual([current]);
      expect(await stored()).toEqual({ keys: [expect.objectContaining({ kid: current })], retiredAt: {} });
    });

    it('drops expired keys when rotating again', async () => {
      const { keys } = await startSigningKeys(dataDir, policy);
      const { current } = await rotateSigningKeys(dataDir, policy);
      await startSigningKeys(dataDir, policy);
      later(DAY);
      const again = await rotateSigningKeys(dataDir, policy);
      expect(again.retired).toEqual([keys[0]?.kid]);
      expect(again.previous).toEqual([current]);
      expect((await stored()).keys.map((key) => key.kid)).toEqual([again.current, current]);
    });

    it('retires now with --retire-keys, saying until when the others stay', async () => {
      const { keys } = await startSigningKeys(dataDir, policy);
      const second = await rotateSigningKeys(dataDir, policy);
      await startSigningKeys(dataDir, policy);
      const third = await rotateSigningKeys(dataDir, policy);
      expect(await retireSigningKeys(dataDir, policy)).toEqual({
        retired: [],
        kept: [
          { kid: second.current, retiresAt: undefined },
          { kid: keys[0]?.kid, retiresAt: new Date('2030-01-02T10:00:00.000Z') },
        ],
      });
      later(DAY);
      expect(await retireSigningKeys(dataDir, policy)).toEqual({
        retired: [keys[0]?.kid],
        kept: [{ kid: second.current, retiresAt: undefined }],
      });
      expect((await stored()).keys.map((key) => key.kid)).toEqual([third.current, second.current]);
      // A leaked key goes at once with force; the newest key is always kept.
      expect(await retireSigningKeys(dataDir, { ...policy, force: true })).toEqual({
        retired: [second.current],
        kept: [],
      });
      expect((await stored()).keys.map((key) => key.kid)).toEqual([third.current]);
    });

    it('serves the JWKS without the retired key', async () => {
      const { keys } = await startSigningKeys(dataDir, policy);
      await rotateSigningKeys(dataDir, policy);
      await startSigningKeys(dataDir, policy);
      later(DAY);
      const started = await startSigningKeys(dataDir, policy);
      const server = await startTestServer({ dataDir });
      try {
        const { keys: published } = (await (await fetch(server.url('.well-known/jwks.json'))).json()) as {
          keys: JWK[];
        };
        expect(published.map((key) => key.kid)).toEqual(started.keys.map((key) => key.kid));
        expect(published.map((key) => key.kid)).not.toContain(keys[0]?.kid);
      } finally {
        await server.stop();
      }
    });

    it('explains a damaged retiredAt instead of guessing', async () => {
      const { keys } = await loadOrCreateSigningKeys(dataDir);
      await writeFile(join(dataDir, SIGNING_KEYS_FILE), JSON.stringify({ keys, retiredAt: { x: 'soon' } }));
      await expect(startSigningKeys(dataDir, policy)).rejects.toThrow(
        /its "retiredAt" must map key ids to ISO times/,
      );
    });
  });
});
