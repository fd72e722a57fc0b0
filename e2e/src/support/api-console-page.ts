import { expect, type Locator, type Page, type Response } from '@playwright/test';
import type { AuthProblem } from '@sample/contract';
import { urls } from './urls';

/** The API's paths as the console labels its buttons. */
export const API_PATHS = {
  public: '/api/messages/public',
  protected: '/api/messages/protected',
  admin: '/api/messages/admin',
  me: '/api/me',
} as const;

/** What the API answered, read off the network (the status and problem+json body the SPA received). */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly reason: string | undefined;
}

/** Reads status and body of an API response. */
export async function readAnswer(response: Response): Promise<ApiAnswer> {
  const body: unknown = await response.json();
  const reason = (body as Partial<AuthProblem> | null)?.reason;
  return { status: response.status(), body, reason };
}

/** Waits for the next GET the SPA sends to the API under `path` (any path when omitted). */
export function nextApiAnswer(page: Page, path?: string): Promise<ApiAnswer> {
  return page
    .waitForResponse(
      (response) =>
        response.request().method() === 'GET' &&
        response.url().startsWith(path ? `${urls.api}${path}` : `${urls.api}/api/`),
    )
    .then(readAnswer);
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
  card(route: keyof typeof API_PATHS): Locator {
    return this.page.getByRole('region').filter({ has: this.callButton(route) });
  }

  private callButton(route: keyof typeof API_PATHS): Locator {
    return this.page.getByRole('button', { name: `Call GET ${API_PATHS[route]}`, exact: true });
  }

  /** Clicks an endpoint's button and returns what the API answered over the network. */
  async call(route: keyof typeof API_PATHS): Promise<ApiAnswer> {
    const answer = nextApiAnswer(this.page, API_PATHS[route]);
    await this.callButton(route).click();
    return answer;
  }

  /** The result panel shown under an endpoint's button. */
  result(route: keyof typeof API_PATHS): Locator {
    return this.card(route).getByRole('status');
  }
}
