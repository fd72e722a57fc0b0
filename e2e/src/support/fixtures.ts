import { test as base } from '@playwright/test';
import { ApiConsolePage } from './api-console-page';
import { AppShell } from './app-shell';
import { LoginPage } from './login-page';
import { ProfilePage } from './profile-page';
import { storageStatePath, type DemoUser } from './users';

export interface Pages {
  shell: AppShell;
  loginPage: LoginPage;
  apiConsole: ApiConsolePage;
  profilePage: ProfilePage;
}

/** Playwright's `test` with the page objects as fixtures. */
export const test = base.extend<Pages>({
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
