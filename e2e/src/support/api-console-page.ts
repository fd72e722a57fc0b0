import { expect, type Locator, type Page, type Route } from '@playwright/test';
import { API_ROUTES, type ApiRoute, type AuthProblem } from '@sample/contract';
import { urls } from './urls';

/** What the API answered, read off the network (the status and problem+json body the SPA received). */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly reason: string | undefined;
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
      const response = await route.fetch();
      const text = await response.text();
      await route.fulfill({ response, body: text });
      const body: unknown = text === '' ? null : JSON.parse(text);
      const reason = (body as Partial<AuthProblem> | null)?.reason;
      settle?.resolve({ status: response.status(), body, reason });
    } catch (error) {
      settle?.reject(error);
    }
  };
  // times: 1, the one request is proxied and later ones go straight to the API (CORS preflights are never routed).
  await page.route(matches, handler, { times: 1 });
  return () => answer;
}

/** The "Call the API" page: one card per endpoint, each with a button and a result panel. */
export class ApiConsolePage {
  private readonly heading: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Call the API', level: 1 });
  }

  async open(): Promise<void> {
    await this.page.goto('/api');
    await expect(this.heading).toBeVisible();
  }

  /** The card of one endpoint (its section is labelled by its heading). */
  card(route: ApiRoute): Locator {
    return this.page.getByRole('region').filter({ has: this.callButton(route) });
  }

  private callButton(route: ApiRoute): Locator {
    return this.page.getByRole('button', { name: `Call GET ${API_ROUTES[route]}`, exact: true });
  }

  /** Clicks an endpoint's button and returns what the API answered over the network. */
  async call(route: ApiRoute): Promise<ApiAnswer> {
    const answer = await watchNextApiAnswer(this.page, API_ROUTES[route]);
    await this.callButton(route).click();
    return answer();
  }

  /**
   * Clicks an endpoint's button and expects that no request reaches the API (the SDK refused to send it).
   */
  async callExpectingNoRequest(route: ApiRoute): Promise<void> {
    const sent: string[] = [];
    const listener = (request: { url(): string }) => {
      if (request.url().startsWith(`${urls.api}${API_ROUTES[route]}`)) sent.push(request.url());
    };
    this.page.on('request', listener);
    await this.callButton(route).click();
    // The panel shows the SDK's refusal once the call has settled: by then a request would have been made.
    await expect(this.result(route)).toContainText('No request sent');
    this.page.off('request', listener);
    expect(sent).toEqual([]);
  }

  /** The result panel shown under an endpoint's button. */
  result(route: ApiRoute): Locator {
    return this.card(route).getByRole('status');
  }
}
