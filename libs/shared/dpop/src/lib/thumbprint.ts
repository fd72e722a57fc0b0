import { base64url, calculateJwkThumbprint, type JWK } from 'jose';

/**
 * The RFC 7638 SHA-256 thumbprint of a public JWK, base64url: what a DPoP-bound token carries as `cnf.jkt`.
 * @example const jkt = await jwkThumbprint(await exportJWK(publicKey));
 */
export function jwkThumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

/** The `ath` of a DPoP proof: base64url(SHA-256(access token)), RFC 9449 section 4.2. */
export async function accessTokenHash(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
  return base64url.encode(new Uint8Array(digest));
}
