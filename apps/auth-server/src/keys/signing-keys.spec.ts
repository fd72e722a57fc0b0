import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import * as oidc from 'openid-client';
import { ConfigError, LOCAL_TENANT } from '@sample/contract';
import { discoverM2m } from '../testing/spa-client';
import { makeDataDir, startTestServer } from '../testing/test-server';
import { loadOrCreateSigningKeys, publicJwks, rotateSigningKeys, SIGNING_KEYS_FILE } from './signing-keys';

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

    const { current, previous } = await rotateSigningKeys(dataDir);
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
});
