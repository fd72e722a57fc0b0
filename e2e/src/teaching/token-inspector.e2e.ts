import { LOCAL_TENANT } from '@sample/contract';
import { expect, signedInAs, test } from './support/fixtures';

test.use(signedInAs('admin'));

test("shows the access token is for the API and flags the ID token as the app's", async ({
  tokenInspector,
}) => {
  await tokenInspector.open();

  await expect(tokenInspector.accessToken).toContainText('JWT (signed)');
  await expect(tokenInspector.claim(tokenInspector.accessToken, 'aud')).toContainText(
    LOCAL_TENANT.apiAudience,
  );
  await expect(tokenInspector.claim(tokenInspector.accessToken, 'iss')).toContainText(LOCAL_TENANT.issuer);

  await expect(tokenInspector.idTokenBanner).toBeVisible();
  await expect(tokenInspector.claim(tokenInspector.idToken, 'aud')).toContainText(LOCAL_TENANT.spaClientId);
});
