import { expect, signedInAs, test } from './support/fixtures';

// Each lab action must make the real API answer the matching reason code, and the page must say so.
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
});
