import { createHash } from 'node:crypto';
import { segment } from '../support/jwt';
import { urls } from '../support/urls';
import { expect, signedInAs, test } from './support/fixtures';
import type { DpopLabAnswer } from './support/lab-page';

// The Break it lab's DPoP cases against the real auth server (which binds the SDK's tokens to its key) and the real
// API (which checks every proof). config.json is served with useDpop on; the local tenant's API allows DPoP.
const PROTECTED = '/api/messages/protected';

/** The decoded header and payload of a compact JWS (a token or a proof). */
function decoded(jws: string | undefined): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  return { header: segment(jws, 0), payload: segment(jws, 1) };
}

/** The token of an `Authorization` header, whatever its scheme. */
function tokenOf(answer: DpopLabAnswer | undefined): string {
  return answer?.authorization?.replace(/^(DPoP|Bearer) /, '') ?? '';
}

/** The token's cnf.jkt: the thumbprint of the key it is bound to. */
function boundTo(token: string): unknown {
  return (decoded(token).payload['cnf'] as { jkt?: unknown } | undefined)?.jkt;
}

/** RFC 7638 thumbprint of the EC key in a proof's header. */
function proofKeyThumbprint(proof: string | undefined): string {
  const { crv, kty, x, y } = decoded(proof).header['jwk'] as Record<string, string>;
  return createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
}

test.describe('the DPoP cases, with useDpop on, as reader', () => {
  test.use({ ...signedInAs('reader'), spaConfig: { useDpop: true } });

  test("a stolen bound token with a proof signed by the thief's key: dpop_key_mismatch", async ({ lab }) => {
    await lab.open();
    const [answer] = await lab.reproduceDpop('dpop_key_mismatch', PROTECTED);
    expect(answer).toMatchObject({ status: 401, reason: 'dpop_key_mismatch' });
    expect(answer?.authorization).toMatch(/^DPoP /);
    expect(answer?.wwwAuthenticate).toMatch(/^DPoP .*error="invalid_dpop_proof"/);
    // The SDK bound the token to its key; the proof is right in everything but the key.
    const jkt = boundTo(tokenOf(answer));
    expect(typeof jkt).toBe('string');
    expect(proofKeyThumbprint(answer?.dpop)).not.toBe(jkt);
    expect(decoded(answer?.dpop).payload).toMatchObject({ htm: 'GET', htu: `${urls.api}${PROTECTED}` });
    await expect(lab.dpopConfirmation('dpop_key_mismatch', 'dpop_key_mismatch')).toBeVisible();
    // The page shows the challenge too: the API's CORS settings expose WWW-Authenticate to the SPA.
    await expect(
      lab.experiment('dpop_key_mismatch').getByText(/^DPoP error="invalid_dpop_proof", error_description=/),
    ).toBeVisible();
    await expect(
      lab.experiment('dpop_key_mismatch').getByText(/not the key the token is bound to\.$/),
    ).toBeVisible();
  });

  test('the stolen token with no proof: dpop_proof_missing', async ({ lab }) => {
    await lab.open();
    const [answer] = await lab.reproduceDpop('dpop_proof_missing', PROTECTED);
    expect(answer).toMatchObject({ status: 401, reason: 'dpop_proof_missing', dpop: undefined });
    expect(answer?.authorization).toMatch(/^DPoP /);
    expect(answer?.wwwAuthenticate).toMatch(/^DPoP /);
    await expect(lab.dpopConfirmation('dpop_proof_missing', 'dpop_proof_missing')).toBeVisible();
  });

  test('the bound token sent as Bearer: key_bound_token', async ({ lab }) => {
    await lab.open();
    const [answer] = await lab.reproduceDpop('key_bound_token', PROTECTED);
    expect(answer).toMatchObject({ status: 401, reason: 'key_bound_token', dpop: undefined });
    expect(answer?.authorization).toMatch(/^Bearer /);
    expect(typeof boundTo(tokenOf(answer))).toBe('string');
    await expect(lab.dpopConfirmation('key_bound_token', 'key_bound_token')).toBeVisible();
  });

  test('one SDK proof sent twice: 200, then dpop_proof_replayed', async ({ lab }) => {
    await lab.open();
    const [first, second] = await lab.reproduceDpop('dpop_proof_replayed', PROTECTED, 2);
    expect(first).toMatchObject({ status: 200 });
    expect(second).toMatchObject({ status: 401, reason: 'dpop_proof_replayed' });
    expect(second?.dpop).toBe(first?.dpop);
    expect(second?.wwwAuthenticate).toMatch(/^DPoP .*error="invalid_dpop_proof"/);
    await expect(lab.dpopConfirmation('dpop_proof_replayed', '200, then dpop_proof_replayed')).toBeVisible();
  });

  test('an SDK proof made for another URL, then for another method: dpop_request_mismatch', async ({
    lab,
  }) => {
    await lab.open();
    const [url] = await lab.reproduceDpop('dpop_request_mismatch', PROTECTED);
    expect(url).toMatchObject({ status: 401, reason: 'dpop_request_mismatch' });
    expect(decoded(url?.dpop).payload).toMatchObject({ htm: 'GET', htu: `${urls.api}/api/messages/public` });
    await expect(lab.dpopConfirmation('dpop_request_mismatch', 'dpop_request_mismatch')).toBeVisible();

    const [method] = await lab.reproduceDpop('dpop_request_mismatch_method', PROTECTED);
    expect(method).toMatchObject({ status: 401, reason: 'dpop_request_mismatch' });
    expect(decoded(method?.dpop).payload).toMatchObject({ htm: 'POST', htu: `${urls.api}${PROTECTED}` });
    await expect(lab.dpopConfirmation('dpop_request_mismatch_method', 'dpop_request_mismatch')).toBeVisible();
  });

  test("the control: a fresh proof signed by the SDK's key, the one the token is bound to: 200", async ({
    lab,
  }) => {
    await lab.open();
    const [answer] = await lab.reproduceDpop('dpop_control', PROTECTED);
    expect(answer).toMatchObject({ status: 200 });
    expect(answer?.authorization).toMatch(/^DPoP /);
    expect(proofKeyThumbprint(answer?.dpop)).toBe(boundTo(tokenOf(answer)));
    await expect(lab.dpopConfirmation('dpop_control', '200')).toBeVisible();
  });
});

test.describe('the DPoP cases, with the local config (useDpop off)', () => {
  test.use(signedInAs('reader'));

  test('say how to turn DPoP on, with no button to press', async ({ lab }) => {
    await lab.open();
    await expect(lab.dpopOffNote()).toBeVisible();
    await expect(lab.dpopOffNote()).toContainText('"useDpop": true');
    await expect(lab.experiment('dpop_control')).toHaveCount(0);
  });
});
