import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { ConfigError } from '@sample/contract';

/** A private RS256 signing key as a JWK, with its `kid` (the RFC 7638 thumbprint). */
export type SigningKey = JWK & { readonly kid: string; readonly alg: 'RS256'; readonly use: 'sig' };

/** File in the data folder holding the keys, newest (the one that signs) first. */
export const SIGNING_KEYS_FILE = 'signing-keys.json';

const PUBLIC_MEMBERS = ['kty', 'kid', 'alg', 'use', 'n', 'e'] as const;

/**
 * Generates an RS256 key. Its `kid` is the key's JWK thumbprint, so a new key always gets a new `kid`
 * (a fixed `kid` with a new key would leave API caches verifying with the old key).
 */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { ...jwk, kid, alg: 'RS256', use: 'sig' };
}

/** The public half of each key, as served at `/.well-known/jwks.json`. */
export function publicJwks(keys: readonly SigningKey[]): { keys: JWK[] } {
  return {
    keys: keys.map((key) => Object.fromEntries(PUBLIC_MEMBERS.map((member) => [member, key[member]]))),
  };
}

function looksLikeSigningKey(value: unknown): value is SigningKey {
  const key = value as Partial<SigningKey> | null;
  return (
    typeof key === 'object' &&
    key !== null &&
    key.kty === 'RSA' &&
    key.alg === 'RS256' &&
    typeof key.kid === 'string' &&
    typeof key.d === 'string' &&
    typeof key.n === 'string' &&
    typeof key.e === 'string'
  );
}

/** Why a stored key cannot be used, or undefined: it must import as a private key and its kid be its thumbprint. */
async function keyProblem(key: SigningKey, index: number): Promise<string | undefined> {
  try {
    await importJWK(key, 'RS256');
  } catch (error) {
    return `keys[${index}] is not a usable RS256 private key (${(error as Error).message})`;
  }
  const thumbprint = await calculateJwkThumbprint(key, 'sha256');
  return key.kid === thumbprint
    ? undefined
    : `keys[${index}].kid ${JSON.stringify(key.kid)} is not the key's thumbprint ${thumbprint}`;
}

/** A file-system failure on the data folder, as the setting to change (no stack trace). */
function dataDirProblem(path: string, error: unknown): ConfigError {
  const { code, message } = error as NodeJS.ErrnoException;
  const why =
    code === 'ENOTDIR' || code === 'EISDIR'
      ? `${path} is not the folder or file expected here (${code})`
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? `${path} cannot be written (${code})`
        : message;
  return new ConfigError('Auth server data folder', [
    {
      key: 'AUTH_SERVER_DATA_DIR',
      message: `${why}: set AUTH_SERVER_DATA_DIR to a writable folder (default apps/auth-server/.data)`,
    },
  ]);
}

async function readKeys(file: string): Promise<SigningKey[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw dataDirProblem(file, error);
  }
  const problem = (message: string) =>
    new ConfigError(`Signing key file ${file}`, [
      {
        key: 'AUTH_SERVER_DATA_DIR',
        message: `${message}; delete the file to generate a new key (tokens already issued stop verifying)`,
      },
    ]);
  let json: { keys?: unknown };
  try {
    json = JSON.parse(text) as { keys?: unknown };
  } catch (error) {
    throw problem(`it is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(json.keys) || json.keys.length === 0 || !json.keys.every(looksLikeSigningKey)) {
    throw problem('it must hold {"keys": [...]} with at least one private RS256 JWK that has a kid');
  }
  const keys = json.keys;
  const problems = (await Promise.all(keys.map(keyProblem))).filter((p) => p !== undefined);
  if (problems.length > 0) throw problem(problems.join('; '));
  return keys;
}

async function writeKeys(dataDir: string, keys: readonly SigningKey[]): Promise<void> {
  const file = join(dataDir, SIGNING_KEYS_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dataDir, { recursive: true });
    // Private keys: readable by the owner only; write then rename so a crash never leaves half a file.
    await writeFile(temporary, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  } catch (error) {
    throw dataDirProblem(dataDir, error);
  }
}

/**
 * Loads the signing keys from the data folder, generating the first one at first start.
 * @returns the keys, newest first (it signs; the others are published for verification), and whether one was created.
 */
export async function loadOrCreateSigningKeys(
  dataDir: string,
): Promise<{ keys: SigningKey[]; created: boolean }> {
  const existing = await readKeys(join(dataDir, SIGNING_KEYS_FILE));
  if (existing) return { keys: existing, created: false };
  const keys = [await generateSigningKey()];
  await writeKeys(dataDir, keys);
  return { keys, created: true };
}

/**
 * Key rotation: adds a new signing key in front and keeps the previous ones, still published in the JWKS,
 * so tokens signed before the rotation verify until they expire. Restart the server to use the new key.
 * @returns the new key's kid and the kids kept for verification.
 */
export async function rotateSigningKeys(dataDir: string): Promise<{ current: string; previous: string[] }> {
  const { keys } = await loadOrCreateSigningKeys(dataDir);
  const next = await generateSigningKey();
  await writeKeys(dataDir, [next, ...keys]);
  return { current: next.kid, previous: keys.map((key) => key.kid) };
}
