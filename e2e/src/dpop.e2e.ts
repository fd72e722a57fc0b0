import { createHash } from 'node:crypto';
import { LOCAL_TENANT, managementApiAudience } from '@sample/contract';
import { expect, signedInAs, test } from './support/fixtures';
import { segment } from './support/jwt';
import { urls } from './support/urls';

/** RFC 7638 thumbprint of an EC public key: SHA-256 of its required members in lexicographic order. */
function ecThumbprint(jwk: unknown): string {
  const { crv, kty, x, y } = jwk as Record<string, string>;
  return createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
}

test.describe('DPoP (config.json "useDpop": true)', () => {
  test.use({ spaConfig: { useDpop: true } });

  test("logs in, then calls the API with a token bound to this browser's key and a new proof per request", async ({
    shell,
    loginPage,
    apiConsole,
  }) => {
    await shell.open('/');
    await shell.startLogin();
    await loginPage.logInAs('reader');
    await shell.expectSignedInAs(LOCAL_TENANT.users.reader);

    await apiConsole.open();
    const first = await apiConsole.call('/api/messages/protected');
    expect(first.authorization).toMatch(/^DPoP ey/);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ text: 'This is a protected message.' });
    await expect(apiConsole.result('/api/messages/protected')).toContainText('Success');

    // The proof: made by the SDK's key for this method and URL, bound to this token.
    const proofHeader = segment(first.dpop, 0);
    expect(proofHeader).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256' } });
    expect(proofHeader['jwk']).not.toHaveProperty('d');
    const token = first.authorization?.slice('DPoP '.length);
    const ath = createHash('sha256')
      .update(token ?? '')
      .digest('base64url');
    expect(segment(first.dpop, 1)).toMatchObject({
      htm: 'GET',
      htu: `${urls.api}/api/messages/protected`,
      ath,
    });
    // The token: bound (cnf.jkt) to the very key that signed the proof.
    const claims = segment(token, 1);
    expect([claims['aud']].flat()).toContain(LOCAL_TENANT.apiAudience);
    expect(claims['cnf']).toEqual({ jkt: ecThumbprint(proofHeader['jwk']) });

    // Each request gets a proof of its own (a new jti): the API refuses a proof it has seen.
    const second = await apiConsole.call('/api/messages/protected');
    expect(second.status).toBe(200);
    expect(second.authorization).toBe(first.authorization);
    expect(segment(second.dpop, 1)['jti']).not.toBe(segment(first.dpop, 1)['jti']);
  });

  test.describe('signed in (the saved session, renewed silently with a proof)', () => {
    test.use(signedInAs('reader'));

    test('saves the profile at the Management API and through the API, each PATCH with its own bound token and proof', async ({
      profilePage,
    }) => {
      await profilePage.open();
      await profilePage.expectLoaded('management');
      await profilePage.expectLoaded('api');
      const displayName = `dpop ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

      const management = await profilePage.save('management', { displayName, theme: 'dark' });
      expect(management.status).toBe(200);
      expect(management.scheme).toBe('DPoP');
      expect(segment(management.dpop, 1)).toMatchObject({ htm: 'PATCH', htu: management.url.split('?')[0] });
      const managementClaims = segment(management.token, 1);
      expect([managementClaims['aud']].flat()).toContain(managementApiAudience(LOCAL_TENANT.issuer));
      expect(managementClaims['cnf']).toEqual({ jkt: ecThumbprint(segment(management.dpop, 0)['jwk']) });

      const api = await profilePage.save('api', { displayName, theme: 'light' });
      expect(api.status).toBe(200);
      expect(api.scheme).toBe('DPoP');
      expect(segment(api.dpop, 1)).toMatchObject({ htm: 'PATCH', htu: `${urls.api}/api/me/profile` });
      // One browser, one key: both audiences' tokens are bound to it.
      expect(segment(api.token, 1)['cnf']).toEqual(managementClaims['cnf']);
    });
  });
});
