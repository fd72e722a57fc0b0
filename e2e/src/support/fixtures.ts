import { test as base } from '@playwright/test';
import { ApiConsolePage } from './api-console-page';
import { AppShell } from './app-shell';
import { LabPage } from './lab-page';
import { LoginPage } from './login-page';
import { TokenInspectorPage } from './token-inspector-page';
import { storageStatePath, type DemoUser } from './users';

interface Pages {
  shell: AppShell;
  loginPage: LoginPage;
  apiConsole: ApiConsolePage;
  tokenInspector: TokenInspectorPage;
  lab: LabPage;
}

/** Playwright's `test` with the page objects as fixtures. */
export const test = base.extend<Pages>({
  shell: async ({ page }, use) => use(new AppShell(page)),
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  apiConsole: async ({ page }, use) => use(new ApiConsolePage(page)),
  tokenInspector: async ({ page }, use) => use(new TokenInspectorPage(page)),
  lab: async ({ page }, use) => use(new LabPage(page)),
});

/** Runs the tests of a file or describe block as a user logged in by the setup project. */
export function signedInAs(user: DemoUser): { storageState: string } {
  return { storageState: storageStatePath(user) };
}

export { expect } from '@playwright/test';
