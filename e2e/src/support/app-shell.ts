import { expect, type Locator, type Page } from '@playwright/test';

/** The SPA's header: navigation and the session controls. */
export class AppShell {
  private readonly header: Locator;
  private readonly logInButton: Locator;
  private readonly logOutButton: Locator;

  constructor(private readonly page: Page) {
    this.header = page.getByRole('banner');
    this.logInButton = this.header.getByRole('button', { name: 'Log in' });
    this.logOutButton = this.header.getByRole('button', { name: 'Log out' });
  }

  /** Opens a page of the SPA by path, e.g. `/api`. */
  async open(path = '/'): Promise<void> {
    await this.page.goto(path);
  }

  /** A link of the main navigation, by its text ('Home', 'Profile', 'Call the API'...). */
  navLink(name: string): Locator {
    return this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  }

  /** Follows a link of the main navigation. */
  async navigateTo(name: string): Promise<void> {
    await this.navLink(name).click();
  }

  async startLogin(): Promise<void> {
    await this.logInButton.click();
  }

  async logOut(): Promise<void> {
    await this.logOutButton.click();
  }

  /** Waits until the header shows the signed-in user. */
  async expectSignedInAs(email: string): Promise<void> {
    await expect(this.logOutButton).toBeVisible();
    await expect(this.header).toContainText(email);
  }

  async expectSignedOut(): Promise<void> {
    await expect(this.logInButton).toBeVisible();
  }
}
