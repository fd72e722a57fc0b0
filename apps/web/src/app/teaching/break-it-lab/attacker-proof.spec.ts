/**
 * @jest-environment node
 */
// Node's WebCrypto (the browser's API): jsdom has no crypto.subtle.
import { DpopProofError, DpopReplayCache, accessTokenHash, verifyDpopProof } from '@sample/dpop';
import { attackerProof, ecPublicJwkOf } from './attacker-proof';

const URL = 'http://localhost:3000/api/messages/protected';
const TOKEN = 'header.payload.signature';
const NOW = 1_800_000_000;
// The thumbprint of the key the stolen token is bound to (RFC 9449 section 6.1's example): not the thief's.
const VICTIM_JKT = '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I';

function decoded(segment: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The API's check of a proof (the shared verifier), at the proof's own time. */
function verify(proof: string, expectedJkt: string) {
  return verifyDpopProof({
    proof,
    method: 'GET',
    url: URL,
    accessToken: TOKEN,
    expectedJkt,
    now: NOW * 1000,
    algorithms: ['ES256'],
    maxAgeSeconds: 60,
    replay: new DpopReplayCache({ maxEntries: 10 }),
  });
}

describe('ecPublicJwkOf', () => {
  it('takes only P-256 keys with both coordinates, and keeps only the required members', () => {
    const key = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' };
    expect(ecPublicJwkOf({ ...key, kid: 'k', ext: true })).toEqual(key);
    expect(ecPublicJwkOf({ ...key, crv: 'P-384' })).toBeNull();
    expect(ecPublicJwkOf({ kty: 'RSA', n: 'n', e: 'AQAB' })).toBeNull();
    expect(ecPublicJwkOf({ kty: 'EC', crv: 'P-256', x: 'x' })).toBeNull();
    expect(ecPublicJwkOf(null)).toBeNull();
  });
});

describe('attackerProof', () => {
  it('makes a DPoP proof with typ, ES256, the public jwk, htm, htu, iat, jti and ath', async () => {
    const made = await attackerProof({ method: 'GET', url: URL, accessToken: TOKEN }, NOW);
    const [header, payload, signature, ...rest] = made.proof.split('.');
    expect(rest).toEqual([]);
    expect(decoded(header)).toEqual({ typ: 'dpop+jwt', alg: 'ES256', jwk: made.publicJwk });
    expect(decoded(payload)).toEqual({
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      htm: 'GET',
      htu: URL,
      iat: NOW,
      ath: await accessTokenHash(TOKEN),
    });
    // The header carries the public key only.
    expect(Object.keys(made.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(Buffer.from(signature ?? '', 'base64url')).toHaveLength(64);
  });

  it("passes every check of the API's verifier for a token bound to its own key", async () => {
    const made = await attackerProof({ method: 'GET', url: URL, accessToken: TOKEN }, NOW);
    await expect(verify(made.proof, made.thumbprint)).resolves.toMatchObject({
      jkt: made.thumbprint,
      iat: NOW,
    });
  });

  it('fails only on the key for the stolen token: dpop_key_mismatch', async () => {
    const made = await attackerProof({ method: 'GET', url: URL, accessToken: TOKEN }, NOW);
    const refusal = await verify(made.proof, VICTIM_JKT).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DpopProofError);
    expect((refusal as DpopProofError).reason).toBe('dpop_key_mismatch');
  });

  it('makes a new key and a new jti every time', async () => {
    const request = { method: 'GET', url: URL, accessToken: TOKEN };
    const [first, second] = await Promise.all([attackerProof(request, NOW), attackerProof(request, NOW)]);
    expect(first.thumbprint).not.toBe(second.thumbprint);
    expect(decoded(first.proof.split('.')[1])['jti']).not.toBe(decoded(second.proof.split('.')[1])['jti']);
  });
});
