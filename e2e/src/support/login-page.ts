import { expect, type Locator, type Page } from '@playwright/test';
import { credentials, type DemoUser } from './users';

/** The authorization server's login page (the local one; Auth0's Universal Login has the same fields). */
export class LoginPage {
  private readonly heading: Locator;
  private readonly email: Locator;
  private readonly password: Locator;
  private readonly submit: Locator;
  /** The inline error, e.g. after a wrong password. */
  readonly error: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Log in', level: 1 });
    this.email = page.getByLabel('Email address');
    this.password = page.getByLabel('Password', { exact: true });
    this.submit = page.getByRole('button', { name: 'Continue' });
    this.error = page.getByRole('alert');
  }

  /** Waits until the browser shows the login form. */
  async expectShown(): Promise<void> {
    await expect(this.heading).toBeVisible();
  }

  /** Types a user's email and password and submits, as a person would. */
  async logInAs(user: DemoUser): Promise<void> {
    const { email, password } = credentials(user);
    await this.logInWith(email, password);
  }

  /** Submits any email and password. */
  async logInWith(email: string, password: string): Promise<void> {
    await this.expectShown();
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }
}
