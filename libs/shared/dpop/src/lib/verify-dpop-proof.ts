import { base64url, errors, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { DpopProofError } from './dpop-proof-error';
import type { DpopNonces } from './nonce';
import type { DpopReplayCache } from './replay-cache';
import { accessTokenHash, jwkThumbprint } from './thumbprint';

/** Signature algorithms a DPoP proof may use: asymmetric only, never `none` or HS* (RFC 9449 section 4.3). */
export const DPOP_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
  'EdDSA',
  'Ed25519',
] as const;

/** One of the algorithms above. */
export type DpopAlgorithm = (typeof DPOP_ALGORITHMS)[number];

/** True if `value` is an asymmetric algorithm a DPoP proof may use. */
export function isDpopAlgorithm(value: unknown): value is DpopAlgorithm {
  return typeof value === 'string' && (DPOP_ALGORITHMS as readonly string[]).includes(value);
}

/** Longest accepted proof, in characters: a proof with an RSA-4096 key is about 2.5 KB; longer is refused unparsed. */
export const MAX_PROOF_LENGTH = 8192;

/** Longest accepted `jti`, in characters (the replay cache holds each one). */
export const MAX_JTI_LENGTH = 256;

/** JWK members of a private or symmetric key: a proof's header must carry the public key only. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'] as const;

/** Key types a DPoP proof key may have. */
const PUBLIC_KEY_TYPES = ['RSA', 'EC', 'OKP'];

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** What verifyDpopProof checks a proof against. */
export interface VerifyDpopProofOptions {
  /** The request's `DPoP` header values (none, one, or several: several are refused). */
  readonly proof: string | readonly string[] | undefined;
  /** The request's method; `htm` must equal it. */
  readonly method: string;
  /** The request's URL as the server's public URL spells it (never from the Host header); query and fragment ignored. */
  readonly url: string;
  /** The access token sent with the proof; `ath` must be its hash. */
  readonly accessToken?: string;
  /** The token's `cnf.jkt`; the proof key's thumbprint must equal it. */
  readonly expectedJkt?: string;
  /** When given, the proof must carry a `nonce` these issued (else `use_dpop_nonce`). */
  readonly nonces?: DpopNonces;
  /** Milliseconds since the epoch. */
  readonly now: number;
  /** Accepted `alg` values; asymmetric only. */
  readonly algorithms: readonly DpopAlgorithm[];
  /** How old a proof's `iat` may be, in seconds. */
  readonly maxAgeSeconds: number;
  /** Clock skew allowed on `iat` both ways, in seconds (default 5). */
  readonly clockToleranceSeconds?: number;
  /** Where seen proofs are remembered. */
  readonly replay: DpopReplayCache;
}

/** A proof that passed every check. */
export interface VerifiedDpopProof {
  /** Thumbprint of the proof's key (what `cnf.jkt` names). */
  readonly jkt: string;
  readonly jwk: JWK;
  readonly jti: string;
  readonly iat: number;
  readonly claims: JWTPayload;
}

const shown = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const invalid = (detail: string, evidence?: ConstructorParameters<typeof DpopProofError>[2]) =>
  new DpopProofError('invalid_dpop_proof', detail, evidence);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The one proof of the request, or an error for none or several. */
function singleProof(proof: VerifyDpopProofOptions['proof']): string {
  const values = proof === undefined ? [] : typeof proof === 'string' ? [proof] : proof;
  if (values.length === 0 || (values.length === 1 && (values[0] as string).trim() === '')) {
    throw new DpopProofError(
      'dpop_proof_missing',
      'The request has no DPoP header: a DPoP-bound token is accepted only with a proof made for this request.',
    );
  }
  if (values.length > 1) {
    throw invalid(`The request has ${values.length} DPoP headers; send exactly one (RFC 9449 section 4.3).`);
  }
  return (values[0] as string).trim();
}

/** The proof's header, decoded without verifying it, with the checks that need no key. */
function checkedHeader(proof: string, algorithms: readonly string[]): { alg: string; jwk: JWK } {
  if (proof.length > MAX_PROOF_LENGTH) {
    throw invalid(
      `The DPoP proof is ${proof.length} characters long; this API refuses proofs over ${MAX_PROOF_LENGTH}.`,
    );
  }
  if (!COMPACT_JWS.test(proof)) {
    const parts = proof.split('.').length;
    throw invalid(
      parts === 3
        ? 'The DPoP proof has characters a base64url JWT cannot have.'
        : `The DPoP proof has ${parts} "." separated parts; a signed JWT has 3 (header.payload.signature).`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(base64url.decode(proof.slice(0, proof.indexOf('.')))));
  } catch {
    throw invalid('The DPoP proof header is not base64url-encoded JSON.');
  }
  if (!isObject(header)) throw invalid('The DPoP proof header is not a JSON object.');
  const { typ, alg, jwk } = header;
  if (typ !== 'dpop+jwt') {
    throw invalid(`The DPoP proof's typ is ${shown(typ)}; it must be "dpop+jwt".`, {
      expected: 'dpop+jwt',
      received: typeof typ === 'string' ? typ : null,
    });
  }
  if (typeof alg !== 'string' || !algorithms.includes(alg) || !isDpopAlgorithm(alg)) {
    const why =
      typeof alg === 'string' && alg.toLowerCase() === 'none'
        ? 'an unsigned proof proves nothing'
        : typeof alg === 'string' && /^HS/i.test(alg)
          ? 'a shared-secret MAC proves no possession of a private key'
          : 'it is not in the accepted list';
    throw invalid(`The DPoP proof's alg is ${shown(alg)}: ${why}. Accepted: ${algorithms.join(', ')}.`, {
      expected: algorithms,
      received: typeof alg === 'string' ? alg : null,
    });
  }
  if (!isObject(jwk)) throw invalid('The DPoP proof header has no "jwk" object with the public key.');
  const secret = PRIVATE_MEMBERS.filter((member) => member in jwk);
  if (secret.length > 0) {
    throw invalid(
      `The DPoP proof's jwk holds private key members (${secret.join(', ')}): the header must carry the public key only, and a key that left its holder proves nothing.`,
      { received: secret },
    );
  }
  if (typeof jwk['kty'] !== 'string' || !PUBLIC_KEY_TYPES.includes(jwk['kty'])) {
    throw invalid(
      `The DPoP proof's jwk has kty ${shown(jwk['kty'])}; it must be a public RSA, EC or OKP key.`,
      {
        expected: PUBLIC_KEY_TYPES,
        received: typeof jwk['kty'] === 'string' ? jwk['kty'] : null,
      },
    );
  }
  return { alg, jwk: jwk as JWK };
}

/** A proof's public key as WebCrypto imported it, and its RFC 7638 thumbprint. */
interface ImportedKey {
  readonly key: Awaited<ReturnType<typeof importJWK>>;
  readonly jkt: string;
}

/** Entries kept by each memo below: one browser sends many proofs with one key and one token. */
const MEMO_ENTRIES = 1_000;
const importedKeys = new Map<string, Promise<ImportedKey>>();
const tokenHashes = new Map<string, Promise<string>>();

/**
 * `compute()` for `id`, remembered (the MEMO_ENTRIES newest; a rejection is not kept). Only for pure functions of
 * `id`: importing a public key and hashing are, so a hit returns what a new computation would, a WebCrypto round
 * trip (a thread-pool job each) sooner.
 */
function memoised<T>(memo: Map<string, Promise<T>>, id: string, compute: () => Promise<T>): Promise<T> {
  const known = memo.get(id);
  if (known !== undefined) return known;
  const pending = compute();
  if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
  memo.set(id, pending);
  pending.catch(() => memo.delete(id));
  return pending;
}

/** The header's jwk imported for `alg`, with its thumbprint; the same jwk and alg give the same key. */
function importedKey(jwk: JWK, alg: string): Promise<ImportedKey> {
  return memoised(importedKeys, `${alg} ${JSON.stringify(jwk)}`, async () => ({
    key: await importJWK(jwk, alg),
    jkt: await jwkThumbprint(jwk),
  }));
}

/** Explains a jose error by its class and code, never by its message. */
function joseProblem(error: unknown, alg: string): DpopProofError {
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return invalid(
      "The DPoP proof's signature does not match the jwk in its header: the proof was changed after it was signed, or signed with another key.",
    );
  }
  if (error instanceof errors.JWTExpired) {
    return invalid(`The DPoP proof has expired (its "exp" claim ${shown(error.payload.exp)} is past).`);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return invalid(`The DPoP proof's ${shown(error.claim)} claim is invalid (${error.reason}).`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return invalid(
      `The DPoP proof's jwk does not fit its alg ${shown(alg)}, or the key type is not supported.`,
    );
  }
  if (error instanceof errors.JWTInvalid) return invalid('The DPoP proof payload is not a JSON object.');
  if (error instanceof errors.JOSEError) {
    return invalid(`The DPoP proof is not a valid signed JWT (${error.code}).`);
  }
  throw error;
}

/** `scheme://host[:port]/path` after WHATWG normalisation (case, default port, dot segments), no query or fragment. */
function comparableUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Checks a DPoP proof as RFC 9449 section 4.3 says: exactly one proof; a signed JWT no longer than MAX_PROOF_LENGTH;
 * typ `dpop+jwt`; an asymmetric alg from `algorithms`; a public `jwk` (no private members) that verifies the
 * signature; `jti` present and not seen before (`replay`); `htm` the method; `htu` the URL (scheme, host, port and
 * path compared after normalising; query and fragment ignored); `iat` within `maxAgeSeconds` (and the tolerance);
 * `ath` the token's hash when a token is given; the key's thumbprint `expectedJkt` when given; a valid `nonce` when
 * `nonces` is given. The replay cache records the proof only once every other check passed.
 * @throws DpopProofError with the contract reason and a detail naming the bad value and the expected one.
 * @example
 * const proof = await verifyDpopProof({ proof: req.headers.dpop, method: 'GET', url: 'https://api.example.com/api/me',
 *   accessToken, expectedJkt: claims.cnf.jkt, now: Date.now(), algorithms: ['ES256'], maxAgeSeconds: 60, replay });
 */
export async function verifyDpopProof(options: VerifyDpopProofOptions): Promise<VerifiedDpopProof> {
  const { method, now, algorithms, maxAgeSeconds, replay } = options;
  const tolerance = options.clockToleranceSeconds ?? 5;
  const proof = singleProof(options.proof);
  const { alg, jwk } = checkedHeader(proof, algorithms);

  let key: ImportedKey;
  try {
    key = await importedKey(jwk, alg);
  } catch (error) {
    // WebCrypto answers a jwk whose members form no key with a DOMException (DataError), not a JOSEError.
    if (error instanceof errors.JOSEError) throw joseProblem(error, alg);
    throw invalid(`The DPoP proof's jwk is not a valid public key for its alg ${shown(alg)}.`);
  }
  let claims: JWTPayload;
  try {
    // exp/nbf, when a proof has them, are checked against the injected clock; iat is checked below.
    ({ payload: claims } = await jwtVerify(proof, key.key, {
      algorithms: [alg],
      typ: 'dpop+jwt',
      currentDate: new Date(now),
      clockTolerance: tolerance,
    }));
  } catch (error) {
    throw joseProblem(error, alg);
  }

  const { jti, htm, htu, iat, ath } = claims as JWTPayload & Record<'htm' | 'htu' | 'ath' | 'nonce', unknown>;
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) {
    throw invalid(
      `The DPoP proof's jti must be a unique string of 1 to ${MAX_JTI_LENGTH} characters (got ${shown(jti)}).`,
    );
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    throw invalid(`The DPoP proof has no numeric iat (got ${shown(iat)}).`);
  }
  if (htm !== method) {
    throw new DpopProofError(
      'dpop_request_mismatch',
      `The DPoP proof was made for method ${shown(htm)} (htm); this request is ${method}.`,
      { expected: method, received: typeof htm === 'string' ? htm : null },
    );
  }
  const expectedUrl = comparableUrl(options.url);
  if (expectedUrl === undefined)
    throw new TypeError(`verifyDpopProof: url ${shown(options.url)} is not an absolute http(s) URL`);
  const receivedUrl = typeof htu === 'string' ? comparableUrl(htu) : undefined;
  if (receivedUrl !== expectedUrl) {
    throw new DpopProofError(
      'dpop_request_mismatch',
      `The DPoP proof was made for ${shown(htu)} (htu); this request is ${expectedUrl} (scheme, host, port and path must match; query and fragment are ignored).`,
      { expected: expectedUrl, received: typeof htu === 'string' ? htu : null },
    );
  }
  const nowSeconds = now / 1000;
  const age = nowSeconds - iat;
  if (age > maxAgeSeconds + tolerance) {
    throw invalid(
      `The DPoP proof was made ${Math.round(age)} s ago (iat ${new Date(iat * 1000).toISOString()}); this API accepts proofs up to ${maxAgeSeconds} s old (clock tolerance ${tolerance} s). Make a new proof for each request.`,
    );
  }
  if (-age > tolerance) {
    throw invalid(
      `The DPoP proof's iat ${new Date(iat * 1000).toISOString()} is ${Math.round(-age)} s in the future; clock tolerance ${tolerance} s. Check the client's clock.`,
    );
  }
  if (options.accessToken !== undefined) {
    const expected = await memoised(tokenHashes, options.accessToken, () =>
      accessTokenHash(options.accessToken as string),
    );
    if (ath !== expected) {
      throw new DpopProofError(
        'dpop_token_mismatch',
        ath === undefined
          ? 'The DPoP proof has no ath claim: a proof sent with an access token must carry the hash of that token.'
          : `The DPoP proof's ath ${shown(ath)} is the hash of another token; this token's is ${shown(expected)}.`,
        { expected, received: typeof ath === 'string' ? ath : null },
      );
    }
  }
  const { jkt } = key;
  if (options.expectedJkt !== undefined && jkt !== options.expectedJkt) {
    throw new DpopProofError(
      'dpop_key_mismatch',
      `The DPoP proof is signed with the key ${shown(jkt)} (its thumbprint); the token is bound to ${shown(options.expectedJkt)} (cnf.jkt).`,
      { expected: options.expectedJkt, received: jkt },
    );
  }
  if (options.nonces !== undefined && !(await options.nonces.isValid(claims['nonce']))) {
    throw new DpopProofError(
      'use_dpop_nonce',
      claims['nonce'] === undefined
        ? 'This API requires a server nonce in DPoP proofs: make a new proof with the DPoP-Nonce of this response.'
        : `The DPoP proof's nonce ${shown(claims['nonce'])} is unknown or expired: make a new proof with the DPoP-Nonce of this response.`,
    );
  }
  // Kept until the iat check would refuse the proof anyway.
  if (!replay.remember(`${jkt}:${jti}`, (iat + maxAgeSeconds + tolerance) * 1000, now)) {
    throw new DpopProofError(
      'dpop_proof_replayed',
      `The DPoP proof with jti ${shown(jti)} was used before: a proof is good for one request.`,
      { received: jti },
    );
  }
  return { jkt, jwk, jti, iat, claims };
}
