import { test as base } from '@playwright/test';
import { ApiConsolePage } from './api-console-page';
import { AppShell } from './app-shell';
import { LoginPage } from './login-page';
import { ProfilePage } from './profile-page';
import { urls } from './urls';
import { storageStatePath, type DemoUser } from './users';

export interface Pages {
  shell: AppShell;
  loginPage: LoginPage;
  apiConsole: ApiConsolePage;
  profilePage: ProfilePage;
}

export interface Options {
  /**
   * Keys that replace the served `/config.json`'s in this test, e.g. `test.use({ spaConfig: { useDpop: true } })`:
   * the SPA loads its config at run time, so one dev server runs both ways.
   */
  spaConfig: Readonly<Record<string, unknown>>;
}

/** Playwright's `test` with the page objects as fixtures. */
export const test = base.extend<Pages & Options>({
  spaConfig: [{}, { option: true }],
  page: async ({ page, spaConfig }, use) => {
    if (Object.keys(spaConfig).length > 0) {
      await page.route(
        (url) => url.origin === new URL(urls.web).origin && url.pathname === '/config.json',
        async (route) => {
          const response = await route.fetch();
          const served = (await response.json()) as Record<string, unknown>;
          await route.fulfill({ response, json: { ...served, ...spaConfig } });
        },
      );
    }
    await use(page);
  },
  shell: async ({ page }, use) => use(new AppShell(page)),
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  apiConsole: async ({ page }, use) => use(new ApiConsolePage(page)),
  profilePage: async ({ page }, use) => use(new ProfilePage(page)),
});

/** Runs the tests of a file or describe block as a user logged in by the setup project. */
export function signedInAs(user: DemoUser): { storageState: string } {
  return { storageState: storageStatePath(user) };
}

export { expect } from '@playwright/test';
