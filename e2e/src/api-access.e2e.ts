import { LOCAL_TENANT, Permission } from '@sample/contract';
import { expect, signedInAs, test } from './support/fixtures';

test.describe('reader (read:messages)', () => {
  test.use(signedInAs('reader'));

  test('reads the protected message but is refused the admin one, naming the missing permission', async ({
    apiConsole,
  }) => {
    await apiConsole.open();

    const protectedAnswer = await apiConsole.call('/api/messages/protected');
    expect(protectedAnswer.authorization).toMatch(/^Bearer ey/);
    expect(protectedAnswer.status).toBe(200);
    await expect(apiConsole.result('/api/messages/protected')).toContainText('Success');

    const adminAnswer = await apiConsole.call('/api/messages/admin');
    expect(adminAnswer.status).toBe(403);
    expect(adminAnswer.reason).toBe('insufficient_permission');
    const panel = apiConsole.result('/api/messages/admin');
    await expect(panel).toContainText('Failed');
    await expect(panel).toContainText('insufficient_permission');
    await expect(panel.getByText('Missing permission:')).toContainText(Permission.ReadAdminMessages);
  });
});

test.describe('admin (read:messages, read:admin-messages)', () => {
  test.use(signedInAs('admin'));

  test('reads the admin message', async ({ apiConsole }) => {
    await apiConsole.open();
    const answer = await apiConsole.call('/api/messages/admin');
    expect(answer.status).toBe(200);
    await expect(apiConsole.result('/api/messages/admin')).toContainText('Success');
  });

  test('sees in /api/me the claims the API validated', async ({ apiConsole }) => {
    await apiConsole.open();
    const answer = await apiConsole.call('/api/me');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      iss: LOCAL_TENANT.issuer,
      permissions: expect.arrayContaining([Permission.ReadMessages, Permission.ReadAdminMessages]),
    });
    await expect(apiConsole.result('/api/me')).toContainText(LOCAL_TENANT.apiAudience);
  });
});

test.describe('guest (no permission)', () => {
  test.use(signedInAs('guest'));

  test('is refused the admin message, and the API shows no permissions in its token', async ({
    apiConsole,
  }) => {
    await apiConsole.open();

    const me = await apiConsole.call('/api/me');
    expect(me.status).toBe(200);
    expect((me.body as { permissions: unknown }).permissions).toEqual([]);

    const admin = await apiConsole.call('/api/messages/admin');
    expect(admin.status).toBe(403);
    expect(admin.reason).toBe('insufficient_permission');
    await expect(apiConsole.result('/api/messages/admin')).toContainText(Permission.ReadAdminMessages);
  });
});

test.describe('signed out', () => {
  test('reads the public message; a protected call goes out without a token and the API answers 401 missing_token', async ({
    apiConsole,
  }) => {
    await apiConsole.open();
    const answer = await apiConsole.call('/api/messages/public');
    expect(answer.status).toBe(200);
    expect(answer.authorization).toBeUndefined();
    await expect(apiConsole.result('/api/messages/public')).toContainText('Success');

    const refused = await apiConsole.call('/api/messages/protected');
    expect(refused.authorization).toBeUndefined();
    expect(refused.status).toBe(401);
    expect(refused.reason).toBe('missing_token');
    await expect(apiConsole.result('/api/messages/protected')).toContainText('missing_token');
  });
});
