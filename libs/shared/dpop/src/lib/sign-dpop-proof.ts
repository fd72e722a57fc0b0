import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { accessTokenHash, jwkThumbprint } from './thumbprint';
import type { DpopAlgorithm } from './verify-dpop-proof';

/** A client's DPoP key pair (ES256 by default, as auth0-spa-js makes one), its public JWK and thumbprint. */
export interface DpopKey {
  readonly alg: DpopAlgorithm;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** What a proof's header carries as `jwk`: the public key only. */
  readonly publicJwk: JWK;
  /** RFC 7638 thumbprint of `publicJwk`: the `cnf.jkt` of tokens bound to this key. */
  readonly jkt: string;
}

/**
 * Makes a DPoP key pair; the private key is not extractable. Being a `{ privateKey, publicKey }` pair, it also serves
 * clients that sign proofs themselves (openid-client's `getDPoPHandle`).
 */
export async function generateDpopKey(alg: DpopAlgorithm = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const publicJwk = await exportJWK(publicKey);
  return { alg, privateKey, publicKey, publicJwk, jkt: await jwkThumbprint(publicJwk) };
}

/** The request a proof is made for, and what to change in it. */
export interface DpopProofOptions {
  /** `htm`: the request's method. */
  readonly method: string;
  /** The request's URL; `htu` is this URL without its query and fragment. */
  readonly url: string;
  /** The access token sent with the proof: its hash becomes `ath`. None for a token request. */
  readonly accessToken?: string;
  /** The server's `DPoP-Nonce`, when it asked for one. */
  readonly nonce?: string;
  /** Milliseconds since the epoch; `iat` is its whole seconds (now by default). */
  readonly now?: number;
  /** Claims to add or replace; a claim set to undefined is left out (a test's malformed proof). */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Header members to add or replace (`typ`, `alg`, `jwk`, ...), for a test's malformed proof. */
  readonly header?: Readonly<Record<string, unknown>>;
}

/**
 * Signs a DPoP proof (RFC 9449 section 4.2) as a client does for one request: header `typ` dpop+jwt, the key's
 * `alg` and public `jwk`; claims a fresh `jti`, `htm`, `htu`, `iat`, and `ath` and `nonce` when given.
 * @example
 * const key = await generateDpopKey();
 * const proof = await signDpopProof(key, { method: 'GET', url: 'https://api.example.com/api/me', accessToken });
 * await fetch(url, { headers: { authorization: `DPoP ${accessToken}`, dpop: proof } });
 */
export async function signDpopProof(key: DpopKey, options: DpopProofOptions): Promise<string> {
  const claims: Record<string, unknown> = {
    jti: crypto.randomUUID(),
    htm: options.method,
    htu: options.url.replace(/[?#].*$/s, ''),
    iat: Math.floor((options.now ?? Date.now()) / 1000),
    ...(options.accessToken !== undefined && { ath: await accessTokenHash(options.accessToken) }),
    ...(options.nonce !== undefined && { nonce: options.nonce }),
    ...options.claims,
  };
  for (const name of Object.keys(claims)) if (claims[name] === undefined) delete claims[name];
  // The cast lets a test's header override replace `alg` or drop `jwk`; jose's type asks for a known alg.
  const header = { alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk, ...options.header } as { alg: string };
  return new SignJWT(claims).setProtectedHeader(header).sign(key.privateKey);
}
