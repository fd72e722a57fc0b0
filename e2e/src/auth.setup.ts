import { LOCAL_TENANT } from '@sample/contract';
import { test } from './support/fixtures';
import { storageStatePath, type DemoUser } from './support/users';

// Log in once per demo user through the real login page; the tests reuse the saved browser state.
for (const user of Object.keys(LOCAL_TENANT.users) as DemoUser[]) {
  test(`log in as ${user}`, async ({ page, shell, loginPage }) => {
    await shell.open('/');
    await shell.startLogin();
    await loginPage.logInAs(user);
    await shell.expectSignedInAs(LOCAL_TENANT.users[user]);
    await page.context().storageState({ path: storageStatePath(user) });
  });
}
