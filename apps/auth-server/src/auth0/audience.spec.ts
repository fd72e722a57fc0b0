import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import { LOCAL_TENANT, Permission } from '@sample/contract';
import { Browser } from '../http/browser';
import {
  atCallback,
  authorizationRequest,
  DEMO_PASSWORDS,
  discoverSpa,
  logIn,
  SPA_ORIGIN,
} from '../testing/spa-client';
import { grantedByRole, startTestServer, type TestServer } from '../testing/test-server';

const API = LOCAL_TENANT.apiAudience;
const ALL_SCOPES = 'openid profile email read:messages read:admin-messages';

describe('audience', () => {
  let server: TestServer;
  let verify: (token: string, audience: string) => Promise<JWTPayload>;

  beforeAll(async () => {
    server = await startTestServer();
    const jwks = createRemoteJWKSet(new URL(server.url('.well-known/jwks.json')));
    verify = async (token, audience) =>
      (await jwtVerify(token, jwks, { issuer: server.issuer, audience, algorithms: ['RS256'] })).payload;
  });
  afterAll(() => server.stop());

  /** What the tenant's admin role grants on the Sample API: the admin user's `permissions`, exactly. */
  const adminPermissions = () => {
    const granted = grantedByRole(server.tenant, 'admin', API);
    // The sample's admin reads every message; a new permission the admin role gets is expected too.
    expect(granted).toEqual(expect.arrayContaining([Permission.ReadMessages, Permission.ReadAdminMessages]));
    return granted;
  };

  describe('a known API identifier', () => {
    it("gets an RS256 JWT access token shaped like Auth0 (admin: the admin role's permissions)", async () => {
      const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.admin, {
        audience: API,
        scope: ALL_SCOPES,
      });
      const header = decodeProtectedHeader(tokens.access_token);
      expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
      const claims = await verify(tokens.access_token, API);
      expect(claims).toMatchObject({
        iss: server.issuer,
        sub: 'auth0|demo-admin',
        aud: [API, server.url('userinfo')],
        scope: ALL_SCOPES,
        permissions: adminPermissions(),
        azp: LOCAL_TENANT.spaClientId,
        client_id: LOCAL_TENANT.spaClientId,
      });
      expect(typeof claims.jti).toBe('string');
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(86_400);
      expect(tokens.expires_in).toBe(86_400);
      expect(tokens.scope).toBe(ALL_SCOPES);
    });

    it('limits scope to what the roles allow (reader)', async () => {
      const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.reader, {
        audience: API,
        scope: ALL_SCOPES,
      });
      expect(await verify(tokens.access_token, API)).toMatchObject({
        scope: 'openid profile email read:messages',
        // All of the reader's permissions, including those not asked for in scope.
        permissions: [Permission.ReadMessages, Permission.EditProfile],
      });
    });

    it('grants no API scope to a user without roles (guest)', async () => {
      const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.guest, {
        audience: API,
        scope: ALL_SCOPES,
      });
      expect(await verify(tokens.access_token, API)).toMatchObject({
        scope: 'openid profile email',
        permissions: [],
      });
    });

    it('puts all the user permissions for the API in permissions, whatever the scope asked for', async () => {
      const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.admin, {
        audience: API,
        scope: 'openid read:messages',
      });
      const claims = await verify(tokens.access_token, API);
      expect(claims).toMatchObject({ scope: 'openid read:messages', permissions: adminPermissions() });
      expect(claims['permissions']).toContain(Permission.ReadAdminMessages); // not asked for in scope
    });

    it('issues for the API asked for: another API gets its own aud', async () => {
      const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.admin, {
        audience: LOCAL_TENANT.otherApiAudience,
        scope: ALL_SCOPES,
      });
      const claims = await verify(tokens.access_token, LOCAL_TENANT.otherApiAudience);
      expect(claims.aud).toEqual([LOCAL_TENANT.otherApiAudience, server.url('userinfo')]);
      await expect(verify(tokens.access_token, API)).rejects.toThrow(/aud/);
    });

    it('honours the API token lifetime (the short-lived API: 2 seconds)', async () => {
      const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.reader, {
        audience: LOCAL_TENANT.shortLivedApiAudience,
        scope: ALL_SCOPES,
      });
      const claims = await verify(tokens.access_token, LOCAL_TENANT.shortLivedApiAudience);
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(2);
    });

    it('works at /userinfo too when openid was granted (Auth0 adds the /userinfo URL to aud)', async () => {
      const { tokens, config } = await logIn(server.issuer, LOCAL_TENANT.users.reader, {
        audience: API,
        scope: ALL_SCOPES,
      });
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, 'auth0|demo-reader');
      expect(userinfo).toMatchObject({
        sub: 'auth0|demo-reader',
        email: LOCAL_TENANT.users.reader,
        name: 'Rey Reader',
      });
    });

    it('is refused at /userinfo without openid (aud is the API only)', async () => {
      const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.reader, {
        audience: API,
        scope: 'read:messages',
      });
      expect((await verify(tokens.access_token, API)).aud).toBe(API);
      const response = await fetch(server.url('userinfo'), {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    });

    it('is exchanged as auth0-spa-js does it: exact redirect_uri, no audience resent', async () => {
      const browser = new Browser(SPA_ORIGIN);
      const config = await discoverSpa(server.issuer);
      const request = await authorizationRequest(config, {
        redirect_uri: SPA_ORIGIN,
        audience: API,
        scope: ALL_SCOPES,
        response_mode: 'query',
        auth0Client: Buffer.from('{"name":"auth0-spa-js","version":"2.27.0"}').toString('base64'),
      });
      const isApp = (location: string) =>
        location.startsWith(`${SPA_ORIGIN}/?`) || location.startsWith(`${SPA_ORIGIN}?`);
      const login = await browser.follow(request.url.href, {}, isApp);
      const done = await browser.submit(
        login.url,
        { email: LOCAL_TENANT.users.admin, password: DEMO_PASSWORDS[LOCAL_TENANT.users.admin] ?? '' },
        isApp,
      );
      const code = new URL(done.location ?? '').searchParams.get('code') ?? '';
      const response = await fetch(server.url('oauth/token'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SPA_ORIGIN },
        body: new URLSearchParams({
          client_id: LOCAL_TENANT.spaClientId,
          grant_type: 'authorization_code',
          code,
          code_verifier: request.verifier,
          redirect_uri: SPA_ORIGIN,
        }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
      const body = (await response.json()) as { access_token: string; id_token: string };
      expect((await verify(body.access_token, API))['permissions']).toEqual(adminPermissions());
    });
  });

  describe('no audience', () => {
    it('gets an opaque access token, accepted by /userinfo only', async () => {
      const { tokens, config } = await logIn(server.issuer, LOCAL_TENANT.users.admin, { scope: ALL_SCOPES });
      expect(tokens.access_token.split('.')).toHaveLength(1);
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, 'auth0|demo-admin');
      expect(userinfo).toEqual({
        sub: 'auth0|demo-admin',
        name: 'Ada Admin',
        nickname: 'admin',
        picture: server.url('avatars/AA.svg'),
        updated_at: expect.any(String),
        email: LOCAL_TENANT.users.admin,
        email_verified: true,
      });
    });

    it('treats an empty audience= like none (the SPA lab asks for an opaque token so)', async () => {
      const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.admin, {
        audience: '',
        scope: ALL_SCOPES,
      });
      expect(tokens.access_token.split('.')).toHaveLength(1);
    });
  });

  it('sends invalid_target back to the app for an unknown audience', async () => {
    const config = await discoverSpa(server.issuer);
    const { url, state } = await authorizationRequest(config, {
      audience: 'https://unknown.example.com',
      scope: ALL_SCOPES,
    });
    const { location } = await new Browser().follow(url.href, {}, atCallback);
    const callback = new URL(location ?? '');
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('error')).toBe('invalid_target');
    expect(callback.searchParams.get('error_description')).toBe(
      'Service not found: https://unknown.example.com',
    );
  });
});
