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
export function dataDirProblem(path: string, error: unknown): ConfigError {
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

/** The key file: keys newest first, and when each older key stopped signing (ISO time, by kid). */
interface KeyFile {
  readonly keys: SigningKey[];
  readonly retiredAt: Record<string, string>;
}

function isRetiredAtMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((time) => typeof time === 'string' && !Number.isNaN(Date.parse(time)))
  );
}

async function readKeys(file: string): Promise<KeyFile | undefined> {
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
  let json: { keys?: unknown; retiredAt?: unknown };
  try {
    json = JSON.parse(text) as { keys?: unknown; retiredAt?: unknown };
  } catch (error) {
    throw problem(`it is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(json.keys) || json.keys.length === 0 || !json.keys.every(looksLikeSigningKey)) {
    throw problem('it must hold {"keys": [...]} with at least one private RS256 JWK that has a kid');
  }
  if (json.retiredAt !== undefined && !isRetiredAtMap(json.retiredAt)) {
    throw problem(
      'its "retiredAt" must map key ids to ISO times, like {"<kid>": "2030-01-01T10:00:00.000Z"}',
    );
  }
  const keys = json.keys;
  const problems = (await Promise.all(keys.map(keyProblem))).filter((p) => p !== undefined);
  if (problems.length > 0) throw problem(problems.join('; '));
  return { keys, retiredAt: json.retiredAt ?? {} };
}

async function writeKeys(dataDir: string, { keys, retiredAt }: KeyFile): Promise<void> {
  const file = join(dataDir, SIGNING_KEYS_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dataDir, { recursive: true });
    // Private keys: readable by the owner only; write then rename so a crash never leaves half a file.
    await writeFile(temporary, `${JSON.stringify({ keys, retiredAt }, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  } catch (error) {
    throw dataDirProblem(dataDir, error);
  }
}

async function loadOrCreate(dataDir: string): Promise<{ file: KeyFile; created: boolean }> {
  const existing = await readKeys(join(dataDir, SIGNING_KEYS_FILE));
  if (existing) return { file: existing, created: false };
  const file: KeyFile = { keys: [await generateSigningKey()], retiredAt: {} };
  await writeKeys(dataDir, file);
  return { file, created: true };
}

/**
 * Loads the signing keys from the data folder, generating the first one at first start.
 * @returns the keys, newest first (it signs; the others are published for verification), and whether one was created.
 */
export async function loadOrCreateSigningKeys(
  dataDir: string,
): Promise<{ keys: SigningKey[]; created: boolean }> {
  const { file, created } = await loadOrCreate(dataDir);
  return { keys: file.keys, created };
}

/** When keys that stopped signing are retired: once every token they signed has expired. */
export interface RetirementPolicy {
  /** The longest lifetime of a token signed by this server, in seconds (`longestTokenLifetimeSeconds`). */
  readonly lifetimeSeconds: number;
  /** The clock; injectable for tests. */
  readonly now?: () => Date;
}

/** Drops the older keys that stopped signing more than the longest token lifetime ago (all of them with `force`). */
function withoutExpired(
  file: KeyFile,
  policy: RetirementPolicy,
  force = false,
): { file: KeyFile; retired: string[] } {
  const now = (policy.now ?? (() => new Date()))().getTime();
  const expired = (key: SigningKey, index: number) => {
    if (index === 0) return false;
    const since = file.retiredAt[key.kid];
    return force || (since !== undefined && Date.parse(since) + policy.lifetimeSeconds * 1000 <= now);
  };
  const keys = file.keys.filter((key, index) => !expired(key, index));
  const kept = new Set(keys.slice(1).map((key) => key.kid));
  return {
    file: {
      keys,
      retiredAt: Object.fromEntries(Object.entries(file.retiredAt).filter(([kid]) => kept.has(kid))),
    },
    retired: file.keys.filter((key, index) => expired(key, index)).map((key) => key.kid),
  };
}

/** True when two key files say the same (so nothing needs writing). */
function sameFile(a: KeyFile, b: KeyFile): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The keys as a starting server uses them. The newest signs from now on, so every older key that has no
 * retirement time gets now (a server that ran before may have signed with it until now); keys retired more than
 * the longest token lifetime ago are dropped from the file and the JWKS.
 * @returns the keys to publish, newest first; whether the first was created; the kids dropped.
 */
export async function startSigningKeys(
  dataDir: string,
  policy: RetirementPolicy,
): Promise<{ keys: SigningKey[]; created: boolean; retired: string[] }> {
  const { file, created } = await loadOrCreate(dataDir);
  const now = (policy.now ?? (() => new Date()))().toISOString();
  const stamped: KeyFile = {
    keys: file.keys,
    retiredAt: Object.fromEntries(file.keys.slice(1).map((key) => [key.kid, file.retiredAt[key.kid] ?? now])),
  };
  const { file: next, retired } = withoutExpired(stamped, policy);
  if (!sameFile(file, next)) await writeKeys(dataDir, next);
  return { keys: next.keys, created, retired };
}

/**
 * Key rotation: adds a new signing key in front and keeps the previous ones, still published in the JWKS,
 * so tokens signed before the rotation verify until they expire; keys whose tokens have all expired are dropped.
 * Restart the server to sign with the new key (the previous one is retired from then on).
 * @returns the new key's kid, the kids kept for verification and the kids dropped.
 */
export async function rotateSigningKeys(
  dataDir: string,
  policy: RetirementPolicy,
): Promise<{ current: string; previous: string[]; retired: string[] }> {
  const { file: loaded } = await loadOrCreate(dataDir);
  const { file, retired } = withoutExpired(loaded, policy);
  const next = await generateSigningKey();
  await writeKeys(dataDir, { keys: [next, ...file.keys], retiredAt: file.retiredAt });
  return { current: next.kid, previous: file.keys.map((key) => key.kid), retired };
}

/** A published key that no longer signs, and when it will be retired (undefined: once a restarted server stops using it). */
export interface PublishedKey {
  readonly kid: string;
  readonly retiresAt: Date | undefined;
}

/**
 * Retires now the keys whose tokens have all expired, or with `force` every key but the newest (a leaked key:
 * the tokens it signed stop verifying). Restart the server to publish the smaller JWKS.
 * @returns the kids dropped, and the older keys kept with the time each will be retired.
 */
export async function retireSigningKeys(
  dataDir: string,
  policy: RetirementPolicy & { readonly force?: boolean },
): Promise<{ retired: string[]; kept: PublishedKey[] }> {
  const loaded = await readKeys(join(dataDir, SIGNING_KEYS_FILE));
  if (!loaded) return { retired: [], kept: [] };
  const { file, retired } = withoutExpired(loaded, policy, policy.force);
  if (!sameFile(loaded, file)) await writeKeys(dataDir, file);
  return {
    retired,
    kept: file.keys.slice(1).map((key) => {
      const since = file.retiredAt[key.kid];
      return {
        kid: key.kid,
        retiresAt:
          since === undefined ? undefined : new Date(Date.parse(since) + policy.lifetimeSeconds * 1000),
      };
    }),
  };
}
