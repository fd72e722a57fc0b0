import { LOCAL_TENANT } from '@sample/contract';
import { expect, signedInAs, test } from './support/fixtures';

test.describe('a signed-in session', () => {
  test.use(signedInAs('reader'));

  test('survives a page reload (silent authentication, in-memory cache)', async ({ page, shell }) => {
    await shell.open('/profile');
    await shell.expectSignedInAs(LOCAL_TENANT.users.reader);
    await page.reload();
    await shell.expectSignedInAs(LOCAL_TENANT.users.reader);
    await expect(page.getByRole('heading', { name: 'Profile', level: 1 })).toBeVisible();
  });
});

test.describe('signed out', () => {
  // Logs in on its own: logging out ends the server session, which the saved states must keep.
  test('logout ends the session: back home, and a guarded page asks for a login again', async ({
    page,
    shell,
    loginPage,
  }) => {
    await shell.open('/');
    await shell.startLogin();
    await loginPage.logInAs('guest');
    await shell.expectSignedInAs(LOCAL_TENANT.users.guest);

    await shell.logOut();
    await expect(page).toHaveURL(/\/$/);
    await shell.expectSignedOut();

    await shell.open('/profile');
    await loginPage.expectShown();
  });

  test('a guarded route sends the user to the login page and back to that route', async ({
    page,
    shell,
    loginPage,
  }) => {
    await shell.open('/tokens');
    await loginPage.logInAs('admin');
    await expect(page).toHaveURL(/\/tokens$/);
    await shell.expectSignedInAs(LOCAL_TENANT.users.admin);
    await expect(page.getByRole('heading', { name: 'Token inspector', level: 1 })).toBeVisible();
  });

  test('a wrong password is refused inline', async ({ shell, loginPage }) => {
    await shell.open('/');
    await shell.startLogin();
    await loginPage.logInWith(LOCAL_TENANT.users.reader, 'not-the-password');
    await expect(loginPage.error).toBeVisible();
  });
});
