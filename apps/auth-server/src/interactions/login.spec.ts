import * as oidc from 'openid-client';
import { LOCAL_TENANT } from '@sample/contract';
import { subjectOf } from '../accounts/accounts';
import { Browser } from '../http/browser';
import {
  atCallback,
  authorizationRequest,
  discoverSpa,
  logIn,
  REDIRECT_URI,
  SPA_ORIGIN,
} from '../testing/spa-client';
import { startTestServer, type TestServer } from '../testing/test-server';

describe('login (authorization code + PKCE)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('logs in over the login form and returns an ID token with profile claims that passes the RP checks', async () => {
    const { tokens } = await logIn(server.issuer, LOCAL_TENANT.users.reader);
    const claims = tokens.claims();
    expect(claims).toMatchObject({
      iss: server.issuer,
      aud: LOCAL_TENANT.spaClientId,
      sub: 'auth0|demo-reader',
      name: 'Rey Reader',
      nickname: 'reader',
      email: LOCAL_TENANT.users.reader,
      email_verified: true,
    });
    expect(claims?.['picture']).toBe(server.url('avatars/RR.svg'));
    expect(
      JSON.parse(Buffer.from(tokens.id_token?.split('.')[0] ?? '', 'base64url').toString()),
    ).toMatchObject({
      alg: 'RS256',
    });
  });

  it('shows the login page with the demo users', async () => {
    const config = await discoverSpa(server.issuer);
    const { url } = await authorizationRequest(config);
    const { response, url: pageUrl } = await new Browser().follow(url.href);
    expect(new URL(pageUrl).pathname).toBe('/u/login');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const page = await response.text();
    expect(page).toContain('Log in');
    expect(page).toContain('Sample SPA');
    for (const user of server.tenant.users) expect(page).toContain(user.email);
  });

  it('answers a wrong password inline, without a stack trace', async () => {
    const browser = new Browser(SPA_ORIGIN);
    const config = await discoverSpa(server.issuer);
    const { url } = await authorizationRequest(config);
    const login = await browser.follow(url.href);
    const wrong = await browser.submit(
      login.url,
      { email: LOCAL_TENANT.users.admin, password: 'guess' },
      atCallback,
    );
    expect(wrong.location).toBeUndefined();
    expect(wrong.response.status).toBe(400);
    const page = await wrong.response.text();
    expect(page).toContain('Wrong email or password.');
    expect(page).toContain(`value="${LOCAL_TENANT.users.admin}"`);
    expect(page).not.toMatch(/ at .+\.(js|ts|mjs):\d+/);
    // The same login page still works with the right password.
    const right = await browser.submit(
      login.url,
      { email: LOCAL_TENANT.users.admin, password: 'demo-admin-password' },
      atCallback,
    );
    expect(right.location).toMatch(/[?&]code=/);
  });

  describe('throttling', () => {
    let throttled: TestServer;
    let time: number;

    beforeAll(async () => {
      time = Date.UTC(2030, 0, 1, 10, 0, 0);
      throttled = await startTestServer({ now: () => time });
    });
    afterAll(() => throttled.stop());

    it('answers 429 after 5 wrong passwords for an account, saying when to retry, then lets it in again', async () => {
      const browser = new Browser(SPA_ORIGIN);
      const { url } = await authorizationRequest(await discoverSpa(throttled.issuer));
      const login = await browser.follow(url.href);
      const submit = (password: string) =>
        browser.submit(login.url, { email: LOCAL_TENANT.users.reader, password }, atCallback);
      for (let i = 0; i < 5; i += 1) expect((await submit(`guess-${i}`)).response.status).toBe(400);

      // Refused before the password is checked: the right one does not get through either.
      const blocked = await submit('demo-reader-password');
      expect(blocked.location).toBeUndefined();
      expect(blocked.response.status).toBe(429);
      expect(blocked.response.headers.get('retry-after')).toBe('900');
      expect(await blocked.response.text()).toContain(
        'Too many failed login attempts for this account. Try again in 15 minutes (at 10:15:00 UTC).',
      );

      time += 15 * 60_000;
      expect((await submit('demo-reader-password')).location).toMatch(/[?&]code=/);
    });
  });

  it('requires PKCE from the SPA', async () => {
    const config = await discoverSpa(server.issuer);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      state: 'abc',
    });
    const { location } = await new Browser().follow(url.href, {}, atCallback);
    const callback = new URL(location ?? '');
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('shows an error page, not a redirect, for an unregistered callback URL', async () => {
    const config = await discoverSpa(server.issuer);
    const { url } = await authorizationRequest(config, { redirect_uri: 'http://localhost:9999/callback' });
    const { response, location } = await new Browser().follow(url.href, {}, () => true);
    expect(location).toBeUndefined();
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('redirect_uri did not match any of the client&#39;s registered redirect_uris');
  });

  describe('silent authentication (prompt=none, response_mode=web_message)', () => {
    it('returns a code to the SPA origin while the session lives, so a reload keeps the user logged in', async () => {
      const { browser, config } = await logIn(server.issuer, LOCAL_TENANT.users.admin);
      const silent = await authorizationRequest(config, { prompt: 'none', response_mode: 'web_message' });
      const response = await browser.request(silent.url.href);
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain(silent.state);
      expect(page).toContain(SPA_ORIGIN);
      // The code the iframe posts back to the SDK, exchanged as after a reload: fresh tokens, same user.
      const code = /"code":"([^"]+)"/.exec(page)?.[1];
      const iss = /"iss":"([^"]+)"/.exec(page)?.[1];
      expect(iss).toBe(server.issuer);
      const callback = new URL(REDIRECT_URI);
      for (const [name, value] of Object.entries({ code, state: silent.state, iss }))
        callback.searchParams.set(name, value ?? '');
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: silent.verifier,
        expectedState: silent.state,
        expectedNonce: silent.nonce,
      });
      expect(tokens.claims()?.sub).toBe('auth0|demo-admin');
    });

    it('answers login_required without a session', async () => {
      const config = await discoverSpa(server.issuer);
      const silent = await authorizationRequest(config, { prompt: 'none', response_mode: 'web_message' });
      const page = await (await new Browser().request(silent.url.href)).text();
      expect(page).toContain('login_required');
    });
  });

  it('derives a stable auth0|<id> subject for users without a userId', () => {
    const sub = subjectOf({
      userId: undefined,
      email: 'X@Example.com',
      password: 'p',
      name: 'X',
      picture: undefined,
      roles: [],
    });
    expect(sub).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(
      subjectOf({
        userId: undefined,
        email: 'x@example.com',
        password: 'q',
        name: 'Y',
        picture: undefined,
        roles: [],
      }),
    ).toBe(sub);
  });
});
