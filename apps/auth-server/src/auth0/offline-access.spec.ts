import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { LOCAL_TENANT, Permission } from '@sample/contract';
import { logIn, withServerError } from '../testing/spa-client';
import { grantedByRole, startTestServer, type TestServer } from '../testing/test-server';

const SCOPE = 'openid profile email read:messages offline_access';

describe('refresh tokens (offline_access, rotation)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  const refresh = (config: oidc.Configuration, token: string) =>
    oidc.refreshTokenGrant(config, token).catch(withServerError);

  it('issues a refresh token when offline_access is asked for, with no consent prompt', async () => {
    const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.reader, {
      audience: LOCAL_TENANT.apiAudience,
      scope: SCOPE,
    });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(decodeJwt(tokens.access_token)['scope']).toBe('openid profile email offline_access read:messages');
  });

  it('issues none without offline_access', async () => {
    const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.reader, {
      audience: LOCAL_TENANT.apiAudience,
      scope: 'openid profile email read:messages',
    });
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('rotates: each use returns a new refresh token and refuses the old one', async () => {
    const { tokens, config } = await logIn(server.issuer, LOCAL_TENANT.users.admin, {
      audience: LOCAL_TENANT.apiAudience,
      scope: SCOPE,
    });
    const first = tokens.refresh_token ?? '';
    const refreshed = await refresh(config, first);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(first);
    // Still a JWT for the API, with the same claims: the audience is kept without being resent.
    expect(decodeJwt(refreshed.access_token)).toMatchObject({
      aud: [LOCAL_TENANT.apiAudience, server.url('userinfo')],
      permissions: grantedByRole(server.tenant, 'admin', LOCAL_TENANT.apiAudience),
    });
    expect(decodeJwt(refreshed.access_token)['permissions']).toEqual(
      decodeJwt(tokens.access_token)['permissions'],
    );
    expect(refreshed.claims()?.sub).toBe('auth0|demo-admin');

    await expect(refresh(config, first)).rejects.toThrow(/invalid_grant/);
    // Reuse of a rotated token revokes the whole family, as Auth0's reuse detection does.
    await expect(refresh(config, refreshed.refresh_token ?? '')).rejects.toThrow(/invalid_grant/);
  });

  it("refreshes from the SDK's own request: audience, scope and redirect_uri in the form, from the SPA origin", async () => {
    const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.reader, {
      audience: LOCAL_TENANT.apiAudience,
      scope: SCOPE,
    });
    // What auth0-spa-js 2.27 posts in _getTokenUsingRefreshToken (useFormData: true).
    const response = await fetch(server.url('oauth/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: LOCAL_TENANT.webOrigin },
      body: new URLSearchParams({
        client_id: LOCAL_TENANT.spaClientId,
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token ?? '',
        redirect_uri: LOCAL_TENANT.webOrigin,
        audience: LOCAL_TENANT.apiAudience,
        scope: SCOPE,
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(LOCAL_TENANT.webOrigin);
    const body = (await response.json()) as { access_token: string; refresh_token?: string };
    expect(body.refresh_token).toEqual(expect.any(String));
    expect(decodeJwt(body.access_token)).toMatchObject({
      aud: [LOCAL_TENANT.apiAudience, server.url('userinfo')],
      permissions: [Permission.ReadMessages, Permission.EditProfile],
    });
  });

  it('stops working once revoked at /oauth/revoke', async () => {
    const { tokens, config } = await logIn(server.issuer, LOCAL_TENANT.users.reader, {
      audience: LOCAL_TENANT.apiAudience,
      scope: SCOPE,
    });
    await oidc.tokenRevocation(config, tokens.refresh_token ?? '', { token_type_hint: 'refresh_token' });
    await expect(refresh(config, tokens.refresh_token ?? '')).rejects.toThrow(/invalid_grant/);
  });
});
