import { PROBLEM_JSON, REASONS, type ReasonCode } from '@sample/contract';
import { SignJWT } from 'jose';
import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import http from 'node:http';
import request, { type Response } from 'supertest';
import {
  b64,
  createKey,
  mint,
  startIssuerWithKey,
  type MintOptions,
  type TestIssuer,
  type TestKey,
} from './support/issuer';
import { AUDIENCE, startTestApi, type TestApi } from './support/test-api';

const PROTECTED = '/api/messages/protected';

describe('token rejections (real AppModule over HTTP)', () => {
  let issuer: TestIssuer;
  let key: TestKey;
  let api: TestApi;

  beforeAll(async () => {
    ({ issuer, key } = await startIssuerWithKey());
    api = await startTestApi(issuer);
  });

  afterAll(async () => {
    await api.close();
    await issuer.stop();
  });

  const token = (options?: MintOptions) => mint(key, issuer.url, AUDIENCE, options);
  const get = (path: string, authorization?: string) => {
    const req = request(api.url).get(path);
    return authorization === undefined ? req : req.set('Authorization', authorization);
  };

  function expectProblem(response: Response, reason: ReasonCode, detail?: RegExp): void {
    const { status, error } = REASONS[reason];
    expect({ status: response.status, reason: (response.body as { reason?: string }).reason }).toEqual({
      status,
      reason,
    });
    expect(response.headers['content-type']).toContain(PROBLEM_JSON);
    const challenge = response.headers['www-authenticate'] as string;
    expect(challenge).toMatch(/^Bearer realm="https:\/\/api\.sample\.local"/);
    if (error === null) expect(challenge).not.toContain('error=');
    else expect(challenge).toContain(`error="${error}"`);
    expect(response.body).toMatchObject({ status, title: REASONS[reason].title, fix: REASONS[reason].fix });
    if (detail !== undefined) expect((response.body as { detail: string }).detail).toMatch(detail);
  }

  describe('accepted tokens', () => {
    it('serves the protected message for a valid token', async () => {
      const response = await get(PROTECTED, `Bearer ${await token()}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ text: 'This is a protected message.' });
    });

    it('takes the scheme in any case', async () => {
      expect((await get(PROTECTED, `bEaReR ${await token()}`)).status).toBe(200);
    });

    it('accepts an aud array that contains this API (Auth0 adds /userinfo)', async () => {
      const jwt = await token({ claims: { aud: [AUDIENCE, `${issuer.url}userinfo`] } });
      const response = await get('/api/me', `Bearer ${jwt}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        sub: 'auth0|test-user',
        scope: 'openid profile read:messages',
        permissions: ['read:messages'],
        aud: [AUDIENCE, `${issuer.url}userinfo`],
        iss: issuer.url,
        exp: expect.any(Number) as number,
      });
    });

    it('grants admin from the permissions array', async () => {
      const jwt = await token({ claims: { permissions: ['read:admin-messages'], scope: undefined } });
      const response = await get('/api/messages/admin', `Bearer ${jwt}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ text: 'This is an admin message.' });
    });

    it('grants admin to a client-credentials token from its scope (the client grant)', async () => {
      const jwt = await token({
        claims: {
          sub: 'sample-m2m@clients',
          gty: 'client-credentials',
          permissions: undefined,
          scope: 'read:messages read:admin-messages',
        },
      });
      expect((await get('/api/messages/admin', `Bearer ${jwt}`)).status).toBe(200);
    });
  });

  describe('the Authorization header', () => {
    it('missing_token: no header, 401 without an error code', async () => {
      expectProblem(await get(PROTECTED), 'missing_token', /no Authorization header/);
    });

    it('ignores a token in the query string', async () => {
      const response = await get(`${PROTECTED}?access_token=${await token()}`);
      expectProblem(response, 'missing_token', /query parameter is ignored/);
    });

    it('ignores a token in the body', async () => {
      const response = await request(api.url)
        .get(PROTECTED)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send(`access_token=${await token()}`);
      expectProblem(response, 'missing_token');
    });

    it('malformed_authorization_header: another scheme', async () => {
      expectProblem(
        await get(PROTECTED, 'Basic dXNlcjpwYXNz'),
        'malformed_authorization_header',
        /"Basic" scheme/,
      );
    });

    it('malformed_authorization_header: "Bearer" with no token', async () => {
      expectProblem(await get(PROTECTED, 'Bearer'), 'malformed_authorization_header', /carries no token/);
    });

    it('malformed_authorization_header: a valid token followed by garbage', async () => {
      const response = await get(PROTECTED, `Bearer ${await token()} garbage`);
      expectProblem(response, 'malformed_authorization_header', /exactly one token/);
      expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
    });

    it('malformed_authorization_header: two Authorization headers, even both valid', async () => {
      const jwt = await token();
      const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        // supertest merges repeated headers, so this request is written by hand (an array keeps both).
        const req = http.request(`${api.url}${PROTECTED}`, {
          headers: ['Host', '127.0.0.1', 'Authorization', `Bearer ${jwt}`, 'Authorization', `Bearer ${jwt}`],
        });
        req.on('response', (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({
        reason: 'malformed_authorization_header',
        detail: expect.stringContaining('2 Authorization headers') as string,
      });
    });

    it('answers a huge token (64 KB) with a 4xx at once', async () => {
      const started = Date.now();
      const response = await get(PROTECTED, `Bearer ${'a'.repeat(64 * 1024)}`);
      expect(response.status).toBe(431);
      expect(response.headers['content-type']).toBe(PROBLEM_JSON);
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('malformed_token: a token over the length limit that still fits in the headers', async () => {
      const jwt = await token({ claims: { padding: 'x'.repeat(9000) } });
      expectProblem(await get(PROTECTED, `Bearer ${jwt}`), 'malformed_token', /refuses tokens over 8192/);
    });
  });

  describe('the token', () => {
    it('opaque_token: a random string (no audience requested)', async () => {
      expectProblem(
        await get(PROTECTED, 'Bearer 8fJw0Q2lZt7aQpRk3xYvN4mE6bC1dH9s'),
        'opaque_token',
        /not a JWT/,
      );
    });

    it('opaque_token: an encrypted JWE (Auth0 without audience)', async () => {
      const jwe = `${b64({ alg: 'dir', enc: 'A256GCM' })}..${'a'.repeat(16)}.${'b'.repeat(40)}.${'c'.repeat(22)}`;
      expectProblem(await get(PROTECTED, `Bearer ${jwe}`), 'opaque_token', /encrypted JWE/);
    });

    it('id_token_used: an ID token (aud is the client id, nonce)', async () => {
      const jwt = await token({
        claims: { aud: 'sample-spa', nonce: 'n-0S6_WzA2Mj', scope: undefined, permissions: undefined },
      });
      const response = await get(PROTECTED, `Bearer ${jwt}`);
      expectProblem(response, 'id_token_used', /ID token/);
      expect(response.body).toMatchObject({ expected: AUDIENCE, received: 'sample-spa' });
    });

    it('audience_mismatch: a token for another API, expected vs got', async () => {
      const jwt = await token({ claims: { aud: 'https://other-api.sample.local' } });
      const response = await get(PROTECTED, `Bearer ${jwt}`);
      expectProblem(
        response,
        'audience_mismatch',
        /other-api\.sample\.local.*expects "https:\/\/api\.sample\.local"/,
      );
      expect(response.body).toMatchObject({ expected: AUDIENCE, received: 'https://other-api.sample.local' });
    });

    it('audience_mismatch: only the /userinfo audience', async () => {
      const jwt = await token({ claims: { aud: `${issuer.url}userinfo` } });
      expectProblem(
        await get(PROTECTED, `Bearer ${jwt}`),
        'audience_mismatch',
        /only audience is the \/userinfo URL/,
      );
    });

    it('issuer_mismatch: expected vs got, with the trailing-slash hint', async () => {
      const jwt = await token({ claims: { iss: issuer.origin } });
      const response = await get(PROTECTED, `Bearer ${jwt}`);
      expectProblem(response, 'issuer_mismatch', /differ only by the trailing slash/);
      expect(response.body).toMatchObject({ expected: issuer.url, received: issuer.origin });
    });

    it('algorithm_not_allowed: alg none (unsigned)', async () => {
      const claims = { iss: issuer.url, aud: AUDIENCE, sub: 'x', iat: 1, exp: 4_000_000_000 };
      const jwt = `${b64({ alg: 'none', kid: key.kid })}.${b64(claims)}.`;
      expectProblem(
        await get(PROTECTED, `Bearer ${jwt}`),
        'algorithm_not_allowed',
        /unsigned \(alg "none"\)/,
      );
    });

    it('algorithm_not_allowed: HS256 signed with the RSA public key as the secret', async () => {
      const now = Math.floor(Date.now() / 1000);
      const pem = createPublicKey({ key: key.publicJwk as JsonWebKey, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      const signingInput = `${b64({ alg: 'HS256', kid: key.kid, typ: 'JWT' })}.${b64({ iss: issuer.url, aud: AUDIENCE, sub: 'x', iat: now, exp: now + 60 })}`;
      const signature = createHmac('sha256', pem).update(signingInput).digest('base64url');
      const response = await get(PROTECTED, `Bearer ${signingInput}.${signature}`);
      expectProblem(response, 'algorithm_not_allowed', /HS256 uses a shared secret/);
      expect(response.body).toMatchObject({ expected: ['RS256'], received: 'HS256' });
    });

    it.each(['RS384', 'PS256', 'ES256'])(
      'algorithm_not_allowed: %s when only RS256 is allowed',
      async (alg) => {
        const other = await createKey(`key-${alg}`, alg);
        const jwt = await mint(other, issuer.url, AUDIENCE);
        expectProblem(
          await get(PROTECTED, `Bearer ${jwt}`),
          'algorithm_not_allowed',
          new RegExp(`signed with "${alg}"`),
        );
      },
    );

    it('unknown_signing_key: a kid that is not in the JWKS, with the wrong-tenant hint', async () => {
      const stranger = await createKey('other-tenant-key');
      const jwt = await mint(stranger, 'https://other-tenant.eu.auth0.com/', AUDIENCE);
      const response = await get(PROTECTED, `Bearer ${jwt}`);
      expectProblem(response, 'unknown_signing_key', /No key with kid "other-tenant-key".*another tenant\?/);
    });

    it('unknown_signing_key: no kid at all', async () => {
      const jwt = await token({ header: { kid: undefined } });
      expectProblem(await get(PROTECTED, `Bearer ${jwt}`), 'unknown_signing_key', /has no "kid"/);
    });

    it('invalid_signature: a tampered payload', async () => {
      const [header, , signature] = (await token()).split('.');
      const forged = b64({
        iss: issuer.url,
        aud: AUDIENCE,
        sub: 'auth0|admin',
        iat: 1,
        exp: 4_000_000_000,
        permissions: ['read:admin-messages'],
      });
      expectProblem(
        await get('/api/messages/admin', `Bearer ${header}.${forged}.${signature}`),
        'invalid_signature',
        /changed after it was signed/,
      );
    });

    it('invalid_signature: a stripped signature', async () => {
      const [header, payload] = (await token()).split('.');
      expectProblem(
        await get(PROTECTED, `Bearer ${header}.${payload}.`),
        'invalid_signature',
        /no signature/,
      );
    });

    it('invalid_signature: signed by another key under a known kid', async () => {
      const impostor = { ...(await createKey(key.kid)) };
      const jwt = await mint(impostor, issuer.url, AUDIENCE);
      expectProblem(await get(PROTECTED, `Bearer ${jwt}`), 'invalid_signature');
    });

    it('token_expired: says when', async () => {
      const now = Math.floor(Date.now() / 1000);
      const jwt = await token({ claims: { iat: now - 3600, exp: now - 60 } });
      const response = await get(PROTECTED, `Bearer ${jwt}`);
      expectProblem(
        response,
        'token_expired',
        /expired at \d{4}-\d\d-\d\dT.* \(6\d s ago; clock tolerance 5 s\)/,
      );
    });

    it('token_expired is reported before the audience (time claims are checked first)', async () => {
      const now = Math.floor(Date.now() / 1000);
      const jwt = await token({
        claims: { aud: 'https://short-lived-api.sample.local', iat: now - 30, exp: now - 28 },
      });
      expectProblem(await get(PROTECTED, `Bearer ${jwt}`), 'token_expired');
    });

    it('token_not_yet_valid: nbf in the future', async () => {
      const now = Math.floor(Date.now() / 1000);
      expectProblem(
        await get(PROTECTED, `Bearer ${await token({ claims: { nbf: now + 120 } })}`),
        'token_not_yet_valid',
        /nbf/,
      );
    });

    it('token_not_yet_valid: iat in the future', async () => {
      const now = Math.floor(Date.now() / 1000);
      expectProblem(
        await get(PROTECTED, `Bearer ${await token({ claims: { iat: now + 120, exp: now + 600 } })}`),
        'token_not_yet_valid',
        /iat/,
      );
    });

    it('malformed_token: no exp (jsonwebtoken alone would accept it forever)', async () => {
      expectProblem(
        await get(PROTECTED, `Bearer ${await token({ claims: { exp: undefined } })}`),
        'malformed_token',
        /no numeric "exp"/,
      );
    });

    it('malformed_token: a lifetime over the cap', async () => {
      const now = Math.floor(Date.now() / 1000);
      const jwt = await token({ claims: { iat: now, exp: now + 90 * 86_400 } });
      expectProblem(await get(PROTECTED, `Bearer ${jwt}`), 'malformed_token', /at most 86400 s/);
    });

    it('malformed_token: an unknown crit header', async () => {
      const jwt = await new SignJWT({ iss: issuer.url, aud: AUDIENCE, sub: 'x' })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, crit: ['exp-ext'], 'exp-ext': true })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key.privateKey, { crit: { 'exp-ext': true } });
      expectProblem(await get(PROTECTED, `Bearer ${jwt}`), 'malformed_token', /critical extensions/);
    });

    it('malformed_token: three parts that are not JSON', async () => {
      expectProblem(
        await get(PROTECTED, 'Bearer aaaa.bbbb.cccc'),
        'malformed_token',
        /not base64url-encoded JSON/,
      );
    });

    it('insufficient_permission: 403 with the required scope and the Auth0 hint', async () => {
      const response = await get('/api/messages/admin', `Bearer ${await token()}`);
      expectProblem(
        response,
        'insufficient_permission',
        /requires "read:admin-messages".*"Add Permissions in the Access Token"/,
      );
      expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
      expect(response.headers['www-authenticate']).toContain('scope="read:admin-messages"');
      expect(response.body).toMatchObject({
        required: ['read:admin-messages'],
        received: ['read:messages'],
      });
    });

    it('insufficient_permission: a user token with the permission in scope only (RBAC off) says so', async () => {
      // What Auth0 issues for an API with RBAC off: every scope the app asked for, no permissions claim.
      const jwt = await token({
        claims: { permissions: undefined, scope: 'openid profile read:messages read:admin-messages' },
      });
      const response = await get('/api/messages/admin', `Bearer ${jwt}`);
      expectProblem(
        response,
        'insufficient_permission',
        /scope lists "read:admin-messages", but its permissions claim is absent: this API authorizes users by permissions only.*"Enable RBAC" and "Add Permissions in the Access Token"/,
      );
      expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
      expect(response.headers['www-authenticate']).toContain('scope="read:admin-messages"');
      expect(response.body).toMatchObject({ required: ['read:admin-messages'], received: [] });
    });

    it('key_bound_token: a DPoP-bound token (cnf.jkt) sent as a plain Bearer token', async () => {
      const jwt = await token({ claims: { cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' } } });
      const response = await get(PROTECTED, `Bearer ${jwt}`);
      expectProblem(response, 'key_bound_token', /bound to a DPoP key.*RFC 9449 section 7\.2/);
      expect(response.body).toMatchObject({ received: ['jkt'] });
      // Not even the verified-token cache serves it on a second request.
      expect((await get(PROTECTED, `Bearer ${jwt}`)).status).toBe(401);
    });
  });

  describe('logs', () => {
    it('log the reason with the request id, never the token', async () => {
      const jwt = await token({ claims: { aud: 'https://other-api.sample.local' } });
      const response = await get(PROTECTED, `Bearer ${jwt}`).set('X-Request-Id', 'req-42');
      expect(response.headers['x-request-id']).toBe('req-42');
      const lines = api.logs.filter((line) => (line['req'] as { id?: string } | undefined)?.id === 'req-42');
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            reason: 'audience_mismatch',
            msg: 'request rejected: audience_mismatch',
          }),
          expect.objectContaining({ reason: 'audience_mismatch', res: { statusCode: 401 } }),
        ]),
      );
      const [, payload, signature] = jwt.split('.');
      const all = JSON.stringify(api.logs);
      expect(all).not.toContain(payload);
      expect(all).not.toContain(signature);
    });
  });
});
