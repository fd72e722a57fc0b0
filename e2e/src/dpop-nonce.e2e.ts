import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { LOCAL_TENANT } from '@sample/contract';
import { startApiProcess, type ApiProcess } from './support/api-process';
import { allowConnectionsTo } from './support/content-security-policy';
import { expect, signedInAs, test as base } from './support/fixtures';
import { segment } from './support/jwt';
import { urls } from './support/urls';

/**
 * The suite's `test` with an API of its own that requires DPoP server nonces (RFC 9449 section 9), started from the
 * built bundle once per worker and stopped by PID at the end; the SPA runs with DPoP on and that API as its apiUrl.
 */
const test = base.extend<object, { nonceApi: ApiProcess }>({
  nonceApi: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const api = await startApiProcess({
        // The issuer and audience of the stack's API, so the SPA's tokens are valid here too.
        AUTH_ISSUER_URL: `${urls.auth}/`,
        AUTH_AUDIENCE: LOCAL_TENANT.apiAudience,
        AUTH_DPOP: 'required',
        AUTH_DPOP_NONCE: 'true',
        AUTH_DPOP_NONCE_SECRET: randomBytes(32).toString('base64url'),
        CORS_ORIGINS: new URL(urls.web).origin,
        LOG_LEVEL: 'warn',
      });
      try {
        await use(api);
      } finally {
        await api.stop();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  spaConfig: async ({ nonceApi }, use) => use({ useDpop: true, apiUrl: nonceApi.url }),
  // The SPA's policy names the stack's API only; this page may also reach the one started here.
  page: async ({ page, nonceApi }, use) => {
    await allowConnectionsTo(page, nonceApi.url);
    await use(page);
  },
});

/** One request the SPA sent to the API and the answer's status and headers, read off the network. */
interface Exchange {
  readonly path: string;
  readonly status: number;
  readonly wwwAuthenticate: string | null;
  readonly dpopNonce: string | null;
  /** The request's DPoP proof. */
  readonly proof: string | null;
}

/** Records every request of the page to `apiUrl` (CORS preflights aside) in the order the answers came. */
function recordExchanges(page: Page, apiUrl: string): () => Promise<Exchange[]> {
  const exchanges: Promise<Exchange>[] = [];
  page.on('response', (response) => {
    const request = response.request();
    if (!request.url().startsWith(`${apiUrl}/`) || request.method() === 'OPTIONS') return;
    exchanges.push(
      (async () => ({
        path: new URL(request.url()).pathname,
        status: response.status(),
        wwwAuthenticate: await response.headerValue('www-authenticate'),
        dpopNonce: await response.headerValue('dpop-nonce'),
        proof: await request.headerValue('dpop'),
      }))(),
    );
  });
  return () => Promise.all(exchanges);
}

const PATH = '/api/messages/protected';
const USE_DPOP_NONCE = /^DPoP error="use_dpop_nonce"/;

test.describe('DPoP server nonces (an API with AUTH_DPOP_NONCE=true)', () => {
  test.use(signedInAs('reader'));

  test('answers the first call 401 use_dpop_nonce; the SPA retries once with that nonce and shows the message', async ({
    page,
    apiConsole,
    nonceApi,
  }) => {
    const exchanges = recordExchanges(page, nonceApi.url);
    await apiConsole.open();
    await apiConsole.click(PATH);
    await expect(apiConsole.result(PATH)).toContainText('Success');
    await expect(apiConsole.result(PATH)).toContainText('This is a protected message.');

    await expect.poll(async () => (await exchanges()).map((exchange) => exchange.status)).toEqual([401, 200]);
    const [challenge, retry] = await exchanges();
    expect(challenge?.path).toBe(PATH);
    expect(challenge?.wwwAuthenticate).toMatch(USE_DPOP_NONCE);
    const nonce = challenge?.dpopNonce;
    expect(nonce).toBeTruthy();
    // The first proof had no nonce to carry; the retry is a new proof (its own jti) of the same call, with the nonce.
    const first = segment(challenge?.proof ?? undefined, 1);
    expect(first).not.toHaveProperty('nonce');
    expect(retry?.path).toBe(PATH);
    const retried = segment(retry?.proof ?? undefined, 1);
    expect(retried).toMatchObject({ htm: 'GET', htu: `${nonceApi.url}${PATH}`, ath: first['ath'], nonce });
    expect(retried['jti']).not.toBe(first['jti']);

    // The SPA keeps the nonce for this API: the next call carries it and is answered at once.
    await apiConsole.click(PATH);
    await expect
      .poll(async () => (await exchanges()).map((exchange) => exchange.status))
      .toEqual([401, 200, 200]);
    const next = (await exchanges())[2];
    expect(segment(next?.proof ?? undefined, 1)['nonce']).toBe(nonce);
  });

  test('refuses a nonce it did not issue; the SPA does not retry twice, and the next call uses the nonce of that refusal', async ({
    page,
    apiConsole,
    nonceApi,
  }) => {
    const exchanges = recordExchanges(page, nonceApi.url);
    // The first challenge reaches the SPA with a nonce of the API's shape (step.MAC) but a MAC of another key.
    let forged: string | undefined;
    await page.route(
      (url) => url.href === `${nonceApi.url}${PATH}`,
      async (route) => {
        const response = await route.fetch();
        const issued = response.headers()['dpop-nonce'];
        if (issued === undefined) throw new Error(`the API sent no DPoP-Nonce (status ${response.status()})`);
        forged = `${issued.split('.')[0]}.${randomBytes(32).toString('base64url')}`;
        await route.fulfill({ response, headers: { ...response.headers(), 'dpop-nonce': forged } });
      },
      { times: 1 },
    );
    await apiConsole.open();
    await apiConsole.click(PATH);
    await expect(apiConsole.result(PATH)).toContainText('Failed');
    await expect(apiConsole.result(PATH)).toContainText('use_dpop_nonce');

    await expect.poll(async () => (await exchanges()).map((exchange) => exchange.status)).toEqual([401, 401]);
    const [, refused] = await exchanges();
    expect(forged).toBeDefined();
    expect(segment(refused?.proof ?? undefined, 1)['nonce']).toBe(forged);
    expect(refused?.wwwAuthenticate).toMatch(USE_DPOP_NONCE);
    const issued = refused?.dpopNonce;
    expect(issued).toBeTruthy();
    expect(issued).not.toBe(forged);

    await apiConsole.click(PATH);
    await expect(apiConsole.result(PATH)).toContainText('Success');
    await expect
      .poll(async () => (await exchanges()).map((exchange) => exchange.status))
      .toEqual([401, 401, 200]);
    const next = (await exchanges())[2];
    expect(segment(next?.proof ?? undefined, 1)['nonce']).toBe(issued);
  });
});
