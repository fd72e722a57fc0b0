import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK } from 'jose';
import { DpopNonces } from './nonce';
import { DpopReplayCache } from './replay-cache';
import { generateDpopKey, signDpopProof, type DpopKey } from './sign-dpop-proof';
import { accessTokenHash } from './thumbprint';
import { verifyDpopProof, type VerifyDpopProofOptions } from './verify-dpop-proof';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const URL_ = 'https://api.example.com/api/messages/protected';
const TOKEN = 'header.payload.signature-of-the-access-token';

describe('generateDpopKey', () => {
  it('makes an ES256 key pair with its public JWK and RFC 7638 thumbprint', async () => {
    const key = await generateDpopKey();
    expect(key.alg).toBe('ES256');
    expect(key.publicJwk).toEqual(await exportJWK(key.publicKey));
    expect(Object.keys(key.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(key.jkt).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
    expect(key.privateKey.extractable).toBe(false);
  });

  it('makes keys for other algorithms, each one new', async () => {
    const [rsa, ed, again] = await Promise.all([
      generateDpopKey('RS256'),
      generateDpopKey('EdDSA'),
      generateDpopKey(),
    ]);
    expect(rsa.publicJwk.kty).toBe('RSA');
    expect(ed.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(new Set([rsa.jkt, ed.jkt, again.jkt]).size).toBe(3);
  });
});

describe('signDpopProof', () => {
  let key: DpopKey;

  beforeAll(async () => {
    key = await generateDpopKey();
  });

  const verify = (proof: string, extra: Partial<VerifyDpopProofOptions> = {}) =>
    verifyDpopProof({
      proof,
      method: 'GET',
      url: URL_,
      accessToken: TOKEN,
      expectedJkt: key.jkt,
      now: NOW,
      algorithms: ['ES256', 'RS256', 'EdDSA'],
      maxAgeSeconds: 60,
      replay: new DpopReplayCache({ maxEntries: 10 }),
      ...extra,
    });

  it('signs a proof that verifyDpopProof accepts', async () => {
    const proof = await signDpopProof(key, { method: 'GET', url: URL_, accessToken: TOKEN, now: NOW });
    await expect(verify(proof)).resolves.toMatchObject({ jkt: key.jkt, iat: NOW / 1000 });
  });

  it('puts typ, alg and the public jwk in the header, and htm, htu, iat, ath and a fresh jti in the claims', async () => {
    const options = { method: 'PATCH', url: URL_, accessToken: TOKEN, now: NOW + 999 };
    const [proof, second] = [await signDpopProof(key, options), await signDpopProof(key, options)];
    expect(decodeProtectedHeader(proof)).toEqual({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.publicJwk });
    const claims = decodeJwt(proof);
    expect(claims).toEqual({
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      htm: 'PATCH',
      htu: URL_,
      iat: NOW / 1000,
      ath: await accessTokenHash(TOKEN),
    });
    expect(decodeJwt(second)['jti']).not.toBe(claims['jti']);
  });

  it('leaves out ath without a token, and carries the nonce when given', async () => {
    const nonces = new DpopNonces({ secret: new Uint8Array(32).fill(7), stepSeconds: 300, now: () => NOW });
    const nonce = await nonces.current();
    const proof = await signDpopProof(key, { method: 'POST', url: URL_, nonce, now: NOW });
    expect(decodeJwt(proof)).not.toHaveProperty('ath');
    await expect(
      verify(proof, { method: 'POST', accessToken: undefined, expectedJkt: undefined, nonces }),
    ).resolves.toMatchObject({ claims: { nonce } });
  });

  it('drops the query and fragment from htu', async () => {
    const proof = await signDpopProof(key, { method: 'GET', url: `${URL_}?page=2#top`, now: NOW });
    expect(decodeJwt(proof)['htu']).toBe(URL_);
  });

  it('signs with the key of another algorithm', async () => {
    const rsa = await generateDpopKey('RS256');
    const proof = await signDpopProof(rsa, { method: 'GET', url: URL_, accessToken: TOKEN, now: NOW });
    expect(decodeProtectedHeader(proof)).toMatchObject({ alg: 'RS256', jwk: rsa.publicJwk });
    await expect(verify(proof, { expectedJkt: rsa.jkt })).resolves.toMatchObject({ jkt: rsa.jkt });
  });

  it('takes header and claim overrides, for a test that needs a bad proof', async () => {
    const proof = await signDpopProof(key, {
      method: 'GET',
      url: URL_,
      accessToken: TOKEN,
      now: NOW,
      header: { typ: 'at+jwt', kid: 'k1' },
      claims: { htu: `${URL_}?kept=1`, jti: 'fixed', extra: true },
    });
    expect(decodeProtectedHeader(proof)).toEqual({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: 'k1',
      jwk: key.publicJwk,
    });
    expect(decodeJwt(proof)).toMatchObject({ htu: `${URL_}?kept=1`, jti: 'fixed', extra: true });
    await expect(verify(proof)).rejects.toMatchObject({ reason: 'invalid_dpop_proof' });
  });

  it('leaves out a claim or header member set to undefined', async () => {
    const proof = await signDpopProof(key, {
      method: 'GET',
      url: URL_,
      accessToken: TOKEN,
      now: NOW,
      header: { jwk: undefined },
      claims: { jti: undefined, ath: undefined },
    });
    expect(decodeProtectedHeader(proof)).toEqual({ alg: 'ES256', typ: 'dpop+jwt' });
    expect(Object.keys(decodeJwt(proof)).sort()).toEqual(['htm', 'htu', 'iat']);
  });
});
