import { expect, type Locator, type Page } from '@playwright/test';

/** The token inspector: access token and ID token decoded side by side. */
export class TokenInspectorPage {
  readonly heading: Locator;
  /** The banner saying the ID token is for the app, never for APIs. */
  readonly idTokenBanner: Locator;
  readonly accessToken: Locator;
  readonly idToken: Locator;
  /** The access token's key binding: its cnf.jkt, this browser's DPoP key, and the verdict in words. */
  readonly keyBinding: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Token inspector', level: 1 });
    this.idTokenBanner = page
      .getByRole('note')
      .filter({ hasText: 'The ID token is for this app, never for APIs.' });
    this.accessToken = page.getByRole('region', { name: 'Access token (for the API)' });
    this.idToken = page.getByRole('region', { name: 'ID token (for this app)' });
    this.keyBinding = page.getByRole('region', { name: 'Key binding (DPoP)' });
  }

  async open(): Promise<void> {
    await this.page.goto('/tokens');
    await expect(this.heading).toBeVisible();
  }

  /** The key binding's verdict: Match, Mismatch, or why the token is not bound. */
  get keyBindingVerdict(): Locator {
    return this.keyBinding.getByRole('status');
  }

  /** The decoded value of a payload claim in one token card (the Payload table's row headed by the claim name). */
  claim(card: Locator, name: string): Locator {
    return card
      .getByRole('table', { name: 'Payload' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) })
      .getByRole('cell');
  }
}
