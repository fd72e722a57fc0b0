import { expect, signedInAs, test } from './support/fixtures';

// Each lab action must make the real API answer the matching reason code, and the page must say so.
// The local config.json (and docker compose's) turns the lab on; a config that does not mention it has none.
test.describe('as admin', () => {
  test.use(signedInAs('admin'));

  for (const reason of ['id_token_used', 'opaque_token', 'audience_mismatch', 'invalid_signature']) {
    test(`reproduces ${reason}`, async ({ lab }) => {
      await lab.open();
      const answer = await lab.reproduce(reason);
      expect(answer.status).toBe(401);
      expect(answer.reason).toBe(reason);
      await expect(lab.confirmation(reason)).toBeVisible();
    });
  }

  test('reproduces token_expired after the short-lived token runs out', async ({ lab }) => {
    // The lab waits for the token's ~2 s lifetime plus the API's 5 s clock tolerance.
    test.setTimeout(45_000);
    await lab.open();
    const answer = await lab.reproduce('token_expired');
    expect(answer.status).toBe(401);
    expect(answer.reason).toBe('token_expired');
    await expect(lab.confirmation('token_expired')).toBeVisible();
  });
});

test.describe('as reader', () => {
  test.use(signedInAs('reader'));

  test('reproduces insufficient_permission', async ({ lab }) => {
    await lab.open();
    const answer = await lab.reproduce('insufficient_permission');
    expect(answer.status).toBe(403);
    expect(answer.reason).toBe('insufficient_permission');
    await expect(lab.confirmation('insufficient_permission')).toBeVisible();
  });

  test('shows that an RBAC-off API puts read:admin-messages in scope for any user, without permissions', async ({
    lab,
  }) => {
    await lab.open();
    const answer = await lab.reproduce('rbac_off_scope');
    // The token is for the RBAC-off API: this API refuses its audience before it reads permissions.
    expect(answer.status).toBe(401);
    expect(answer.reason).toBe('audience_mismatch');
    const card = lab.experiment('rbac_off_scope');
    await expect(
      card.getByText(/lists read:admin-messages; the permissions claim is absent\.$/),
    ).toBeVisible();
    await expect(lab.confirmation('rbac_off_scope', 'audience_mismatch')).toBeVisible();
    await expect(card.getByText(/authorizes users by their permissions claim only/)).toBeVisible();
  });
});

test.describe('switched by config.json', () => {
  test.use(signedInAs('admin'));

  test('the local config turns it on: a link in the navigation', async ({ shell }) => {
    await shell.open('/');
    await expect(shell.navLink('Break it lab')).toBeVisible();
  });

  test('a config.json that never mentions it (a production config) has no /lab and no link', async ({
    page,
    shell,
  }) => {
    // The served file without the lab's keys.
    await page.route('**/config.json', async (route) => {
      const response = await route.fetch();
      const json = (await response.json()) as Record<string, unknown>;
      for (const key of ['breakItLab', 'labOtherAudience', 'labShortLivedAudience', 'labRbacOffAudience'])
        delete json[key];
      await route.fulfill({ response, json });
    });
    await shell.open('/lab');
    await expect(page.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
    await expect(shell.navLink('Token inspector')).toBeVisible();
    await expect(shell.navLink('Break it lab')).toHaveCount(0);
  });
});
