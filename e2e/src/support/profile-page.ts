import { expect, type Locator, type Page } from '@playwright/test';
import type { Theme } from '@sample/contract';
import { urls } from './urls';
import { segment } from './jwt';

/** The two ways the Profile page edits `user_metadata`: straight at the Management API, or through this app's API. */
export type ProfilePath = 'management' | 'api';

const CARD: Record<ProfilePath, string> = {
  management: 'Straight to the Management API',
  api: "Through this app's API",
};

const SAVE: Record<ProfilePath, string> = {
  management: 'Save through the Management API',
  api: "Save through this app's API",
};

/** Whether a URL is one path's profile endpoint: the Management API's users/{id}, or the API's /api/me/profile. */
const ENDPOINT: Record<ProfilePath, (url: string) => boolean> = {
  management: (url) => url.startsWith(`${new URL(urls.auth).origin}/api/v2/users/`),
  api: (url) => url.split('?')[0] === `${urls.api}/api/me/profile`,
};

/** What a profile call answered, read off the network. */
export interface ProfileAnswer {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** The scheme of the SPA's Authorization header: `Bearer`, or `DPoP` with `useDpop` (undefined: none). */
  readonly scheme: string | undefined;
  /** The access token the SPA sent (undefined: none). */
  readonly token: string | undefined;
  /** The DPoP proof the SPA sent with it (undefined: none). */
  readonly dpop: string | undefined;
}

/** The Profile page: one card per path, each with a display name, a theme, a save button, a status and alerts. */
export class ProfilePage {
  private readonly heading: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Profile', level: 1 });
  }

  /** Opens the page (each card then loads the profile). */
  async open(): Promise<void> {
    await this.page.goto('/profile');
    await expect(this.heading).toBeVisible();
  }

  /** Reloads the page (the SDK then gets its tokens again, silently). */
  async reload(): Promise<void> {
    await this.page.reload();
    await expect(this.heading).toBeVisible();
  }

  /** The card of one path (a section labelled by its heading). */
  card(path: ProfilePath): Locator {
    return this.page.getByRole('region', { name: CARD[path] });
  }

  displayName(path: ProfilePath): Locator {
    return this.card(path).getByRole('textbox', { name: 'Display name' });
  }

  theme(path: ProfilePath): Locator {
    return this.card(path).getByRole('combobox', { name: 'Theme' });
  }

  /** The card's announced save status (role=status). */
  status(path: ProfilePath): Locator {
    return this.card(path).getByRole('status');
  }

  /** The card's failure (role=alert). */
  alert(path: ProfilePath): Locator {
    return this.card(path).getByRole('alert');
  }

  /** Waits until a card has read the profile. */
  async expectLoaded(path: ProfilePath): Promise<void> {
    await expect(this.status(path)).toContainText('Loaded:');
  }

  /** Fills the form of one card, saves, and returns what the PATCH answered. */
  async save(path: ProfilePath, values: { displayName: string; theme: Theme }): Promise<ProfileAnswer> {
    await this.displayName(path).fill(values.displayName);
    await this.theme(path).selectOption(values.theme);
    const answer = this.nextAnswer(path, 'PATCH');
    await this.card(path).getByRole('button', { name: SAVE[path] }).click();
    return answer;
  }

  /**
   * The answer to the next request of one path with this method (CORS preflights are OPTIONS, so never matched).
   * Start waiting before the action that sends it.
   */
  async nextAnswer(path: ProfilePath, method: 'GET' | 'PATCH'): Promise<ProfileAnswer> {
    const response = await this.page.waitForResponse(
      (candidate) => candidate.request().method() === method && ENDPOINT[path](candidate.url()),
    );
    const authorization = (await response.request().headerValue('authorization')) ?? undefined;
    const [scheme, token] = authorization?.split(' ') ?? [];
    return {
      method,
      url: response.url(),
      status: response.status(),
      scheme,
      token,
      dpop: (await response.request().headerValue('dpop')) ?? undefined,
    };
  }
}

/** The payload of a JWT, decoded without verifying (the server verified it; the test reads what it was for). */
export function jwtPayload(token: string | undefined): Record<string, unknown> {
  return segment(token, 1);
}
