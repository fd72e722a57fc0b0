import type { Page } from '@playwright/test';
import { urls } from './urls';

/**
 * Adds `origin` to the `connect-src` of the policy the SPA's pages are served with, in this page only, as the
 * deployment of an API at that origin would; every other directive stays as served. For a test whose
 * `spaConfig.apiUrl` points at an API of its own: the served policy names only the stack's API.
 */
export async function allowConnectionsTo(page: Page, origin: string): Promise<void> {
  const web = new URL(urls.web).origin;
  // Chromium gives a document the test serves no address space, so treats it as public and blocks its requests to
  // this machine (Local Network Access) unless the origin has the permission a user would grant at the prompt.
  await page.context().grantPermissions(['local-network-access'], { origin: web });
  await page.route(
    (url) => url.origin === web,
    async (route) => {
      if (route.request().resourceType() !== 'document') return route.fallback();
      const response = await route.fetch();
      const headers = response.headers();
      const policy = headers['content-security-policy'];
      if (policy === undefined) return route.fulfill({ response });
      return route.fulfill({
        response,
        headers: { ...headers, 'content-security-policy': withConnectSource(policy, new URL(origin).origin) },
      });
    },
  );
}

/** The policy with one more `connect-src` source (without `connect-src`, `default-src` applies). */
function withConnectSource(policy: string, source: string): string {
  const directives = policy
    .split(';')
    .map((directive) => directive.trim())
    .filter(Boolean);
  const connect = directives.findIndex((directive) => /^connect-src(\s|$)/i.test(directive));
  if (connect >= 0) return directives.map((d, i) => (i === connect ? `${d} ${source}` : d)).join('; ');
  const fallback = directives.find((directive) => /^default-src(\s|$)/i.test(directive));
  // Neither directive: connections are not restricted at all.
  if (fallback === undefined) return policy;
  return [...directives, ['connect-src', ...fallback.split(/\s+/).slice(1), source].join(' ')].join('; ');
}
