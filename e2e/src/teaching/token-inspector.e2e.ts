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

  // The local config.json leaves DPoP off: a bearer token, bound to nothing.
  await expect(tokenInspector.keyBindingVerdict).toContainText('No cnf.jkt: a bearer token');
});

test.describe('with useDpop on', () => {
  test.use({ spaConfig: { useDpop: true } });

  test("shows the access token bound to this browser's DPoP key", async ({ tokenInspector }) => {
    // The saved session gets its tokens silently, now with a proof of the SDK's new key: bound to it.
    await tokenInspector.open();
    await expect(tokenInspector.keyBindingVerdict).toContainText(
      "Match: cnf.jkt is the thumbprint of this browser's DPoP key",
    );
    await expect(tokenInspector.claim(tokenInspector.accessToken, 'cnf')).toContainText('"jkt":');
  });
});
