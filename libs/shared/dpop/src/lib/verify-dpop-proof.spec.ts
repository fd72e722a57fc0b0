import { base64url, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { DpopProofError, type DpopProofReason } from './dpop-proof-error';
import { DpopNonces } from './nonce';
import { DpopReplayCache } from './replay-cache';
import { generateDpopKey, signDpopProof, type DpopKey } from './sign-dpop-proof';
import { accessTokenHash } from './thumbprint';
import { MAX_PROOF_LENGTH, verifyDpopProof, type VerifyDpopProofOptions } from './verify-dpop-proof';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const URL_ = 'https://api.example.com/api/messages/protected';
const TOKEN = 'header.payload.signature-of-the-access-token';

interface ProofOptions {
  readonly claims?: Record<string, unknown>;
  readonly header?: Record<string, unknown>;
}

let counter = 0;

/** A proof for GET URL_ with TOKEN at NOW, with a jti unique in this file. */
function proofOf(key: DpopKey, options: ProofOptions = {}): Promise<string> {
  counter += 1;
  return signDpopProof(key, {
    method: 'GET',
    url: URL_,
    accessToken: TOKEN,
    now: NOW,
    claims: { jti: `jti-${counter}`, ...options.claims },
    ...(options.header !== undefined && { header: options.header }),
  });
}

/** A proof whose parts are written by hand, for what jose refuses to sign. */
function handMade(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  signature = 'c2ln',
): string {
  const part = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${part(header)}.${part(claims)}.${signature}`;
}

describe('verifyDpopProof', () => {
  let key: DpopKey;
  let other: DpopKey;

  beforeAll(async () => {
    [key, other] = await Promise.all([generateDpopKey(), generateDpopKey()]);
  });

  const options = (proof: VerifyDpopProofOptions['proof'], extra: Partial<VerifyDpopProofOptions> = {}) => ({
    proof,
    method: 'GET',
    url: URL_,
    accessToken: TOKEN,
    expectedJkt: key.jkt,
    now: NOW,
    algorithms: ['ES256', 'RS256', 'EdDSA'] as const,
    maxAgeSeconds: 60,
    clockToleranceSeconds: 5,
    replay: new DpopReplayCache({ maxEntries: 100 }),
    ...extra,
  });

  async function refusal(promise: Promise<unknown>): Promise<DpopProofError> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DpopProofError);
    return error as DpopProofError;
  }

  async function expectRefused(
    opts: VerifyDpopProofOptions,
    reason: DpopProofReason,
    detail?: RegExp,
  ): Promise<DpopProofError> {
    const error = await refusal(verifyDpopProof(opts));
    expect(error.reason).toBe(reason);
    if (detail !== undefined) expect(error.detail).toMatch(detail);
    return error;
  }

  describe('a valid proof', () => {
    it('is accepted, with its key thumbprint, jti and iat', async () => {
      const proof = await proofOf(key);
      const verified = await verifyDpopProof(options(proof));
      expect(verified).toMatchObject({ jkt: key.jkt, jti: expect.stringMatching(/^jti-/), iat: NOW / 1000 });
    });

    it('is accepted with RSA and Ed25519 keys too', async () => {
      const rsa = await generateDpopKey('RS256');
      const ed = await generateDpopKey('EdDSA');
      await expect(
        verifyDpopProof(options(await proofOf(rsa), { expectedJkt: rsa.jkt })),
      ).resolves.toMatchObject({ jkt: rsa.jkt });
      await expect(
        verifyDpopProof(options(await proofOf(ed), { expectedJkt: ed.jkt })),
      ).resolves.toMatchObject({ jkt: ed.jkt });
    });

    it('needs no ath and no jkt when no token is given (a token request)', async () => {
      const proof = await proofOf(key, { claims: { ath: undefined } });
      await expect(
        verifyDpopProof(options(proof, { accessToken: undefined, expectedJkt: undefined })),
      ).resolves.toMatchObject({ jkt: key.jkt });
    });

    it('compares htu after normalising, ignoring query and fragment', async () => {
      const proof = await proofOf(key, {
        claims: { htu: 'HTTPS://API.Example.com:443/api/messages/./protected?x=1#frag' },
      });
      await expect(verifyDpopProof(options(proof))).resolves.toBeDefined();
    });

    it('accepts an iat at the edges of the window', async () => {
      const old = await proofOf(key, { claims: { iat: NOW / 1000 - 65 } });
      const ahead = await proofOf(key, { claims: { iat: NOW / 1000 + 5 } });
      await expect(verifyDpopProof(options(old))).resolves.toBeDefined();
      await expect(verifyDpopProof(options(ahead))).resolves.toBeDefined();
    });
  });

  describe('the header', () => {
    it('refuses a missing proof', async () => {
      await expectRefused(options(undefined), 'dpop_proof_missing', /no DPoP header/);
      await expectRefused(options([]), 'dpop_proof_missing');
      await expectRefused(options(' '), 'dpop_proof_missing');
    });

    it('refuses two DPoP headers', async () => {
      const proof = await proofOf(key);
      await expectRefused(options([proof, proof]), 'invalid_dpop_proof', /2 DPoP headers/);
    });

    it('refuses a huge proof before parsing it', async () => {
      const huge = 'a'.repeat(MAX_PROOF_LENGTH + 1);
      await expectRefused(options(huge), 'invalid_dpop_proof', new RegExp(`over ${MAX_PROOF_LENGTH}`));
    });

    it('refuses extra or missing segments', async () => {
      const proof = await proofOf(key);
      await expectRefused(options(`${proof}.extra`), 'invalid_dpop_proof', /4 "\." separated parts/);
      await expectRefused(options(proof.split('.').slice(0, 2).join('.')), 'invalid_dpop_proof', /2 "\."/);
      await expectRefused(options(`${proof.slice(0, -2)}+/`), 'invalid_dpop_proof', /characters/);
    });

    it('refuses a header that is not JSON', async () => {
      const [, payload, signature] = (await proofOf(key)).split('.');
      await expectRefused(
        options(`bm90LWpzb24.${payload}.${signature}`),
        'invalid_dpop_proof',
        /not base64url-encoded JSON/,
      );
    });

    it('refuses another typ (an access token sent as the proof)', async () => {
      const error = await expectRefused(
        options(await proofOf(key, { header: { typ: 'at+jwt' } })),
        'invalid_dpop_proof',
        /typ is "at\+jwt"; it must be "dpop\+jwt"/,
      );
      expect(error.evidence).toEqual({ expected: 'dpop+jwt', received: 'at+jwt' });
    });

    it('refuses alg none', async () => {
      const proof = handMade(
        { typ: 'dpop+jwt', alg: 'none', jwk: key.publicJwk },
        { jti: 'x', htm: 'GET', htu: URL_, iat: NOW / 1000 },
        '',
      );
      // An empty signature is not a compact JWS either; with a signature part it still fails on alg.
      await expectRefused(options(proof), 'invalid_dpop_proof');
      await expectRefused(options(`${proof}c2ln`), 'invalid_dpop_proof', /"none": an unsigned proof/);
    });

    it('refuses HS256, even when the header carries a key', async () => {
      const secret = new TextEncoder().encode('a-shared-secret-of-32-bytes-long!');
      const proof = await new SignJWT({ jti: 'x', htm: 'GET', htu: URL_, iat: NOW / 1000 })
        .setProtectedHeader({
          alg: 'HS256',
          typ: 'dpop+jwt',
          jwk: { kty: 'oct', k: base64url.encode(secret) },
        } as { alg: string })
        .sign(secret);
      await expectRefused(options(proof), 'invalid_dpop_proof', /"HS256": a shared-secret MAC/);
    });

    it('refuses an asymmetric alg left out of the list', async () => {
      const proof = await proofOf(key);
      await expectRefused(options(proof, { algorithms: ['RS256'] }), 'invalid_dpop_proof', /Accepted: RS256/);
    });

    it('refuses a proof with no jwk', async () => {
      await expectRefused(
        options(await proofOf(key, { header: { jwk: undefined } })),
        'invalid_dpop_proof',
        /no "jwk"/,
      );
    });

    it('refuses a private key in the header', async () => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const privateJwk = await exportJWK(privateKey);
      const proof = await new SignJWT({ jti: 'x', htm: 'GET', htu: URL_, iat: NOW / 1000 })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: privateJwk })
        .sign(privateKey);
      const error = await expectRefused(options(proof), 'invalid_dpop_proof', /private key members \(d\)/);
      expect(error.evidence.received).toEqual(['d']);
    });

    it('refuses a symmetric jwk', async () => {
      const proof = await proofOf(key, { header: { jwk: { kty: 'oct', x: 'abc' } } });
      await expectRefused(options(proof), 'invalid_dpop_proof', /kty "oct"/);
    });

    it('refuses a jwk that is not a key for its alg', async () => {
      const rsa = await generateDpopKey('RS256');
      await expectRefused(
        options(await proofOf(key, { header: { jwk: rsa.publicJwk } })),
        'invalid_dpop_proof',
        /does not fit its alg/,
      );
      const broken = { ...key.publicJwk, x: 'AAAA' };
      await expectRefused(
        options(await proofOf(key, { header: { jwk: broken } })),
        'invalid_dpop_proof',
        /not a valid public key/,
      );
    });
  });

  describe('the signature', () => {
    it('refuses a proof signed by a key other than its jwk', async () => {
      const proof = await proofOf(other, { header: { jwk: key.publicJwk } });
      await expectRefused(options(proof), 'invalid_dpop_proof', /signature does not match/);
    });

    it('refuses a jwk swapped after signing', async () => {
      const [, payload, signature] = (await proofOf(other)).split('.');
      const header = base64url.encode(JSON.stringify({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.publicJwk }));
      await expectRefused(
        options(`${header}.${payload}.${signature}`),
        'invalid_dpop_proof',
        /signature does not match/,
      );
    });

    it('refuses claims changed after signing', async () => {
      const [header, , signature] = (await proofOf(key)).split('.');
      const payload = base64url.encode(JSON.stringify({ jti: 'y', htm: 'POST', htu: URL_, iat: NOW / 1000 }));
      await expectRefused(
        options(`${header}.${payload}.${signature}`),
        'invalid_dpop_proof',
        /signature does not match/,
      );
    });

    it('refuses a proof with an exp in the past', async () => {
      const proof = await proofOf(key, { claims: { exp: NOW / 1000 - 30 } });
      await expectRefused(options(proof), 'invalid_dpop_proof', /expired/);
    });
  });

  describe('the claims', () => {
    it('refuses a proof without jti, or with a huge one', async () => {
      await expectRefused(
        options(await proofOf(key, { claims: { jti: undefined } })),
        'invalid_dpop_proof',
        /jti/,
      );
      await expectRefused(
        options(await proofOf(key, { claims: { jti: 'j'.repeat(257) } })),
        'invalid_dpop_proof',
        /jti/,
      );
    });

    it('refuses a proof made for another method', async () => {
      const error = await expectRefused(
        options(await proofOf(key, { claims: { htm: 'POST' } })),
        'dpop_request_mismatch',
        /method "POST" \(htm\); this request is GET/,
      );
      expect(error.evidence).toEqual({ expected: 'GET', received: 'POST' });
    });

    it('refuses a proof made for another URL', async () => {
      for (const htu of [
        'https://api.example.com/api/messages/admin',
        'http://api.example.com/api/messages/protected',
        'https://evil.example.com/api/messages/protected',
        'https://api.example.com:8443/api/messages/protected',
        '/api/messages/protected',
        42,
      ]) {
        await expectRefused(options(await proofOf(key, { claims: { htu } })), 'dpop_request_mismatch', /htu/);
      }
    });

    it('refuses a proof without a numeric iat', async () => {
      await expectRefused(
        options(await proofOf(key, { claims: { iat: undefined } })),
        'invalid_dpop_proof',
        /iat/,
      );
    });

    it('refuses an old proof', async () => {
      const proof = await proofOf(key, { claims: { iat: NOW / 1000 - 66 } });
      await expectRefused(options(proof), 'invalid_dpop_proof', /made 66 s ago.*up to 60 s old/);
    });

    it('refuses a proof from the future', async () => {
      const proof = await proofOf(key, { claims: { iat: NOW / 1000 + 30 } });
      await expectRefused(options(proof), 'invalid_dpop_proof', /30 s in the future/);
    });

    it('refuses a proof made for another token (ath), or without ath', async () => {
      const stolen = await proofOf(key, { claims: { ath: await accessTokenHash('another.token.value') } });
      const error = await expectRefused(options(stolen), 'dpop_token_mismatch', /hash of another token/);
      expect(error.evidence.expected).toBe(await accessTokenHash(TOKEN));
      await expectRefused(
        options(await proofOf(key, { claims: { ath: undefined } })),
        'dpop_token_mismatch',
        /no ath/,
      );
    });

    it('refuses a proof signed with a key the token is not bound to', async () => {
      const error = await expectRefused(options(await proofOf(other)), 'dpop_key_mismatch', /bound to/);
      expect(error.evidence).toEqual({ expected: key.jkt, received: other.jkt });
    });
  });

  describe('replay', () => {
    it('accepts a proof once', async () => {
      const replay = new DpopReplayCache({ maxEntries: 10 });
      const proof = await proofOf(key);
      await verifyDpopProof(options(proof, { replay }));
      await expectRefused(options(proof, { replay }), 'dpop_proof_replayed', /used before/);
    });

    it('does not burn a jti when another check fails', async () => {
      const replay = new DpopReplayCache({ maxEntries: 10 });
      const proof = await proofOf(key);
      await expectRefused(options(proof, { replay, method: 'POST' }), 'dpop_request_mismatch');
      await expect(verifyDpopProof(options(proof, { replay }))).resolves.toBeDefined();
    });

    it('keys the jti by the proof key, so another key cannot burn it', async () => {
      const replay = new DpopReplayCache({ maxEntries: 10 });
      await verifyDpopProof(
        options(await proofOf(other, { claims: { jti: 'same' } }), { replay, expectedJkt: other.jkt }),
      );
      await expect(
        verifyDpopProof(options(await proofOf(key, { claims: { jti: 'same' } }), { replay })),
      ).resolves.toBeDefined();
    });
  });

  describe('nonces', () => {
    const secret = new Uint8Array(32).fill(7);
    const nonces = new DpopNonces({ secret, stepSeconds: 300, now: () => NOW });

    it('asks for a nonce when the proof has none', async () => {
      await expectRefused(
        options(await proofOf(key), { nonces }),
        'use_dpop_nonce',
        /requires a server nonce/,
      );
    });

    it('refuses a nonce it did not issue', async () => {
      const proof = await proofOf(key, { claims: { nonce: 'made-up' } });
      await expectRefused(options(proof, { nonces }), 'use_dpop_nonce', /"made-up" is unknown or expired/);
    });

    it('accepts the nonce it issued', async () => {
      const proof = await proofOf(key, { claims: { nonce: await nonces.current() } });
      await expect(verifyDpopProof(options(proof, { nonces }))).resolves.toBeDefined();
    });

    it('does not record the jti of a proof refused for its nonce', async () => {
      const replay = new DpopReplayCache({ maxEntries: 10 });
      const proof = await proofOf(key);
      await expectRefused(options(proof, { nonces, replay }), 'use_dpop_nonce');
      expect(replay.size).toBe(0);
    });
  });
});
