import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@sample/contract';
import { makeDataDir } from '../testing/test-server';
import { DPOP_NONCE_SECRET_FILE, loadOrCreateDpopNonceSecret } from './dpop-nonce-secret';

describe('loadOrCreateDpopNonceSecret', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await makeDataDir();
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('generates 32 random bytes at first start, readable by the owner only, and reuses them after a restart', async () => {
    const first = await loadOrCreateDpopNonceSecret(dataDir);
    expect(first.byteLength).toBe(32);
    const file = join(dataDir, DPOP_NONCE_SECRET_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.toString('base64url'));
    expect((await loadOrCreateDpopNonceSecret(dataDir)).equals(first)).toBe(true);
  });

  it('explains a damaged file instead of replacing it', async () => {
    await writeFile(join(dataDir, DPOP_NONCE_SECRET_FILE), 'too-short');
    const error = await loadOrCreateDpopNonceSecret(dataDir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('delete the file to generate a new secret');
    expect((error as ConfigError).issues[0]?.key).toBe('AUTH_SERVER_DATA_DIR');
  });

  it('names AUTH_SERVER_DATA_DIR when the data folder is a file', async () => {
    const file = join(dataDir, 'not-a-folder');
    await writeFile(file, 'x');
    const error = await loadOrCreateDpopNonceSecret(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.key).toBe('AUTH_SERVER_DATA_DIR');
  });
});
