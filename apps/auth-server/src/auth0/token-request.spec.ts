import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { LOCAL_TENANT } from '@sample/contract';
import { discoverM2m, withServerError } from '../testing/spa-client';
import { startTestServer, type TestServer } from '../testing/test-server';

const SECRET = 'demo-m2m-secret-not-a-real-secret';

describe('client credentials (machine-to-machine)', () => {
  let server: TestServer;
  let config: oidc.Configuration;

  beforeAll(async () => {
    server = await startTestServer();
    config = await discoverM2m(server.issuer);
  });
  afterAll(() => server.stop());

  const postJson = (body: Record<string, string>) =>
    fetch(server.url('oauth/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('issues a JWT for the API with the scopes the client was granted', async () => {
    const tokens = await oidc
      .clientCredentialsGrant(config, { audience: LOCAL_TENANT.apiAudience })
      .catch(withServerError);
    const jwks = createRemoteJWKSet(new URL(server.url('.well-known/jwks.json')));
    const { payload } = await jwtVerify(tokens.access_token, jwks, {
      issuer: server.issuer,
      audience: LOCAL_TENANT.apiAudience,
    });
    expect(payload).toMatchObject({
      sub: `${LOCAL_TENANT.m2mClientId}@clients`,
      aud: LOCAL_TENANT.apiAudience,
      scope: 'read:messages',
      permissions: ['read:messages'],
      azp: LOCAL_TENANT.m2mClientId,
      gty: 'client-credentials',
    });
    expect(tokens.scope).toBe('read:messages');
  });

  it('accepts a JSON body, like the curl command in the Auth0 dashboard', async () => {
    const response = await postJson({
      client_id: LOCAL_TENANT.m2mClientId,
      client_secret: SECRET,
      audience: LOCAL_TENANT.apiAudience,
      grant_type: 'client_credentials',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      token_type: 'Bearer',
      scope: 'read:messages',
      expires_in: 86_400,
    });
  });

  it.each([
    [
      'no audience',
      {},
      403,
      {
        error: 'access_denied',
        error_description: 'No audience parameter was provided, and no default audience has been configured',
      },
    ],
    [
      'a scope it was not granted',
      { audience: LOCAL_TENANT.apiAudience, scope: 'read:admin-messages' },
      403,
      {
        error: 'access_denied',
        error_description: 'Client has not been granted scopes: read:admin-messages',
      },
    ],
    [
      'an API it has no grant for',
      { audience: LOCAL_TENANT.otherApiAudience },
      403,
      { error: 'access_denied' },
    ],
    [
      'an unknown API',
      { audience: 'https://unknown.example.com' },
      400,
      { error: 'invalid_target', error_description: 'Service not found: https://unknown.example.com' },
    ],
  ])('refuses %s', async (_case, params: Record<string, string>, status, body) => {
    const response = await postJson({
      client_id: LOCAL_TENANT.m2mClientId,
      client_secret: SECRET,
      grant_type: 'client_credentials',
      ...params,
    });
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject(body);
  });

  it('refuses a wrong secret', async () => {
    const wrong = await discoverM2m(server.issuer, 'not-the-demo-secret-at-all');
    await expect(
      oidc.clientCredentialsGrant(wrong, { audience: LOCAL_TENANT.apiAudience }).catch(withServerError),
    ).rejects.toThrow(/invalid_client/);
  });

  it('does not let the SPA use client credentials', async () => {
    const response = await postJson({
      client_id: LOCAL_TENANT.spaClientId,
      audience: LOCAL_TENANT.apiAudience,
      grant_type: 'client_credentials',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'requested grant type is not allowed for this client',
    });
  });
});
