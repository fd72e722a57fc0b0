import { accessTokenHash, jwkThumbprint } from '@sample/dpop';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';

/** A client's DPoP key pair, as the SPA keeps it (ES256, like auth0-spa-js), and its thumbprint. */
export interface DpopKey {
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  /** RFC 7638 thumbprint: the `cnf.jkt` of tokens bound to this key. */
  readonly jkt: string;
}

/** Makes a DPoP key pair. */
export async function createDpopKey(alg = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { alg, privateKey, publicJwk, jkt: await jwkThumbprint(publicJwk) };
}

/** What a proof is made for, and what to change in it (a value of undefined drops a claim). */
export interface ProofOptions {
  readonly method: string;
  readonly url: string;
  /** The access token the proof goes with (its hash becomes `ath`). */
  readonly token?: string;
  readonly nowMs?: number;
  readonly claims?: Record<string, unknown>;
  readonly header?: Record<string, unknown>;
}

/** Signs a DPoP proof (RFC 9449 section 4.2) as a client would: a new jti, iat now, htm, htu and ath. */
export async function proof(key: DpopKey, options: ProofOptions): Promise<string> {
  const claims: Record<string, unknown> = {
    jti: randomUUID(),
    htm: options.method,
    htu: options.url,
    iat: Math.floor((options.nowMs ?? Date.now()) / 1000),
    ...(options.token === undefined ? {} : { ath: await accessTokenHash(options.token) }),
    ...options.claims,
  };
  for (const name of Object.keys(claims)) if (claims[name] === undefined) delete claims[name];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk, ...options.header } as {
      alg: string;
    })
    .sign(key.privateKey);
}
