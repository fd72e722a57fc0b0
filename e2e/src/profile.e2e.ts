import { LOCAL_TENANT, Permission, managementApiAudience, type Theme } from '@sample/contract';
import { expect, signedInAs, test } from './support/fixtures';
import { jwtPayload, type ProfilePath } from './support/profile-page';

// The auth server keeps user_metadata in its data folder across runs: every test writes a value of its own and
// reads that back, never one an earlier test or run left behind.
function uniqueName(path: ProfilePath): string {
  return `${path} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

const MANAGEMENT_AUDIENCE = managementApiAudience(LOCAL_TENANT.issuer);

test.describe('reader (edit:profile)', () => {
  test.use(signedInAs('reader'));

  test('saves straight at the Management API with a token for its audience, and reads it back after a reload', async ({
    profilePage,
  }) => {
    const values = { displayName: uniqueName('management'), theme: 'dark' as Theme };
    await profilePage.open();
    await profilePage.expectLoaded('management');

    const answer = await profilePage.save('management', values);
    expect(answer.status).toBe(200);
    expect(answer.url).toMatch(/\/api\/v2\/users\/auth0%7C/);
    const claims = jwtPayload(answer.token);
    expect([claims['aud']].flat()).toContain(MANAGEMENT_AUDIENCE);
    expect(String(claims['scope']).split(' ')).toContain('update:current_user_metadata');
    await expect(profilePage.status('management')).toHaveText(
      `Saved: display name "${values.displayName}", theme dark.`,
    );

    await profilePage.reload();
    await profilePage.expectLoaded('management');
    await expect(profilePage.displayName('management')).toHaveValue(values.displayName);
    await expect(profilePage.theme('management')).toHaveValue('dark');
    // The same user_metadata, read by the API with its client-credentials token.
    await profilePage.expectLoaded('api');
    await expect(profilePage.displayName('api')).toHaveValue(values.displayName);
  });

  test("saves through this app's API with the API's token, and reads it back after a reload", async ({
    profilePage,
  }) => {
    const values = { displayName: uniqueName('api'), theme: 'light' as Theme };
    await profilePage.open();
    await profilePage.expectLoaded('api');

    const answer = await profilePage.save('api', values);
    expect(answer.status).toBe(200);
    const claims = jwtPayload(answer.token);
    expect([claims['aud']].flat()).toContain(LOCAL_TENANT.apiAudience);
    expect(claims['permissions']).toContain(Permission.EditProfile);
    await expect(profilePage.status('api')).toHaveText(
      `Saved: display name "${values.displayName}", theme light.`,
    );

    await profilePage.reload();
    await profilePage.expectLoaded('api');
    await expect(profilePage.displayName('api')).toHaveValue(values.displayName);
    await expect(profilePage.theme('api')).toHaveValue('light');
    await profilePage.expectLoaded('management');
    await expect(profilePage.displayName('management')).toHaveValue(values.displayName);
  });
});

test.describe('guest (no permission)', () => {
  test.use(signedInAs('guest'));

  test("gets 403 insufficient_permission from this app's route, shown on the page; the Management API still serves their own user", async ({
    profilePage,
  }) => {
    const load = profilePage.nextAnswer('api', 'GET');
    await profilePage.open();
    expect((await load).status).toBe(403);
    await expect(profilePage.alert('api')).toContainText('403');
    await expect(profilePage.alert('api')).toContainText('insufficient_permission');
    await expect(profilePage.alert('api')).toContainText(Permission.EditProfile);

    // current_user scopes do not depend on roles: the guest edits their own user_metadata directly.
    const values = { displayName: uniqueName('management'), theme: 'system' as Theme };
    await profilePage.expectLoaded('management');
    expect((await profilePage.save('management', values)).status).toBe(200);
    await expect(profilePage.status('management')).toHaveText(
      `Saved: display name "${values.displayName}", theme system.`,
    );
  });
});
