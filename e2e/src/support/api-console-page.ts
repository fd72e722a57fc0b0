import { expect, type Locator, type Page, type Route } from '@playwright/test';
import type { AuthProblem } from '@sample/contract';
import { urls } from './urls';

/** What the API answered, read off the network (the status and problem+json body the SPA received). */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly reason: string | undefined;
  /** The Authorization header the SPA sent with the request (undefined: none). */
  readonly authorization: string | undefined;
  /** The DPoP proof header the SPA sent with it (undefined: none). */
  readonly dpop: string | undefined;
}

/**
 * Starts watching for the next request the SPA sends to the API under `path` (any API path when omitted) and returns
 * a function that waits for its answer. The request goes through to the real API; Playwright fetches it on the
 * page's behalf so the body is read reliably (Chromium may drop bodies from its network log).
 */
export async function watchNextApiAnswer(page: Page, path?: string): Promise<() => Promise<ApiAnswer>> {
  const prefix = path ? `${urls.api}${path}` : `${urls.api}/api/`;
  const matches = (url: URL) => url.href.startsWith(prefix);
  let settle: { resolve: (answer: ApiAnswer) => void; reject: (error: unknown) => void } | undefined;
  const answer = new Promise<ApiAnswer>((resolve, reject) => (settle = { resolve, reject }));
  const handler = async (route: Route) => {
    try {
      const authorization = (await route.request().headerValue('authorization')) ?? undefined;
      const dpop = (await route.request().headerValue('dpop')) ?? undefined;
      const response = await route.fetch();
      const text = await response.text();
      await route.fulfill({ response, body: text });
      const body: unknown = text === '' ? null : parseJson(text);
      const reason = (body as Partial<AuthProblem> | null)?.reason;
      settle?.resolve({ status: response.status(), body, reason, authorization, dpop });
    } catch (error) {
      settle?.reject(error);
    }
  };
  // times: 1, the one request is proxied and later ones go straight to the API (CORS preflights are never routed).
  await page.route(matches, handler, { times: 1 });
  return () => answer;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The "Call the API" page: one card per endpoint the page names, and one that calls any typed path. */
export class ApiConsolePage {
  private readonly heading: Locator;
  private readonly otherCard: Locator;
  private readonly pathField: Locator;
  private readonly callPathButton: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Call the API', level: 1 });
    this.otherCard = page.getByRole('region', { name: 'Any other path' });
    this.pathField = this.otherCard.getByRole('textbox', { name: 'Path', exact: true });
    this.callPathButton = this.otherCard.getByRole('button', { name: 'Call GET this path' });
  }

  async open(): Promise<void> {
    await this.page.goto('/api');
    await expect(this.heading).toBeVisible();
  }

  /** The card of one endpoint, e.g. `/api/messages/admin` (its section is labelled by its heading). */
  card(path: string): Locator {
    return this.page.getByRole('region').filter({ has: this.callButton(path) });
  }

  private callButton(path: string): Locator {
    return this.page.getByRole('button', { name: `Call GET ${path}`, exact: true });
  }

  /** Clicks an endpoint's button and returns what the API answered over the network. */
  async call(path: string): Promise<ApiAnswer> {
    const answer = await watchNextApiAnswer(this.page, path);
    await this.callButton(path).click();
    return answer();
  }

  /** Clicks an endpoint's button, for a test that reads the network itself (e.g. several exchanges per call). */
  async click(path: string): Promise<void> {
    await this.callButton(path).click();
  }

  /** Types any path (relative to apiUrl) into the last card, calls it, and returns what the API answered. */
  async callPath(path: string): Promise<ApiAnswer> {
    await this.pathField.fill(path);
    const answer = await watchNextApiAnswer(this.page, path);
    await this.callPathButton.click();
    const result = await answer();
    // The card shows this call's result before the next call reuses it.
    await expect(this.otherCard.getByRole('status')).toContainText(`GET ${urls.api}${path}`);
    return result;
  }

  /** The result panel shown under an endpoint's button. */
  result(path: string): Locator {
    return this.card(path).getByRole('status');
  }
}
