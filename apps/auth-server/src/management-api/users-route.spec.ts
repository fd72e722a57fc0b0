import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { ConfigError, CURRENT_USER_SCOPES, LOCAL_TENANT, managementApiAudience } from '@sample/contract';
import { generateDpopKey, signDpopProof, type DpopKey } from '@sample/dpop';
import { DEMO_M2M_CLIENT_SECRET } from '../config/settings';
import { authorizationCode, codeExchange, tokenRequest } from '../testing/dpop';
import { getWithHost, requestWithHeaderLines } from '../testing/raw-request';
import {
  authorizationRequest,
  discoverM2m,
  logIn,
  preflight,
  REDIRECT_URI,
  SPA_ORIGIN,
  withServerError,
} from '../testing/spa-client';
import { makeDataDir, startTestServer, type TestServer } from '../testing/test-server';
import { METADATA_MAX_BYTES } from './metadata';
import { USERS_FILE } from './user-store';

const READER = 'auth0|demo-reader';
const ADMIN = 'auth0|demo-admin';
const OWN_USER_SCOPES = 'openid profile read:current_user update:current_user_metadata';

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

describe('Management API: /api/v2/users/{id}', () => {
  let server: TestServer;
  let audience: string;

  beforeEach(async () => {
    server = await startTestServer();
    audience = managementApiAudience(server.issuer);
  });
  afterEach(() => server.stop());

  const call = async (
    method: string,
    id: string,
    token: string | undefined,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const response = await fetch(server.url(`api/v2/users/${encodeURIComponent(id)}`), {
      method,
      headers: {
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  };

  const userTokens = async (email: string, scope = OWN_USER_SCOPES) =>
    (await logIn(server.issuer, email, { audience, scope })).tokens;
  const userToken = async (email: string, scope = OWN_USER_SCOPES) =>
    (await userTokens(email, scope)).access_token;
  const m2mToken = async (scope?: string) =>
    (
      await oidc
        .clientCredentialsGrant(await discoverM2m(server.issuer), {
          audience,
          ...(scope !== undefined && { scope }),
        })
        .catch(withServerError)
    ).access_token;

  describe("tokens for the Management API's audience", () => {
    it('gives a user only the current_user scopes asked for, silently dropping update:users, with no permissions claim', async () => {
      const tokens = await userTokens(
        LOCAL_TENANT.users.reader,
        'openid profile read:current_user update:current_user_metadata update:users read:users update:users_app_metadata',
      );
      expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
      const claims = decodeJwt(tokens.access_token);
      expect(claims).toMatchObject({
        sub: READER,
        aud: [audience, server.url('userinfo')],
        azp: LOCAL_TENANT.spaClientId,
        scope: OWN_USER_SCOPES,
      });
      expect(claims).not.toHaveProperty('permissions');
      expect(tokens.scope).toBe(OWN_USER_SCOPES);
    });

    it('gives every user, even one without roles, each current_user scope asked for', async () => {
      const all = ['openid', ...CURRENT_USER_SCOPES].join(' ');
      const claims = decodeJwt(await userToken(LOCAL_TENANT.users.guest, all));
      expect(claims['scope']).toBe(all);
    });

    it('gives the same, silently (prompt=none in the iframe), to a user logged in for another API', async () => {
      const { browser, config } = await logIn(server.issuer, LOCAL_TENANT.users.reader, {
        audience: LOCAL_TENANT.apiAudience,
        scope: 'openid profile read:messages',
      });
      const silent = await authorizationRequest(config, {
        prompt: 'none',
        response_mode: 'web_message',
        audience,
        scope: `${OWN_USER_SCOPES} update:users`,
      });
      const page = await (await browser.request(silent.url.href)).text();
      const callback = new URL(REDIRECT_URI);
      for (const name of ['code', 'iss'])
        callback.searchParams.set(name, new RegExp(`"${name}":"([^"]+)"`).exec(page)?.[1] ?? '');
      callback.searchParams.set('state', silent.state);
      const tokens = await oidc
        .authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: silent.verifier,
          expectedState: silent.state,
          expectedNonce: silent.nonce,
        })
        .catch(withServerError);
      expect(decodeJwt(tokens.access_token)).toMatchObject({
        sub: READER,
        aud: [audience, server.url('userinfo')],
        scope: OWN_USER_SCOPES,
      });
      expect(tokens.scope).toBe(OWN_USER_SCOPES);
      expect((await call('GET', READER, tokens.access_token)).status).toBe(200);
    });

    it('keeps the same scopes when the token is refreshed', async () => {
      const { tokens, config } = await logIn(server.issuer, LOCAL_TENANT.users.reader, {
        audience,
        scope: `${OWN_USER_SCOPES} offline_access update:users`,
      });
      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '');
      const expected = 'openid profile offline_access read:current_user update:current_user_metadata';
      expect(decodeJwt(refreshed.access_token)['scope']).toBe(expected);
      expect(refreshed.scope).toBe(expected);
      expect((await call('GET', READER, refreshed.access_token)).status).toBe(200);
    });

    it('gives the M2M client its grant, read:users update:users update:users_app_metadata', async () => {
      const claims = decodeJwt(await m2mToken());
      expect(claims).toMatchObject({
        sub: `${LOCAL_TENANT.m2mClientId}@clients`,
        aud: audience,
        gty: 'client-credentials',
        scope: 'read:users update:users update:users_app_metadata',
      });
      expect(claims).not.toHaveProperty('permissions');
    });

    it('refuses the M2M client a scope beyond its grant', async () => {
      await expect(m2mToken('read:users delete:users')).rejects.toThrow(
        /not been granted scopes: delete:users/,
      );
    });
  });

  describe('GET', () => {
    it("returns the caller's own user, Auth0-shaped, to a user token with read:current_user", async () => {
      const answer = await call('GET', READER, await userToken(LOCAL_TENANT.users.reader));
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        user_id: READER,
        email: LOCAL_TENANT.users.reader,
        email_verified: true,
        name: 'Rey Reader',
        picture: server.url('avatars/RR.svg'),
        identities: [
          { provider: 'auth0', user_id: 'demo-reader', connection: 'Username-Password-Authentication' },
        ],
        user_metadata: {},
      });
      expect(answer.body).not.toHaveProperty('app_metadata');
      expect(Date.parse(String(answer.body['created_at']))).not.toBeNaN();
      expect(Date.parse(String(answer.body['updated_at']))).not.toBeNaN();
    });

    it('returns any user with app_metadata to the M2M client (read:users)', async () => {
      const answer = await call('GET', ADMIN, await m2mToken());
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ user_id: ADMIN, user_metadata: {}, app_metadata: {} });
    });

    it('answers 401 Missing authentication without an Authorization header', async () => {
      const answer = await call('GET', READER, undefined);
      expect(answer).toMatchObject({
        status: 401,
        body: { statusCode: 401, error: 'Unauthorized', message: 'Missing authentication' },
      });
    });

    it('answers 400 Bad HTTP authentication header format to an opaque token (a login without audience)', async () => {
      const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.reader, { scope: 'openid profile' });
      expect(tokens.access_token.split('.')).toHaveLength(1);
      const answer = await call('GET', READER, tokens.access_token);
      expect(answer).toMatchObject({
        status: 400,
        body: { statusCode: 400, error: 'Bad Request', message: 'Bad HTTP authentication header format' },
      });
    });

    it('answers 401 Invalid token to an ID token, a token for another API and a forged signature', async () => {
      const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.reader, {
        audience: LOCAL_TENANT.apiAudience,
        scope: 'openid profile read:messages',
      });
      const { privateKey } = await generateKeyPair('RS256');
      const real = decodeJwt(await userToken(LOCAL_TENANT.users.reader));
      const forged = await new SignJWT(real)
        .setProtectedHeader({
          ...decodeProtectedHeader(await userToken(LOCAL_TENANT.users.reader)),
          alg: 'RS256',
        })
        .sign(privateKey);
      for (const token of [tokens.id_token ?? '', tokens.access_token, forged]) {
        expect(await call('GET', READER, token)).toMatchObject({
          status: 401,
          body: {
            statusCode: 401,
            error: 'Unauthorized',
            message: 'Invalid token',
            attributes: { error: 'Invalid token' },
          },
        });
      }
    });

    it('answers 403 insufficient_scope to a user token without read:current_user', async () => {
      const token = await userToken(LOCAL_TENANT.users.reader, 'openid update:current_user_metadata');
      expect(await call('GET', READER, token)).toMatchObject({
        status: 403,
        body: {
          statusCode: 403,
          error: 'Forbidden',
          message: 'Insufficient scope, expected any of: read:users,read:current_user',
          errorCode: 'insufficient_scope',
        },
      });
    });

    it("answers 403 to a user token on another user's id: current_user scopes act on the caller only", async () => {
      const answer = await call('GET', ADMIN, await userToken(LOCAL_TENANT.users.reader));
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ errorCode: 'insufficient_scope' });
      expect(answer.body['message']).toContain(
        `acts on its own user only: this one is for ${READER}, not ${ADMIN}`,
      );
    });

    it('answers 404 inexistent_user for an unknown id', async () => {
      expect(await call('GET', 'auth0|nobody', await m2mToken())).toMatchObject({
        status: 404,
        body: {
          statusCode: 404,
          error: 'Not Found',
          message: 'The user does not exist.',
          errorCode: 'inexistent_user',
        },
      });
    });

    it('is still behind the Host check', async () => {
      const refused = await getWithHost(
        server.port,
        '/api/v2/users/x',
        `rebind.attacker.example:${server.port}`,
      );
      expect(refused.status).toBe(421);
    });

    it('answers other Management API routes 404 and other methods 405', async () => {
      const token = await m2mToken();
      const roles = await fetch(server.url('api/v2/roles'), {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(roles.status).toBe(404);
      expect(await call('DELETE', READER, token)).toMatchObject({ status: 405 });
    });
  });

  describe('PATCH', () => {
    it("merges the caller's user_metadata as Auth0 does: top-level keys merged, nested objects replaced, null deletes, {} clears", async () => {
      const token = await userToken(LOCAL_TENANT.users.reader);
      const first = await call('PATCH', READER, token, {
        user_metadata: { displayName: 'Rey', theme: 'dark', prefs: { a: 1, b: 2 } },
      });
      expect(first).toMatchObject({
        status: 200,
        body: {
          user_id: READER,
          user_metadata: { displayName: 'Rey', theme: 'dark', prefs: { a: 1, b: 2 } },
        },
      });
      expect(first.body).not.toHaveProperty('app_metadata');
      const second = await call('PATCH', READER, token, { user_metadata: { theme: null, prefs: { c: 3 } } });
      expect(second.body['user_metadata']).toEqual({ displayName: 'Rey', prefs: { c: 3 } });
      expect((await call('GET', READER, token)).body['user_metadata']).toEqual({
        displayName: 'Rey',
        prefs: { c: 3 },
      });
      const cleared = await call('PATCH', READER, token, { user_metadata: {} });
      expect(cleared.body['user_metadata']).toEqual({});
    });

    it('accepts create:current_user_metadata for user_metadata too', async () => {
      const token = await userToken(LOCAL_TENANT.users.reader, 'openid create:current_user_metadata');
      const answer = await call('PATCH', READER, token, { user_metadata: { theme: 'light' } });
      expect(answer).toMatchObject({ status: 200, body: { user_metadata: { theme: 'light' } } });
    });

    it("lets the M2M client change any user's user_metadata and app_metadata; the user sees user_metadata only", async () => {
      const answer = await call('PATCH', ADMIN, await m2mToken(), {
        user_metadata: { theme: 'dark' },
        app_metadata: { plan: 'gold' },
      });
      expect(answer).toMatchObject({
        status: 200,
        body: { user_id: ADMIN, user_metadata: { theme: 'dark' }, app_metadata: { plan: 'gold' } },
      });
      const own = await call('GET', ADMIN, await userToken(LOCAL_TENANT.users.admin));
      expect(own.body['user_metadata']).toEqual({ theme: 'dark' });
      expect(own.body).not.toHaveProperty('app_metadata');
    });

    it('refuses app_metadata to a user token (it needs update:users or update:users_app_metadata)', async () => {
      const token = await userToken(LOCAL_TENANT.users.reader);
      expect(await call('PATCH', READER, token, { app_metadata: { plan: 'gold' } })).toMatchObject({
        status: 403,
        body: {
          message: 'Insufficient scope, expected any of: update:users,update:users_app_metadata',
          errorCode: 'insufficient_scope',
        },
      });
    });

    it('refuses a token with no update scope, and a user token without update:current_user_metadata', async () => {
      const expected =
        'Insufficient scope, expected any of: update:users,update:users_app_metadata,update:current_user_metadata,create:current_user_metadata';
      const readOnly = await m2mToken('read:users');
      expect(await call('PATCH', READER, readOnly, { user_metadata: { theme: 'dark' } })).toMatchObject({
        status: 403,
        body: { message: expected, errorCode: 'insufficient_scope' },
      });
      const reader = await userToken(LOCAL_TENANT.users.reader, 'openid read:current_user');
      expect(await call('PATCH', READER, reader, { user_metadata: { theme: 'dark' } })).toMatchObject({
        status: 403,
        body: { message: expected },
      });
    });

    it("refuses a user token on another user's id, and changes nothing", async () => {
      const answer = await call('PATCH', ADMIN, await userToken(LOCAL_TENANT.users.reader), {
        user_metadata: { theme: 'dark' },
      });
      expect(answer).toMatchObject({ status: 403, body: { errorCode: 'insufficient_scope' } });
      expect((await call('GET', ADMIN, await m2mToken())).body['user_metadata']).toEqual({});
    });

    it('answers 404 inexistent_user for an unknown id', async () => {
      const answer = await call('PATCH', 'auth0|nobody', await m2mToken(), {
        user_metadata: { theme: 'dark' },
      });
      expect(answer).toMatchObject({ status: 404, body: { errorCode: 'inexistent_user' } });
    });

    it('refuses bodies Auth0 refuses, with 400 Payload validation error', async () => {
      const token = await userToken(LOCAL_TENANT.users.reader);
      const cases: [unknown, string][] = [
        [{ email: 'x@example.com' }, "Payload validation error: 'Additional properties not allowed: email'"],
        [
          { user_metadata: null },
          "Payload validation error: 'Expected type object but found type null' on property user_metadata.",
        ],
        [
          { user_metadata: [] },
          "Payload validation error: 'Expected type object but found type array' on property user_metadata.",
        ],
        [{}, "Payload validation error: 'Too few properties defined (0), minimum 1'."],
        [
          { user_metadata: { 'a.b': 1 } },
          'Payload validation error: field name "user_metadata.a.b" must not contain',
        ],
      ];
      for (const [body, message] of cases) {
        const answer = await call('PATCH', READER, token, body);
        expect(answer).toMatchObject({
          status: 400,
          body: { statusCode: 400, error: 'Bad Request', errorCode: 'invalid_body' },
        });
        expect(answer.body['message']).toContain(message);
      }
      expect(await call('PATCH', READER, token, '{not json')).toMatchObject({
        status: 400,
        body: { message: 'Invalid request payload JSON format' },
      });
    });

    it('refuses a body that is not JSON (415) or too large to read (413)', async () => {
      const token = await userToken(LOCAL_TENANT.users.reader);
      const url = server.url(`api/v2/users/${encodeURIComponent(READER)}`);
      const form = await fetch(url, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'user_metadata=x',
      });
      expect(form.status).toBe(415);
      const huge = await call('PATCH', READER, token, { user_metadata: { a: 'x'.repeat(70_000) } });
      expect(huge).toMatchObject({ status: 413, body: { statusCode: 413 } });
    });

    it(`refuses user_metadata beyond ${METADATA_MAX_BYTES} bytes once merged, keeping what was there`, async () => {
      const token = await userToken(LOCAL_TENANT.users.reader);
      await call('PATCH', READER, token, { user_metadata: { a: 'x'.repeat(METADATA_MAX_BYTES / 2) } });
      const answer = await call('PATCH', READER, token, {
        user_metadata: { b: 'y'.repeat(METADATA_MAX_BYTES / 2) },
      });
      expect(answer).toMatchObject({ status: 400, body: { errorCode: 'invalid_body' } });
      expect(answer.body['message']).toMatch(
        /user_metadata would be \d+ bytes of JSON, more than the 16384 allowed/,
      );
      expect(Object.keys((await call('GET', READER, token)).body['user_metadata'] as object)).toEqual(['a']);
    });
  });

  describe('CORS', () => {
    it("answers the preflight of the SPA's web origins for GET and PATCH with authorization, content-type and dpop", async () => {
      const response = await preflight(server.url(`api/v2/users/${encodeURIComponent(READER)}`), 'PATCH', {
        headers: 'authorization,content-type,dpop',
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
      expect(response.headers.get('access-control-allow-methods')).toBe('GET, PATCH');
      expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type, dpop');
    });

    it('refuses the preflight of other origins', async () => {
      const response = await preflight(server.url(`api/v2/users/${encodeURIComponent(READER)}`), 'PATCH', {
        origin: 'http://evil.example.com',
      });
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('lets the SPA read answers and their rate-limit headers, errors included', async () => {
      const token = await userToken(LOCAL_TENANT.users.reader);
      for (const id of [READER, ADMIN]) {
        const answer = await call('GET', id, token, undefined, { origin: SPA_ORIGIN });
        expect(answer.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
        expect(answer.headers.get('access-control-expose-headers')).toContain('x-ratelimit-remaining');
      }
      const other = await call('GET', READER, token, undefined, { origin: 'http://evil.example.com' });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('DPoP (Authorization: DPoP and a proof, as the SPA sends with useDpop)', () => {
    const tokenUrl = () => server.url('oauth/token');
    const userUrl = (id: string) => server.url(`api/v2/users/${encodeURIComponent(id)}`);

    /** The SPA's login for the Management API with a proof at the code exchange: a token bound to `key`. */
    const boundUserToken = async (key: DpopKey, scope = OWN_USER_SCOPES) => {
      const code = await authorizationCode(server.issuer, LOCAL_TENANT.users.reader, { audience, scope });
      const response = await tokenRequest(
        tokenUrl(),
        codeExchange(code),
        await signDpopProof(key, { method: 'POST', url: tokenUrl() }),
      );
      const body = (await response.json()) as { access_token?: string; token_type?: string };
      expect(body.token_type).toBe('DPoP');
      expect(decodeJwt(body.access_token ?? '')['cnf']).toEqual({ jkt: key.jkt });
      return body.access_token ?? '';
    };
    /** A proof of `key` for `htm` `htu` with `token`. */
    const proofFor = (key: DpopKey, token: string, htm: string, htu: string) =>
      signDpopProof(key, { method: htm, url: htu, accessToken: token });
    /** A request with `Authorization: <scheme> <token>` and, when given, one DPoP header. */
    const send = async (
      method: string,
      url: string,
      authorization: string,
      proof: string | undefined,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<Answer> => {
      const response = await fetch(url, {
        method,
        headers: {
          authorization,
          ...(proof !== undefined && { dpop: proof }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return {
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as Answer['body'],
      };
    };
    /** A 401 with the contract reason as errorCode and a DPoP challenge naming `error`. */
    const expectRefusal = (answer: Answer, errorCode: string, error: string, message: string) => {
      expect(answer).toMatchObject({
        status: 401,
        body: { statusCode: 401, error: 'Unauthorized', errorCode },
      });
      expect(answer.body['message']).toContain(message);
      expect(answer.headers.get('www-authenticate')).toMatch(
        new RegExp(`^DPoP error="${error}", error_description="[^"]+", algs="ES256 Ed25519 EdDSA"$`),
      );
    };

    it('answers GET and PATCH to a bound token with a fresh proof each, CORS included', async () => {
      const key = await generateDpopKey();
      const token = await boundUserToken(key);
      const url = userUrl(READER);
      const got = await send('GET', url, `DPoP ${token}`, await proofFor(key, token, 'GET', url), undefined, {
        origin: SPA_ORIGIN,
      });
      expect(got).toMatchObject({ status: 200, body: { user_id: READER, user_metadata: {} } });
      expect(got.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
      const patched = await send('PATCH', url, `DPoP ${token}`, await proofFor(key, token, 'PATCH', url), {
        user_metadata: { theme: 'dark' },
      });
      expect(patched).toMatchObject({ status: 200, body: { user_metadata: { theme: 'dark' } } });
    });

    it("answers a backend's bound client-credentials token the same way", async () => {
      const key = await generateDpopKey();
      // A backend's request: no browser origin.
      const response = await fetch(tokenUrl(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          dpop: await signDpopProof(key, { method: 'POST', url: tokenUrl() }),
        },
        body: JSON.stringify({
          client_id: LOCAL_TENANT.m2mClientId,
          client_secret: DEMO_M2M_CLIENT_SECRET,
          audience,
          grant_type: 'client_credentials',
        }),
      });
      const { access_token: token = '' } = (await response.json()) as { access_token?: string };
      expect(decodeJwt(token)['cnf']).toEqual({ jkt: key.jkt });
      const url = userUrl(ADMIN);
      expect(await send('GET', url, `DPoP ${token}`, await proofFor(key, token, 'GET', url))).toMatchObject({
        status: 200,
        body: { user_id: ADMIN, app_metadata: {} },
      });
      expectRefusal(
        await send('GET', url, `Bearer ${token}`, undefined),
        'key_bound_token',
        'invalid_token',
        '',
      );
    });

    it('refuses a proof made for another URL or another method, and changes nothing', async () => {
      const key = await generateDpopKey();
      const token = await boundUserToken(key);
      const url = userUrl(READER);
      expectRefusal(
        await send('GET', url, `DPoP ${token}`, await proofFor(key, token, 'GET', userUrl(ADMIN))),
        'dpop_request_mismatch',
        'invalid_dpop_proof',
        `(htu); this request is ${url}`,
      );
      expectRefusal(
        await send('PATCH', url, `DPoP ${token}`, await proofFor(key, token, 'GET', url), {
          user_metadata: { theme: 'dark' },
        }),
        'dpop_request_mismatch',
        'invalid_dpop_proof',
        'The DPoP proof was made for method "GET" (htm); this request is PATCH.',
      );
      const after = await send('GET', url, `DPoP ${token}`, await proofFor(key, token, 'GET', url));
      expect(after.body['user_metadata']).toEqual({});
    });

    it("checks htu against the issuer's URL, never the Host header the request came with", async () => {
      const key = await generateDpopKey();
      const token = await boundUserToken(key);
      const path = `api/v2/users/${encodeURIComponent(READER)}`;
      // 127.0.0.1 passes the Host check (loopback), but the public URL is the issuer's (localhost).
      const viaLoopback = `http://127.0.0.1:${server.port}/${path}`;
      expectRefusal(
        await send('GET', viaLoopback, `DPoP ${token}`, await proofFor(key, token, 'GET', viaLoopback)),
        'dpop_request_mismatch',
        'invalid_dpop_proof',
        `this request is ${server.url(path)}`,
      );
      const asIssuer = await proofFor(key, token, 'GET', server.url(path));
      expect((await send('GET', viaLoopback, `DPoP ${token}`, asIssuer)).status).toBe(200);
    });

    it('refuses a replayed proof: each proof is good for one request', async () => {
      const key = await generateDpopKey();
      const token = await boundUserToken(key);
      const url = userUrl(READER);
      const proof = await proofFor(key, token, 'GET', url);
      expect((await send('GET', url, `DPoP ${token}`, proof)).status).toBe(200);
      expectRefusal(
        await send('GET', url, `DPoP ${token}`, proof),
        'dpop_proof_replayed',
        'invalid_dpop_proof',
        'was used before',
      );
    });

    it("refuses a stolen token with a proof from another device's key", async () => {
      const token = await boundUserToken(await generateDpopKey());
      const url = userUrl(READER);
      expectRefusal(
        await send('GET', url, `DPoP ${token}`, await proofFor(await generateDpopKey(), token, 'GET', url)),
        'dpop_key_mismatch',
        'invalid_dpop_proof',
        'the token is bound to',
      );
    });

    it('refuses a request without a proof, and one with two DPoP headers', async () => {
      const key = await generateDpopKey();
      const token = await boundUserToken(key);
      const url = userUrl(READER);
      expectRefusal(
        await send('GET', url, `DPoP ${token}`, undefined),
        'dpop_proof_missing',
        'invalid_dpop_proof',
        'Send exactly one DPoP header',
      );
      const two = await requestWithHeaderLines(url, {
        authorization: [`DPoP ${token}`],
        dpop: [await proofFor(key, token, 'GET', url), await proofFor(key, token, 'GET', url)],
      });
      expect(two.status).toBe(401);
      expect(JSON.parse(two.body)).toMatchObject({ errorCode: 'invalid_dpop_proof' });
      expect(JSON.parse(two.body).message).toContain('The request has 2 DPoP headers');
    });

    it('refuses a bound token sent as Bearer, saying to use the DPoP scheme', async () => {
      const key = await generateDpopKey();
      const token = await boundUserToken(key);
      const url = userUrl(READER);
      expectRefusal(
        await send('GET', url, `Bearer ${token}`, await proofFor(key, token, 'GET', url)),
        'key_bound_token',
        'invalid_token',
        'Send it as "Authorization: DPoP <token>"',
      );
    });

    it('refuses the DPoP scheme with an unbound token, saying to send it as Bearer', async () => {
      const key = await generateDpopKey();
      const token = await userToken(LOCAL_TENANT.users.reader);
      expect(decodeJwt(token)).not.toHaveProperty('cnf');
      const url = userUrl(READER);
      expectRefusal(
        await send('GET', url, `DPoP ${token}`, await proofFor(key, token, 'GET', url)),
        'dpop_token_not_bound',
        'invalid_token',
        'Send it as "Authorization: Bearer <token>"',
      );
    });

    it('answers a proof that echoes characters a header cannot carry with a 401, never a 5xx', async () => {
      const key = await generateDpopKey();
      const token = await boundUserToken(key);
      const url = userUrl(READER);
      const answer = await send(
        'GET',
        url,
        `DPoP ${token}`,
        await proofFor(key, token, 'GET', `${url}\u2192`),
      );
      expectRefusal(answer, 'dpop_request_mismatch', 'invalid_dpop_proof', '\u2192');
    });

    it("lets the SPA read a refusal's WWW-Authenticate", async () => {
      const key = await generateDpopKey();
      const token = await boundUserToken(key);
      const answer = await send('GET', userUrl(READER), `DPoP ${token}`, undefined, undefined, {
        origin: SPA_ORIGIN,
      });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
      expect(answer.headers.get('access-control-expose-headers')).toContain('www-authenticate');
      expect(answer.headers.get('access-control-expose-headers')).toContain('dpop-nonce');
    });
  });

  describe('persistence', () => {
    it('keeps user_metadata and app_metadata across a restart on the same data folder', async () => {
      const dataDir = await makeDataDir();
      try {
        const first = await startTestServer({ dataDir });
        const firstAudience = managementApiAudience(first.issuer);
        const { access_token } = await oidc.clientCredentialsGrant(await discoverM2m(first.issuer), {
          audience: firstAudience,
        });
        const patched = await fetch(first.url(`api/v2/users/${encodeURIComponent(READER)}`), {
          method: 'PATCH',
          headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ user_metadata: { theme: 'dark' }, app_metadata: { plan: 'gold' } }),
        });
        const before = (await patched.json()) as Record<string, unknown>;
        await first.stop();

        const second = await startTestServer({ dataDir });
        try {
          const token = (
            await oidc.clientCredentialsGrant(await discoverM2m(second.issuer), {
              audience: managementApiAudience(second.issuer),
            })
          ).access_token;
          const response = await fetch(second.url(`api/v2/users/${encodeURIComponent(READER)}`), {
            headers: { authorization: `Bearer ${token}` },
          });
          expect(await response.json()).toMatchObject({
            user_metadata: { theme: 'dark' },
            app_metadata: { plan: 'gold' },
            created_at: before['created_at'],
            updated_at: before['updated_at'],
          });
        } finally {
          await second.stop();
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    it('refuses to start on a corrupt users file, naming the file and the fix', async () => {
      const dataDir = await makeDataDir();
      try {
        await writeFile(join(dataDir, USERS_FILE), '{"users": ');
        const start = startTestServer({ dataDir });
        await expect(start).rejects.toBeInstanceOf(ConfigError);
        await expect(start).rejects.toThrow(join(dataDir, USERS_FILE));
        await expect(start).rejects.toThrow(/delete it to start over/);
        expect(await readFile(join(dataDir, USERS_FILE), 'utf8')).toBe('{"users": ');
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
});

describe('Management API: time (injected clock)', () => {
  let server: TestServer;
  let offsetMs: number;

  beforeEach(async () => {
    offsetMs = 0;
    const start = Date.now();
    server = await startTestServer({
      // Frozen unless a test moves it, so the rate limit refills only when told to.
      now: () => start + offsetMs,
      managementRateLimit: { capacity: 2, refillPerSecond: 1 },
    });
  });
  afterEach(() => server.stop());

  const get = async (token: string) =>
    fetch(server.url(`api/v2/users/${encodeURIComponent(READER)}`), {
      headers: { authorization: `Bearer ${token}` },
    });
  const readerToken = async () =>
    (
      await logIn(server.issuer, LOCAL_TENANT.users.reader, {
        audience: managementApiAudience(server.issuer),
        scope: OWN_USER_SCOPES,
      })
    ).tokens.access_token;

  it("answers 401 with Auth0's expired-token message once the token has expired", async () => {
    const token = await readerToken();
    expect((await get(token)).status).toBe(200);
    offsetMs = 25 * 60 * 60 * 1000;
    const response = await get(token);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      statusCode: 401,
      message: 'Expired token received for JSON Web Token validation',
    });
  });

  it('limits each caller, with x-ratelimit-* headers on every answer and 429 too_many_requests + retry-after past it', async () => {
    const token = await readerToken();
    const first = await get(token);
    const resetSeconds = Number(first.headers.get('x-ratelimit-reset'));
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(resetSeconds).toBeGreaterThan(0);
    const second = await get(token);
    expect(second.headers.get('x-ratelimit-remaining')).toBe('0');
    const third = await get(token);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(third.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await third.json()).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      errorCode: 'too_many_requests',
    });

    // Another caller has a bucket of its own.
    const m2m = (
      await oidc.clientCredentialsGrant(await discoverM2m(server.issuer), {
        audience: managementApiAudience(server.issuer),
      })
    ).access_token;
    expect((await get(m2m)).status).toBe(200);

    offsetMs += 1000;
    const later = await get(token);
    expect(later.status).toBe(200);
    expect(later.headers.get('x-ratelimit-remaining')).toBe('0');
  });
});
