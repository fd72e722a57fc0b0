import type { Page } from '@playwright/test';
import { LOCAL_TENANT } from '@sample/contract';
import { expect, test } from './support/fixtures';
import { urls } from './support/urls';

// The SPA's Content-Security-Policy: the dev server's (apps/web/project.json) or the image's (docker/web), whichever
// serves urls.web. Both name the issuer and the API; only their style-src differs.
const VIOLATION = 'csp-violation:';

/** The policy as directive name -> sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((directive): [string, string[]] => {
      const [name = '', ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

/**
 * The image puts a per-response nonce on <app-root> (ngCspNonce) for Angular's component styles; the dev server
 * cannot, so it allows inline styles.
 */
function expectedStyleSources(nonce: string | null): string[] {
  return ["'self'", nonce === null ? "'unsafe-inline'" : `'nonce-${nonce}'`];
}

/**
 * Records every securitypolicyviolation event of the SPA's own documents (not the auth server's login page or its
 * silent-authentication iframe, which have their own policy), read off the console.
 */
async function recordViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith(VIOLATION)) violations.push(message.text().slice(VIOLATION.length).trim());
  });
  await page.addInitScript(
    ({ origin, prefix }) => {
      if (location.origin !== origin) return;
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(
          `${prefix} ${event.effectiveDirective} blocked ${event.blockedURI} in ${event.documentURI}`,
        ),
      );
    },
    { origin: new URL(urls.web).origin, prefix: VIOLATION },
  );
  return violations;
}

test.describe('Content-Security-Policy', () => {
  test('the SPA is served with a policy naming the issuer and the API', async ({ page }) => {
    const response = await page.goto('/');
    const policy = directives((await response?.headerValue('content-security-policy')) ?? '');
    const issuer = new URL(urls.auth).origin;
    const api = new URL(urls.api).origin;

    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(expect.arrayContaining(["'self'", api, issuer]));
    expect(policy.get('frame-src')).toEqual([issuer]);
    expect(policy.get('form-action')).toEqual(["'self'", issuer]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'self'"]);
    const nonce = await page.locator('app-root').getAttribute('ngcspnonce');
    expect(policy.get('style-src')).toEqual(expectedStyleSources(nonce));
  });

  test('login, a silent renewal, an API call and a Management API call run without a violation', async ({
    page,
    shell,
    loginPage,
    apiConsole,
    profilePage,
  }) => {
    const violations = await recordViolations(page);
    // The code exchange after the login page (connect-src: the issuer).
    await shell.open('/');
    await shell.startLogin();
    await loginPage.logInAs('reader');
    await shell.expectSignedInAs(LOCAL_TENANT.users.reader);
    // A reload empties the in-memory cache: the SDK renews in the issuer's iframe (frame-src).
    await apiConsole.open();
    await page.reload();
    await shell.expectSignedInAs(LOCAL_TENANT.users.reader);
    // The token goes to the API (connect-src: the API); its 200 proves the silent renewal produced one.
    const answer = await apiConsole.call('/api/messages/protected');
    expect(answer.status).toBe(200);
    await expect(apiConsole.result('/api/messages/protected')).toContainText('Success');
    // The Profile page calls the Management API on the issuer's origin (connect-src), with a token for its audience.
    await profilePage.open();
    await profilePage.expectLoaded('management');
    expect(violations).toEqual([]);
  });
});
