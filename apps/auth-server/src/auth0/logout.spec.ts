import { LOCAL_TENANT } from '@sample/contract';
import type { Browser } from '../http/browser';
import { authorizationRequest, logIn, SPA_ORIGIN } from '../testing/spa-client';
import { startTestServer, type TestServer } from '../testing/test-server';

/** What the logout page's script does: post its form (oidc-provider's CSRF token, logout=yes). */
async function submitLogoutPage(
  browser: Browser,
  page: string,
  pageUrl: string,
  stopAt: (location: string) => boolean,
) {
  const action = /<form id="op.logoutForm" method="post" action="([^"]+)">/.exec(page)?.[1] ?? '';
  const fields = Object.fromEntries(
    [...page.matchAll(/<input type="hidden"(?: form="op.logoutForm")? name="([^"]+)" value="([^"]*)"/g)].map(
      (m) => [m[1], m[2]],
    ),
  );
  return browser.submit(new URL(action, pageUrl).href, fields as Record<string, string>, stopAt);
}

describe('GET /v2/logout', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  const logoutUrl = (params: Record<string, string>) =>
    `${server.url('v2/logout')}?${new URLSearchParams(params)}`;
  const atApp = (location: string) => location.startsWith(SPA_ORIGIN);

  it('ends the session and returns to an allowed returnTo, with no confirmation step', async () => {
    const { browser, config } = await logIn(server.issuer, LOCAL_TENANT.users.reader);
    const page = await browser.follow(
      logoutUrl({ client_id: LOCAL_TENANT.spaClientId, returnTo: SPA_ORIGIN }),
      {},
      atApp,
    );
    expect(page.response.status).toBe(200);
    const html = await page.response.text();
    expect(html).toContain('document.getElementById(');
    const done = await submitLogoutPage(browser, html, page.url, atApp);
    expect(done.location).toBe(new URL(SPA_ORIGIN).href);

    // The session is gone: silent authentication now answers login_required.
    const silent = await authorizationRequest(config, { prompt: 'none', response_mode: 'web_message' });
    expect(await (await browser.request(silent.url.href)).text()).toContain('login_required');
  });

  it('uses the first allowed logout URL when returnTo is left out', async () => {
    const { browser } = await logIn(server.issuer, LOCAL_TENANT.users.reader);
    const page = await browser.follow(logoutUrl({ client_id: LOCAL_TENANT.spaClientId }), {}, atApp);
    const done = await submitLogoutPage(browser, await page.response.text(), page.url, atApp);
    expect(done.location).toBe(new URL(SPA_ORIGIN).href);
  });

  it('shows an error page for a returnTo that is not an allowed logout URL', async () => {
    const { browser } = await logIn(server.issuer, LOCAL_TENANT.users.reader);
    const evil = 'https://evil.example.com/';
    const { response, location } = await browser.follow(
      logoutUrl({ client_id: LOCAL_TENANT.spaClientId, returnTo: evil }),
      {},
      () => true,
    );
    expect(location).toBeUndefined();
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('is not defined as a valid URL in &#34;Allowed Logout URLs&#34;');
    expect(html).toContain(evil);
  });

  it('shows an error page for an unknown client', async () => {
    const response = await fetch(logoutUrl({ client_id: 'nope', returnTo: SPA_ORIGIN }), {
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Unknown client_id');
  });
});
