import { LOCAL_TENANT, Permission } from '@sample/contract';
import { expect, signedInAs, test } from './support/fixtures';

test.describe('reader (read:messages)', () => {
  test.use(signedInAs('reader'));

  test('reads the protected message but is refused the admin one, naming the missing permission', async ({
    apiConsole,
  }) => {
    await apiConsole.open();

    const protectedAnswer = await apiConsole.call('protected');
    expect(protectedAnswer.status).toBe(200);
    await expect(apiConsole.result('protected')).toContainText('Success');

    const adminAnswer = await apiConsole.call('admin');
    expect(adminAnswer.status).toBe(403);
    expect(adminAnswer.reason).toBe('insufficient_permission');
    const panel = apiConsole.result('admin');
    await expect(panel).toContainText('Failed');
    await expect(panel).toContainText('insufficient_permission');
    await expect(panel.getByText('Missing permission:')).toContainText(Permission.ReadAdminMessages);
  });
});

test.describe('admin (read:messages, read:admin-messages)', () => {
  test.use(signedInAs('admin'));

  test('reads the admin message', async ({ apiConsole }) => {
    await apiConsole.open();
    const answer = await apiConsole.call('admin');
    expect(answer.status).toBe(200);
    await expect(apiConsole.result('admin')).toContainText('Success');
  });

  test('sees in /api/me the claims the API validated', async ({ apiConsole }) => {
    await apiConsole.open();
    const answer = await apiConsole.call('me');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      iss: LOCAL_TENANT.issuer,
      permissions: expect.arrayContaining([Permission.ReadMessages, Permission.ReadAdminMessages]),
    });
    await expect(apiConsole.result('me')).toContainText(LOCAL_TENANT.apiAudience);
  });
});

test.describe('guest (no permission)', () => {
  test.use(signedInAs('guest'));

  test('is refused the admin message, and the API shows no permissions in its token', async ({
    apiConsole,
  }) => {
    await apiConsole.open();

    const me = await apiConsole.call('me');
    expect(me.status).toBe(200);
    expect((me.body as { permissions: unknown }).permissions).toEqual([]);

    const admin = await apiConsole.call('admin');
    expect(admin.status).toBe(403);
    expect(admin.reason).toBe('insufficient_permission');
    await expect(apiConsole.result('admin')).toContainText(Permission.ReadAdminMessages);
  });
});

test.describe('signed out', () => {
  test('reads the public message; protected calls are not sent without a login', async ({ apiConsole }) => {
    await apiConsole.open();
    const answer = await apiConsole.call('public');
    expect(answer.status).toBe(200);
    await expect(apiConsole.result('public')).toContainText('Success');
    await apiConsole.callExpectingNoRequest('protected');
    await expect(apiConsole.result('protected')).toContainText('login_required');
  });
});
