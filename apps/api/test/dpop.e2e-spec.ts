import { PROBLEM_JSON, REASONS, type ReasonCode } from '@sample/contract';
import {
  accessTokenHash,
  generateDpopKey,
  signDpopProof,
  type DpopKey,
  type DpopProofOptions,
} from '@sample/dpop';
import { base64url, exportJWK, generateKeyPair, SignJWT } from 'jose';
import http from 'node:http';
import request, { type Response } from 'supertest';
import { ManualClock } from './support/clock';
import { mint, startIssuerWithKey, type MintOptions, type TestIssuer, type TestKey } from './support/issuer';
import { AUDIENCE, preflight, startTestApi, type TestApi } from './support/test-api';

/** The URL clients call the API at: proofs name it, whatever Host header the request carries. */
const PUBLIC_URL = 'https://api.test.local';
const PROTECTED = '/api/messages/protected';
const ALGS = 'algs="ES256 ES384 EdDSA Ed25519 PS256 RS256"';

describe('DPoP (RFC 9449) on the real AppModule over HTTP', () => {
  let issuer: TestIssuer;
  let key: TestKey;
  let device: DpopKey;
  let attacker: DpopKey;

  beforeAll(async () => {
    ({ issuer, key } = await startIssuerWithKey());
    [device, attacker] = await Promise.all([generateDpopKey(), generateDpopKey()]);
  });

  afterAll(() => issuer.stop());

  /** An access token bound to `holder` (cnf.jkt), as the auth server issues it after a token request with a proof. */
  const boundToken = (holder: DpopKey = device, options: MintOptions = {}) =>
    mint(key, issuer.url, AUDIENCE, { ...options, claims: { cnf: { jkt: holder.jkt }, ...options.claims } });
  const bearerToken = (options?: MintOptions) => mint(key, issuer.url, AUDIENCE, options);

  /** A proof for GET <path> at the public URL, for `token`. */
  const proofFor = (token: string, path = PROTECTED, extra: Partial<DpopProofOptions> = {}) =>
    signDpopProof(device, { method: 'GET', url: `${PUBLIC_URL}${path}`, accessToken: token, ...extra });

  function dpopGet(api: TestApi, path: string, token: string, dpop?: string) {
    const req = request(api.url).get(path).set('Authorization', `DPoP ${token}`);
    return dpop === undefined ? req : req.set('DPoP', dpop);
  }

  function expectRefused(response: Response, reason: ReasonCode, detail?: RegExp): void {
    const { status } = REASONS[reason];
    expect({ status: response.status, reason: (response.body as { reason?: string }).reason }).toEqual({
      status,
      reason,
    });
    expect(response.headers['content-type']).toContain(PROBLEM_JSON);
    if (detail !== undefined) expect((response.body as { detail: string }).detail).toMatch(detail);
  }

  /** The DPoP challenge of a DPoP reason: `DPoP error="...", error_description="...", algs="..."`. */
  function expectDpopChallenge(response: Response, reason: ReasonCode): void {
    const { error, title } = REASONS[reason];
    expect(response.headers['www-authenticate']).toBe(
      `DPoP error="${error}", error_description="${title}", ${ALGS}`,
    );
  }

  describe('AUTH_DPOP=allowed (the default)', () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await startTestApi(issuer, { API_PUBLIC_URL: PUBLIC_URL });
    });

    afterAll(() => api.close());

    describe('accepted', () => {
      it('accepts a bound token with a proof made for this request', async () => {
        const token = await boundToken();
        const response = await dpopGet(api, PROTECTED, token, await proofFor(token));
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ text: 'This is a protected message.' });
      });

      it('takes the scheme in any case, and checks permissions as for Bearer', async () => {
        const admin = await boundToken(device, { claims: { permissions: ['read:admin-messages'] } });
        const response = await request(api.url)
          .get('/api/messages/admin')
          .set('Authorization', `dpop ${admin}`)
          .set('DPoP', await proofFor(admin, '/api/messages/admin'));
        expect(response.status).toBe(200);

        const reader = await boundToken();
        const refused = await dpopGet(
          api,
          '/api/messages/admin',
          reader,
          await proofFor(reader, '/api/messages/admin'),
        );
        expectRefused(refused, 'insufficient_permission');
        // A request made with the DPoP scheme gets a DPoP challenge (RFC 9449 section 7.1).
        expect(refused.headers['www-authenticate']).toBe(
          `DPoP error="insufficient_scope", error_description="${REASONS.insufficient_permission.title}", scope="read:admin-messages", ${ALGS}`,
        );
      });

      it('keeps accepting unbound tokens as Bearer', async () => {
        const response = await request(api.url)
          .get(PROTECTED)
          .set('Authorization', `Bearer ${await bearerToken()}`);
        expect(response.status).toBe(200);
      });

      it('compares htu with API_PUBLIC_URL, never with the Host header', async () => {
        const token = await boundToken();
        const forHost = await signDpopProof(device, {
          method: 'GET',
          url: `http://evil.example.com${PROTECTED}`,
          accessToken: token,
        });
        const spoofed = await dpopGet(api, PROTECTED, token, forHost).set('Host', 'evil.example.com');
        expectRefused(
          spoofed,
          'dpop_request_mismatch',
          /https:\/\/api\.test\.local\/api\/messages\/protected/,
        );

        const right = await dpopGet(api, PROTECTED, token, await proofFor(token)).set(
          'Host',
          'evil.example.com',
        );
        expect(right.status).toBe(200);
      });

      it('ignores the query string in htu, on both sides', async () => {
        const token = await boundToken();
        const response = await dpopGet(
          api,
          '/api/me?x=1',
          token,
          // A client sends htu without query or fragment (the signer cuts them): this one keeps them on purpose.
          await proofFor(token, '/api/me', { claims: { htu: `${PUBLIC_URL}/api/me?y=2#f` } }),
        );
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ sub: 'auth0|test-user' });
      });
    });

    describe('the scheme rules', () => {
      it('refuses a bound token sent as Bearer, and says DPoP would do', async () => {
        const response = await request(api.url)
          .get(PROTECTED)
          .set('Authorization', `Bearer ${await boundToken()}`);
        expectRefused(response, 'key_bound_token', /Send it as "Authorization: DPoP <token>"/);
        expect(response.headers['www-authenticate']).toBe(
          `Bearer realm="${AUDIENCE}", error="invalid_token", error_description="${REASONS.key_bound_token.title}", DPoP ${ALGS}`,
        );
      });

      it('refuses an unbound token sent with the DPoP scheme', async () => {
        const token = await bearerToken();
        const response = await dpopGet(api, PROTECTED, token, await proofFor(token));
        expectRefused(response, 'dpop_token_not_bound', /no cnf\.jkt/);
        expectDpopChallenge(response, 'dpop_token_not_bound');
      });

      it('answers a request without a token with both challenges', async () => {
        const response = await request(api.url).get(PROTECTED);
        expectRefused(response, 'missing_token');
        expect(response.headers['www-authenticate']).toBe(`Bearer realm="${AUDIENCE}", DPoP ${ALGS}`);
      });

      it('explains a token error of a DPoP request with a DPoP challenge', async () => {
        const now = Math.floor(Date.now() / 1000);
        const expired = await boundToken(device, { claims: { iat: now - 3600, exp: now - 600 } });
        const response = await dpopGet(api, PROTECTED, expired, await proofFor(expired));
        expectRefused(response, 'token_expired');
        expect(response.headers['www-authenticate']).toBe(
          `DPoP error="invalid_token", error_description="${REASONS.token_expired.title}", ${ALGS}`,
        );
      });

      it('explains a malformed DPoP Authorization header', async () => {
        const response = await request(api.url).get(PROTECTED).set('Authorization', 'DPoP a b');
        expectRefused(response, 'malformed_authorization_header', /"DPoP" followed by exactly one token/);
      });
    });

    describe('the proof', () => {
      it('refuses a bound token without a proof', async () => {
        const response = await dpopGet(api, PROTECTED, await boundToken());
        expectRefused(response, 'dpop_proof_missing', /no DPoP header/);
        expectDpopChallenge(response, 'dpop_proof_missing');
      });

      it('refuses two DPoP headers', async () => {
        const token = await boundToken();
        const [first, second] = [await proofFor(token), await proofFor(token)];
        // supertest keeps one value per header name: node:http sends both.
        const response = await new Promise<{
          status: number;
          headers: http.IncomingHttpHeaders;
          body: string;
        }>((resolve, reject) => {
          const req = http.request(`${api.url}${PROTECTED}`, {
            headers: ['Host', '127.0.0.1', 'Authorization', `DPoP ${token}`, 'DPoP', first, 'DPoP', second],
          });
          req.on('response', (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          });
          req.on('error', reject);
          req.end();
        });
        expect(response.status).toBe(401);
        expect(JSON.parse(response.body)).toMatchObject({
          reason: 'invalid_dpop_proof',
          detail: expect.stringContaining('2 DPoP headers') as string,
        });
        expect(response.headers['www-authenticate']).toBe(
          `DPoP error="invalid_dpop_proof", error_description="${REASONS.invalid_dpop_proof.title}", ${ALGS}`,
        );
      });

      it('refuses a proof used before, across two requests', async () => {
        const token = await boundToken();
        const once = await proofFor(token);
        expect((await dpopGet(api, PROTECTED, token, once)).status).toBe(200);
        const again = await dpopGet(api, PROTECTED, token, once);
        expectRefused(again, 'dpop_proof_replayed', /used before/);
        expectDpopChallenge(again, 'dpop_proof_replayed');
      });

      it('refuses a proof made for another URL or method', async () => {
        const token = await boundToken();
        const otherPath = await dpopGet(api, PROTECTED, token, await proofFor(token, '/api/me'));
        expectRefused(otherPath, 'dpop_request_mismatch', /\(htu\)/);
        expectDpopChallenge(otherPath, 'dpop_request_mismatch');
        const otherMethod = await dpopGet(
          api,
          PROTECTED,
          token,
          await signDpopProof(device, {
            method: 'PATCH',
            url: `${PUBLIC_URL}${PROTECTED}`,
            accessToken: token,
          }),
        );
        expectRefused(otherMethod, 'dpop_request_mismatch', /method "PATCH" \(htm\); this request is GET/);
        expect(otherMethod.body).toMatchObject({ expected: 'GET', received: 'PATCH' });
      });

      it('refuses a proof made for another token', async () => {
        const token = await boundToken();
        const other = await boundToken(device, { claims: { sub: 'auth0|someone-else' } });
        const response = await dpopGet(api, PROTECTED, token, await proofFor(other));
        expectRefused(response, 'dpop_token_mismatch', /hash of another token/);
        expect(response.body).toMatchObject({ expected: await accessTokenHash(token) });
      });

      it("refuses a stolen token with the thief's own key", async () => {
        const stolen = await boundToken(device);
        const response = await dpopGet(
          api,
          PROTECTED,
          stolen,
          await signDpopProof(attacker, {
            method: 'GET',
            url: `${PUBLIC_URL}${PROTECTED}`,
            accessToken: stolen,
          }),
        );
        expectRefused(response, 'dpop_key_mismatch', /bound to/);
        expect(response.body).toMatchObject({ expected: device.jkt, received: attacker.jkt });
        expectDpopChallenge(response, 'dpop_key_mismatch');
      });

      it('refuses an old proof and one from the future', async () => {
        const token = await boundToken();
        const old = await dpopGet(
          api,
          PROTECTED,
          token,
          await proofFor(token, PROTECTED, { now: Date.now() - 600_000 }),
        );
        expectRefused(old, 'invalid_dpop_proof', /up to 60 s old/);
        const future = await dpopGet(
          api,
          PROTECTED,
          token,
          await proofFor(token, PROTECTED, { now: Date.now() + 600_000 }),
        );
        expectRefused(future, 'invalid_dpop_proof', /in the future/);
      });

      it('refuses an unsigned proof and an HS256 one', async () => {
        const token = await boundToken();
        const claims = {
          jti: 'unsigned',
          htm: 'GET',
          htu: `${PUBLIC_URL}${PROTECTED}`,
          iat: Math.floor(Date.now() / 1000),
          ath: await accessTokenHash(token),
        };
        const part = (value: unknown) => base64url.encode(JSON.stringify(value));
        const none = `${part({ typ: 'dpop+jwt', alg: 'none', jwk: device.publicJwk })}.${part(claims)}.c2ln`;
        expectRefused(await dpopGet(api, PROTECTED, token, none), 'invalid_dpop_proof', /unsigned proof/);
        const secret = new TextEncoder().encode('a-shared-secret-of-32-bytes-long!');
        const hs256 = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: device.publicJwk })
          .sign(secret);
        expectRefused(await dpopGet(api, PROTECTED, token, hs256), 'invalid_dpop_proof', /shared-secret/);
      });

      it('refuses a private key in the header, and a jwk swapped after signing', async () => {
        const token = await boundToken();
        const { privateKey } = await generateKeyPair('ES256', { extractable: true });
        const leaked = await proofFor(token, PROTECTED, { header: { jwk: await exportJWK(privateKey) } });
        expectRefused(
          await dpopGet(api, PROTECTED, token, leaked),
          'invalid_dpop_proof',
          /private key members/,
        );

        const [, payload, signature] = (
          await signDpopProof(attacker, {
            method: 'GET',
            url: `${PUBLIC_URL}${PROTECTED}`,
            accessToken: token,
          })
        ).split('.');
        const header = base64url.encode(
          JSON.stringify({ alg: 'ES256', typ: 'dpop+jwt', jwk: device.publicJwk }),
        );
        const swapped = `${header}.${payload}.${signature}`;
        expectRefused(
          await dpopGet(api, PROTECTED, token, swapped),
          'invalid_dpop_proof',
          /signature does not match/,
        );
      });

      it('refuses a proof with extra segments, or a huge one before parsing it', async () => {
        const token = await boundToken();
        const extra = `${await proofFor(token)}.more`;
        expectRefused(
          await dpopGet(api, PROTECTED, token, extra),
          'invalid_dpop_proof',
          /4 "\." separated parts/,
        );
        const huge = `${'a'.repeat(9000)}.b.c`;
        expectRefused(await dpopGet(api, PROTECTED, token, huge), 'invalid_dpop_proof', /over 8192/);
      });
    });

    describe('the verified-token cache', () => {
      it('still checks the proof of every request made with a cached token', async () => {
        const token = await boundToken();
        expect((await dpopGet(api, PROTECTED, token, await proofFor(token))).status).toBe(200);
        // The token is now cached: a new proof passes, a missing, replayed or foreign one does not.
        const second = await proofFor(token);
        expect((await dpopGet(api, PROTECTED, token, second)).status).toBe(200);
        expectRefused(await dpopGet(api, PROTECTED, token), 'dpop_proof_missing');
        expectRefused(await dpopGet(api, PROTECTED, token, second), 'dpop_proof_replayed');
        expectRefused(
          await dpopGet(api, PROTECTED, token, await proofFor(token, '/api/me')),
          'dpop_request_mismatch',
        );
        const thief = await signDpopProof(attacker, {
          method: 'GET',
          url: `${PUBLIC_URL}${PROTECTED}`,
          accessToken: token,
        });
        expectRefused(await dpopGet(api, PROTECTED, token, thief), 'dpop_key_mismatch');
        // ...nor does sending it as Bearer.
        const asBearer = await request(api.url).get(PROTECTED).set('Authorization', `Bearer ${token}`);
        expectRefused(asBearer, 'key_bound_token');
      });

      it('refuses a cached Bearer token sent with the DPoP scheme', async () => {
        const token = await bearerToken();
        expect((await request(api.url).get(PROTECTED).set('Authorization', `Bearer ${token}`)).status).toBe(
          200,
        );
        expectRefused(await dpopGet(api, PROTECTED, token, await proofFor(token)), 'dpop_token_not_bound');
      });
    });

    describe('CORS', () => {
      it('lets the SPA send the DPoP header and read DPoP-Nonce and WWW-Authenticate', async () => {
        const preflighted = await preflight(api.url, PROTECTED, 'GET', 'authorization,dpop');
        expect(preflighted.status).toBe(204);
        expect(preflighted.headers['access-control-allow-headers']).toContain('DPoP');

        const token = await boundToken();
        const response = await dpopGet(api, PROTECTED, token).set('Origin', 'http://localhost:4200');
        expect(response.status).toBe(401);
        expect(response.headers['access-control-expose-headers']).toContain('DPoP-Nonce');
        expect(response.headers['access-control-expose-headers']).toContain('WWW-Authenticate');
      });
    });

    it('logs the DPoP reason of each rejection, never the token or the proof', async () => {
      const token = await boundToken();
      const dpop = await proofFor(token, '/api/me');
      await dpopGet(api, PROTECTED, token, dpop).set('X-Request-Id', 'dpop-log-1');
      const lines = api.logs.filter(
        (line) => (line['req'] as { id?: string } | undefined)?.id === 'dpop-log-1',
      );
      expect(lines.map((line) => line['reason'])).toContain('dpop_request_mismatch');
      expect(JSON.stringify(api.logs)).not.toContain(token);
      expect(JSON.stringify(api.logs)).not.toContain(dpop);
    });
  });

  describe('AUTH_DPOP=required', () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await startTestApi(issuer, { API_PUBLIC_URL: PUBLIC_URL, AUTH_DPOP: 'required' });
    });

    afterAll(() => api.close());

    it('refuses a Bearer token', async () => {
      const response = await request(api.url)
        .get(PROTECTED)
        .set('Authorization', `Bearer ${await bearerToken()}`);
      expectRefused(response, 'dpop_required', /requires DPoP/);
      expectDpopChallenge(response, 'dpop_required');
    });

    it('accepts a bound token with its proof', async () => {
      const token = await boundToken();
      expect((await dpopGet(api, PROTECTED, token, await proofFor(token))).status).toBe(200);
    });

    it('answers a request without a token with the DPoP challenge only', async () => {
      const response = await request(api.url).get(PROTECTED);
      expectRefused(response, 'missing_token');
      expect(response.headers['www-authenticate']).toBe(`DPoP ${ALGS}`);
    });

    it('documents the dpop scheme only', async () => {
      const doc = (await request(api.url).get('/api/docs-json')).body as {
        paths: Record<string, Record<string, { security?: unknown }>>;
      };
      expect(doc.paths[PROTECTED]?.['get']?.security).toEqual([{ dpop: [] }]);
    });
  });

  describe('AUTH_DPOP=off', () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await startTestApi(issuer, { AUTH_DPOP: 'off' });
    });

    afterAll(() => api.close());

    it('refuses the DPoP scheme', async () => {
      const token = await boundToken();
      const response = await dpopGet(api, PROTECTED, token, await proofFor(token));
      expectRefused(response, 'dpop_disabled', /AUTH_DPOP=off/);
      expect(response.headers['www-authenticate']).toBe(`Bearer realm="${AUDIENCE}"`);
    });

    it('refuses a bound token as Bearer, and offers no DPoP challenge', async () => {
      const response = await request(api.url)
        .get(PROTECTED)
        .set('Authorization', `Bearer ${await boundToken()}`);
      expectRefused(response, 'key_bound_token', /checks no proof of possession/);
      expect(response.headers['www-authenticate']).not.toContain('DPoP');
    });

    it('answers a request without a token with the Bearer challenge only', async () => {
      const response = await request(api.url).get(PROTECTED);
      expect(response.headers['www-authenticate']).toBe(`Bearer realm="${AUDIENCE}"`);
    });
  });

  describe('AUTH_DPOP_NONCE=true', () => {
    let api: TestApi;
    let clock: ManualClock;

    beforeAll(async () => {
      clock = new ManualClock();
      api = await startTestApi(
        issuer,
        { API_PUBLIC_URL: PUBLIC_URL, AUTH_DPOP_NONCE: 'true', AUTH_DPOP_NONCE_SECRET: 'a'.repeat(32) },
        clock.now,
      );
    });

    afterAll(() => api.close());

    const nonceProof = (token: string, nonce?: string) =>
      proofFor(token, PROTECTED, { now: clock.now(), nonce });

    it('asks for a nonce, then accepts the retry that carries it', async () => {
      const token = await boundToken();
      const first = await dpopGet(api, PROTECTED, token, await nonceProof(token));
      expectRefused(first, 'use_dpop_nonce', /requires a server nonce/);
      expectDpopChallenge(first, 'use_dpop_nonce');
      const nonce = first.headers['dpop-nonce'] as string;
      expect(nonce).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);

      const retry = await dpopGet(api, PROTECTED, token, await nonceProof(token, nonce));
      expect(retry.status).toBe(200);
    });

    it('refuses a made-up nonce, and one whose time is up', async () => {
      const token = await boundToken();
      expectRefused(
        await dpopGet(api, PROTECTED, token, await nonceProof(token, 'made-up')),
        'use_dpop_nonce',
        /unknown or expired/,
      );
      const nonce = (await dpopGet(api, PROTECTED, token, await nonceProof(token))).headers[
        'dpop-nonce'
      ] as string;
      clock.advance(600_000);
      const late = await dpopGet(api, PROTECTED, token, await nonceProof(token, nonce));
      expectRefused(late, 'use_dpop_nonce', /unknown or expired/);
      expect(late.headers['dpop-nonce']).not.toBe(nonce);
      const fresh = await dpopGet(
        api,
        PROTECTED,
        token,
        await nonceProof(token, late.headers['dpop-nonce'] as string),
      );
      expect(fresh.status).toBe(200);
    });
  });
});
