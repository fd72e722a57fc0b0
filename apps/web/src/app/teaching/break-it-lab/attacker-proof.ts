import { accessTokenHash, jwkThumbprint } from '@sample/dpop';

/** The public half of a P-256 key as a JWK: the only members a DPoP proof's header may carry for ES256. */
export interface EcPublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
}

/** A DPoP proof the lab made by hand, with the key that signed it. */
export interface HandMadeProof {
  /** The proof, a compact JWS (`typ` `dpop+jwt`, `alg` ES256, the public `jwk` in its header). */
  readonly proof: string;
  readonly publicJwk: EcPublicJwk;
  /** RFC 7638 thumbprint of `publicJwk`: what a token bound to this key would carry as `cnf.jkt`. */
  readonly thumbprint: string;
}

/** The request a proof is made for, and the token it vouches for. */
export interface ProofRequest {
  /** `htm`: the HTTP method. */
  readonly method: string;
  /** `htu`: the URL, without query or fragment. */
  readonly url: string;
  /** Hashed into `ath`. */
  readonly accessToken: string;
}

/** Encodes bytes as base64url without padding (JWS, RFC 7515 section 2). */
function base64Url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const binary = Array.from(view, (byte) => String.fromCharCode(byte)).join('');
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function jsonSegment(value: unknown): string {
  return base64Url(new TextEncoder().encode(JSON.stringify(value)));
}

/** The public JWK in a DPoP proof's header when it is a P-256 key, else null. */
export function ecPublicJwkOf(jwk: unknown): EcPublicJwk | null {
  if (typeof jwk !== 'object' || jwk === null) return null;
  const { kty, crv, x, y } = jwk as Record<string, unknown>;
  return kty === 'EC' && crv === 'P-256' && typeof x === 'string' && typeof y === 'string'
    ? { kty, crv, x, y }
    : null;
}

/**
 * What a thief's script does with a stolen DPoP-bound token: makes a fresh ES256 key with WebCrypto and signs an
 * otherwise perfect proof for the request (right `htm`, `htu`, `ath`, a fresh `iat` and `jti`) with it. Only the
 * key differs from the SDK's proof, so the API can refuse it for one reason alone: its thumbprint is not the
 * token's `cnf.jkt`. An app never makes keys by hand: the SDK's `generateDpopProof` signs with the key it keeps.
 * @param nowSeconds `iat`, in seconds since the epoch (a clock, injected for tests).
 */
export async function attackerProof(request: ProofRequest, nowSeconds: number): Promise<HandMadeProof> {
  const subtle = crypto.subtle;
  const keys = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const exported = await subtle.exportKey('jwk', keys.publicKey);
  const publicJwk = ecPublicJwkOf(exported);
  if (!publicJwk) throw new Error(`WebCrypto exported an unexpected key: ${JSON.stringify(exported.kty)}`);
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk };
  const payload = {
    jti: crypto.randomUUID(),
    htm: request.method,
    htu: request.url,
    iat: nowSeconds,
    ath: await accessTokenHash(request.accessToken),
  };
  const signingInput = `${jsonSegment(header)}.${jsonSegment(payload)}`;
  // WebCrypto's ECDSA signature is r || s (64 bytes for P-256): exactly the JWS ES256 encoding.
  const signature = await subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    keys.privateKey,
    new TextEncoder().encode(signingInput),
  );
  return {
    proof: `${signingInput}.${base64Url(signature)}`,
    publicJwk,
    thumbprint: await jwkThumbprint(publicJwk),
  };
}
