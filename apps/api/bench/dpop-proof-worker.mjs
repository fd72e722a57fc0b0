// Makes a slice of the DPoP row's proofs off the main thread (RFC 9449 section 4.2): one ES256 proof per request,
// each with its own jti, for GET on `htu`, bound to `accessToken` by ath.
import { createHash, createPrivateKey, randomUUID, sign } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const { privateJwk, htu, accessToken, count } = workerData;
const privateKey = createPrivateKey({ key: privateJwk, format: 'jwk' });
const { kty, crv, x, y } = privateJwk;
const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const header = base64url({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } });
const ath = createHash('sha256').update(accessToken).digest('base64url');
const iat = Math.floor(Date.now() / 1000);
const proofs = new Array(count);
for (let i = 0; i < count; i += 1) {
  const payload = base64url({ jti: randomUUID(), htm: 'GET', htu, iat, ath });
  const input = `${header}.${payload}`;
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  proofs[i] = `${input}.${signature.toString('base64url')}`;
}
parentPort.postMessage(proofs);
