import { LOCAL_TENANT } from '@sample/contract';
import { segment } from '../support/jwt';
import { urls } from '../support/urls';
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

// The classic thread of an SPA calling Auth0's Management API itself, step by step, against the local auth server's
// emulation of PATCH/GET /api/v2/users/{id}. Each request goes to the signed-in user's own record.
test.describe('the Management API, called from the SPA, as reader', () => {
  test.use(signedInAs('reader'));
  const ownRecord = `${urls.auth}/api/v2/users/${encodeURIComponent('auth0|demo-reader')}`;

  test('PATCH with the ID token: 401 Invalid token', async ({ lab }) => {
    await lab.open();
    const answer = await lab.reproduceOnManagementApi('management_id_token');
    expect(answer).toMatchObject({ method: 'PATCH', url: ownRecord, status: 401 });
    expect(answer.body.message).toBe('Invalid token');
    // The ID token went out, not an access token the SDK interceptor could have attached instead.
    expect(decodedPayload(answer.authorization)['aud']).toBe(LOCAL_TENANT.spaClientId);
    await expect(lab.managementConfirmation('management_id_token')).toBeVisible();
  });

  test('PATCH with a token requested without an audience: 400 Bad HTTP authentication header format', async ({
    lab,
  }) => {
    await lab.open();
    const answer = await lab.reproduceOnManagementApi('management_opaque_token');
    expect(answer).toMatchObject({ method: 'PATCH', status: 400 });
    expect(answer.body.message).toBe('Bad HTTP authentication header format');
    expect(answer.authorization).toMatch(/^Bearer [^.]+$/);
    await expect(lab.managementConfirmation('management_opaque_token')).toBeVisible();
  });

  test('PATCH with a JWT for the Management API that has read:current_user only: 403 insufficient_scope', async ({
    lab,
  }) => {
    await lab.open();
    const answer = await lab.reproduceOnManagementApi('management_insufficient_scope');
    expect(answer).toMatchObject({ method: 'PATCH', url: ownRecord, status: 403 });
    expect(answer.body.errorCode).toBe('insufficient_scope');
    const payload = decodedPayload(answer.authorization);
    expect(payload['aud']).toContain(`${urls.auth}/api/v2/`);
    expect(String(payload['scope']).split(' ')).not.toContain('update:current_user_metadata');
    await expect(lab.managementConfirmation('management_insufficient_scope')).toBeVisible();
  });

  test('update:users asked for from the SPA is left out of the granted scope', async ({ lab }) => {
    await lab.open();
    const answer = await lab.reproduceOnManagementApi('management_update_users');
    // The token still reads the user's own record; it just never carries update:users.
    expect(answer).toMatchObject({ method: 'GET', url: ownRecord, status: 200 });
    expect(answer.body.user_id).toBe('auth0|demo-reader');
    const scope = String(decodedPayload(answer.authorization)['scope']).split(' ');
    expect(scope).toContain('update:current_user_metadata');
    expect(scope).not.toContain('update:users');
    const card = lab.experiment('management_update_users');
    await expect(card.getByText(/: update:users left out, without an error\.$/)).toBeVisible();
    await expect(lab.managementConfirmation('management_update_users')).toBeVisible();
    await expect(card.getByText(/PATCH \/api\/me\/profile/)).toBeVisible();
  });
});

/** The payload of the JWT in a `Bearer` header (the test fails, naming the value, when it is not a JWT). */
function decodedPayload(authorization: string | undefined): Record<string, unknown> {
  return segment(authorization?.replace(/^Bearer /, ''), 1);
}

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
