/**
 * @jest-environment node
 */
// Node's WebCrypto (the browser's API): jsdom has no crypto.subtle.
import { createHash } from 'node:crypto';
import { attackerProof, ecJwkThumbprint, ecPublicJwkOf, type EcPublicJwk } from './attacker-proof';

// RFC 9449 section 6.1: the example proof key and the cnf.jkt of a token bound to it.
const RFC_9449_KEY: EcPublicJwk = {
  kty: 'EC',
  crv: 'P-256',
  x: 'l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs',
  y: '9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA',
};
const RFC_9449_JKT = '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I';

const URL = 'http://localhost:3000/api/messages/protected';
const TOKEN = 'header.payload.signature';
const NOW = 1_800_000_000;

function decoded(segment: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('ecJwkThumbprint', () => {
  it("computes RFC 7638's thumbprint: the cnf.jkt of RFC 9449's example", async () => {
    await expect(ecJwkThumbprint(RFC_9449_KEY)).resolves.toBe(RFC_9449_JKT);
  });

  it('ignores members outside the required ones and their order', async () => {
    const reordered = { y: RFC_9449_KEY.y, x: RFC_9449_KEY.x, kty: 'EC', crv: 'P-256', kid: 'k', use: 'sig' };
    const jwk = ecPublicJwkOf(reordered);
    expect(jwk).toEqual(RFC_9449_KEY);
    await expect(ecJwkThumbprint(jwk as EcPublicJwk)).resolves.toBe(RFC_9449_JKT);
  });
});

describe('ecPublicJwkOf', () => {
  it('takes only P-256 keys with both coordinates', () => {
    expect(ecPublicJwkOf({ ...RFC_9449_KEY, crv: 'P-384' })).toBeNull();
    expect(ecPublicJwkOf({ kty: 'RSA', n: 'n', e: 'AQAB' })).toBeNull();
    expect(ecPublicJwkOf({ kty: 'EC', crv: 'P-256', x: 'x' })).toBeNull();
    expect(ecPublicJwkOf(null)).toBeNull();
  });
});

describe('attackerProof', () => {
  it('makes a DPoP proof that is right in every claim: typ, ES256, the public jwk, htm, htu, iat, jti, ath', async () => {
    const made = await attackerProof({ method: 'GET', url: URL, accessToken: TOKEN }, NOW);
    const [header, payload, signature, ...rest] = made.proof.split('.');
    expect(rest).toEqual([]);
    expect(decoded(header)).toEqual({ typ: 'dpop+jwt', alg: 'ES256', jwk: made.publicJwk });
    expect(decoded(payload)).toEqual({
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      htm: 'GET',
      htu: URL,
      iat: NOW,
      ath: createHash('sha256').update(TOKEN).digest('base64url'),
    });
    // The header carries the public key only.
    expect(Object.keys(made.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(Buffer.from(signature ?? '', 'base64url')).toHaveLength(64);
  });

  it('signs it with the key in its header, so only the thumbprint can give it away', async () => {
    const made = await attackerProof({ method: 'GET', url: URL, accessToken: TOKEN }, NOW);
    const [header = '', payload = '', signature = ''] = made.proof.split('.');
    const key = await crypto.subtle.importKey(
      'jwk',
      made.publicJwk,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    const valid = await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      Buffer.from(signature, 'base64url'),
      new TextEncoder().encode(`${header}.${payload}`),
    );
    expect(valid).toBe(true);
    await expect(ecJwkThumbprint(made.publicJwk)).resolves.toBe(made.thumbprint);
  });

  it('makes a new key and a new jti every time', async () => {
    const request = { method: 'GET', url: URL, accessToken: TOKEN };
    const [first, second] = await Promise.all([attackerProof(request, NOW), attackerProof(request, NOW)]);
    expect(first.thumbprint).not.toBe(second.thumbprint);
    expect(decoded(first.proof.split('.')[1])['jti']).not.toBe(decoded(second.proof.split('.')[1])['jti']);
  });
});
