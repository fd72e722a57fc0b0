import { mkdir, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from '@sample/contract';
import { writeFileAtomically } from '../management-api/user-store';
import { dataDirProblem } from './signing-keys';

/** File in the data folder holding the secret the token endpoint's DPoP nonces are derived from. */
export const DPOP_NONCE_SECRET_FILE = 'dpop-nonce-secret';

const SECRET_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Loads the DPoP nonce secret from the data folder, generating it (random, owner-readable only) at first start.
 * It outlives restarts, so a nonce a client got just before a restart is still accepted after it.
 * @returns 32 bytes, as oidc-provider's `features.dPoP.nonceSecret` takes them.
 */
export async function loadOrCreateDpopNonceSecret(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, DPOP_NONCE_SECRET_FILE);
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw dataDirProblem(file, error);
  }
  if (text !== undefined) {
    const value = text.trim();
    const secret = BASE64URL.test(value) ? Buffer.from(value, 'base64url') : undefined;
    if (secret?.byteLength === SECRET_BYTES) return secret;
    throw new ConfigError(`DPoP nonce secret file ${file}`, [
      {
        key: 'AUTH_SERVER_DATA_DIR',
        message: `it must hold ${SECRET_BYTES} random bytes as base64url (43 characters); delete the file to generate a new secret (clients then get use_dpop_nonce once and retry)`,
      },
    ]);
  }
  const secret = randomBytes(SECRET_BYTES);
  try {
    await mkdir(dataDir, { recursive: true });
    await writeFileAtomically(file, dataDir, `${secret.toString('base64url')}\n`, 'dpop');
  } catch (error) {
    throw dataDirProblem(dataDir, error);
  }
  return secret;
}
