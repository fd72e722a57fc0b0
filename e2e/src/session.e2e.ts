import { LOCAL_TENANT } from '@sample/contract';
import { expect, signedInAs, test } from './support/fixtures';
import { urls } from './support/urls';

test.describe('a signed-in session', () => {
  test.use(signedInAs('reader'));

  test('survives a page reload (silent authentication, in-memory cache)', async ({
    page,
    shell,
    apiConsole,
  }) => {
    await apiConsole.open();
    await shell.expectSignedInAs(LOCAL_TENANT.users.reader);
    await page.reload();
    await shell.expectSignedInAs(LOCAL_TENANT.users.reader);
    // The in-memory cache was emptied by the reload: a 200 proves the silent renewal produced an access token.
    const answer = await apiConsole.call('/api/messages/protected');
    expect(answer.status).toBe(200);
    await expect(apiConsole.result('/api/messages/protected')).toContainText('Success');
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
    await shell.open('/profile');
    await loginPage.logInAs('admin');
    await expect(page).toHaveURL(/\/profile$/);
    await shell.expectSignedInAs(LOCAL_TENANT.users.admin);
    await expect(page.getByRole('heading', { name: 'Profile', level: 1 })).toBeVisible();
  });

  test('a login error sent back to the app is shown on the error page, not swallowed', async ({
    page,
    shell,
  }) => {
    await shell.open('/');
    const authorize = page.waitForRequest((request) => request.url().startsWith(`${urls.auth}/authorize`));
    await shell.startLogin();
    const state = new URL((await authorize).url()).searchParams.get('state') ?? '';
    // What an auth server sends back when it refuses a login (a rule, a blocked user): the callback with an error.
    const description = 'The user is blocked';
    await page.goto(
      `/?error=access_denied&error_description=${encodeURIComponent(description)}&state=${state}`,
    );
    await expect(page).toHaveURL(/\/error$/);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Sign-in failed: access_denied');
    await expect(alert).toContainText(description);
  });

  test('a wrong password is refused inline', async ({ shell, loginPage }) => {
    await shell.open('/');
    await shell.startLogin();
    await loginPage.logInWith(LOCAL_TENANT.users.reader, 'not-the-password');
    await expect(loginPage.error).toBeVisible();
  });
});
