import { expect, type Locator, type Page } from '@playwright/test';
import { watchNextApiAnswer, type ApiAnswer } from '../../support/api-console-page';

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

  /** The confirmation the lab shows in experiment `id`'s card when the API answered the expected `reason`. */
  confirmation(id: string, reason = id): Locator {
    return this.experiment(id).getByText(`The API answered ${reason}, as expected.`);
  }
}
