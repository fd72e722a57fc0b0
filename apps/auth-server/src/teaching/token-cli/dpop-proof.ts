import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, SignJWT, type CryptoKey } from 'jose';

/**
 * A DPoP proof (RFC 9449) for one API request: `typ` dpop+jwt, the public key in the header, `htm`, `htu` (no query
 * or fragment), `iat`, a fresh `jti`, and `ath`, the hash of the access token it goes with.
 */
export async function resourceProof(
  keyPair: { readonly privateKey: CryptoKey; readonly publicKey: CryptoKey },
  request: { readonly method: string; readonly url: string; readonly accessToken: string },
): Promise<string> {
  const { kty, crv, x, y } = await exportJWK(keyPair.publicKey);
  const htu = new URL(request.url);
  htu.search = '';
  htu.hash = '';
  return new SignJWT({
    htm: request.method,
    htu: htu.href,
    jti: randomUUID(),
    ath: createHash('sha256').update(request.accessToken).digest('base64url'),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty, crv, x, y } })
    .setIssuedAt()
    .sign(keyPair.privateKey);
}
