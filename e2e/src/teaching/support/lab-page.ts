import { expect, type Locator, type Page, type Route } from '@playwright/test';
import { managementApiAudience } from '@sample/contract';
import { watchNextApiAnswer, type ApiAnswer } from '../../support/api-console-page';
import { urls } from '../../support/urls';

/** What the Management API answered the lab, read off the network (Auth0's error fields when it refused). */
export interface ManagementApiAnswer {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly body: { statusCode?: number; message?: string; errorCode?: string; user_id?: string };
  /** The Authorization header the lab sent. */
  readonly authorization: string | undefined;
}

/** What the API answered one request of a DPoP experiment, with the headers the lab sent, read off the network. */
export interface DpopLabAnswer {
  readonly status: number;
  readonly reason: string | undefined;
  readonly wwwAuthenticate: string | undefined;
  readonly authorization: string | undefined;
  /** The `DPoP` header (undefined: none was sent). */
  readonly dpop: string | undefined;
}

/** The "Break it" lab: each experiment sends a wrong token on purpose and shows the API's reason. */
export class LabPage {
  private readonly heading: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Break it lab', level: 1 });
  }

  async open(): Promise<void> {
    await this.page.goto('/lab');
    await expect(this.heading).toBeVisible();
  }

  /** The card of experiment `id` (the reason it must produce, unless two experiments share one). */
  experiment(id: string): Locator {
    return this.page
      .getByRole('region')
      .filter({ has: this.page.getByRole('button', { name: `Reproduce ${id}`, exact: true }) });
  }

  /** Runs an experiment and returns the API's answer to the request it sent. */
  async reproduce(id: string): Promise<ApiAnswer> {
    const answer = await watchNextApiAnswer(this.page);
    await this.page.getByRole('button', { name: `Reproduce ${id}`, exact: true }).click();
    return answer();
  }

  /** Runs a Management API experiment and returns what `<issuer>api/v2/users/...` answered the request it sent. */
  async reproduceOnManagementApi(id: string): Promise<ManagementApiAnswer> {
    const prefix = `${managementApiAudience(`${urls.auth}/`)}users/`;
    let settle: ((answer: ManagementApiAnswer) => void) | undefined;
    let fail: ((error: unknown) => void) | undefined;
    const answer = new Promise<ManagementApiAnswer>(
      (resolve, reject) => ((settle = resolve), (fail = reject)),
    );
    const handler = async (route: Route) => {
      try {
        const request = route.request();
        const authorization = (await request.headerValue('authorization')) ?? undefined;
        const response = await route.fetch();
        const text = await response.text();
        await route.fulfill({ response, body: text });
        const body = (text === '' ? {} : JSON.parse(text)) as ManagementApiAnswer['body'];
        settle?.({
          method: request.method(),
          url: request.url(),
          status: response.status(),
          body,
          authorization,
        });
      } catch (error) {
        fail?.(error);
      }
    };
    // times: 1, the lab's one request (CORS preflights are never routed).
    await this.page.route((url) => url.href.startsWith(prefix), handler, { times: 1 });
    await this.page.getByRole('button', { name: `Reproduce ${id}`, exact: true }).click();
    return answer;
  }

  /**
   * Runs a DPoP experiment and returns the API's answers to the `requests` requests it sends (the replay case sends
   * two), in order. Each goes through to the real API.
   */
  async reproduceDpop(id: string, path: string, requests = 1): Promise<DpopLabAnswer[]> {
    const answers: DpopLabAnswer[] = [];
    const handler = async (route: Route) => {
      const request = route.request();
      const response = await route.fetch();
      const text = await response.text();
      await route.fulfill({ response, body: text });
      answers.push({
        status: response.status(),
        reason: text === '' ? undefined : (JSON.parse(text) as { reason?: string }).reason,
        wwwAuthenticate: response.headers()['www-authenticate'],
        authorization: (await request.headerValue('authorization')) ?? undefined,
        dpop: (await request.headerValue('dpop')) ?? undefined,
      });
    };
    // CORS preflights are never routed: these are the lab's own requests.
    const matches = (url: URL) => url.href === `${urls.api}${path}`;
    await this.page.route(matches, handler, { times: requests });
    await this.page.getByRole('button', { name: `Reproduce ${id}`, exact: true }).click();
    await expect.poll(() => answers.length).toBe(requests);
    return answers;
  }

  /** The DPoP section's note when config.json does not turn DPoP on. */
  dpopOffNote(): Locator {
    return this.page.getByRole('note').filter({ hasText: 'DPoP is off' });
  }

  /** The confirmation a DPoP experiment's card shows when the API answered as expected ("200, then ..."). */
  dpopConfirmation(id: string, answers: string): Locator {
    return this.experiment(id).getByText(`The API answered ${answers}, as expected.`);
  }

  /** The confirmation a Management API experiment's card shows when the answer was the expected one. */
  managementConfirmation(id: string): Locator {
    return this.experiment(id).getByText(/^As expected: /);
  }

  /** The confirmation the lab shows in experiment `id`'s card when the API answered the expected `reason`. */
  confirmation(id: string, reason = id): Locator {
    return this.experiment(id).getByText(`The API answered ${reason}, as expected.`);
  }
}
