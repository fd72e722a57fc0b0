import { calculateJwkThumbprint, type JWK } from 'jose';
import * as oidc from 'openid-client';
import { LOCAL_TENANT } from '@sample/contract';
import { getWithHost } from './testing/raw-request';
import { discoverSpa, SPA_ORIGIN } from './testing/spa-client';
import { startTestServer, type TestServer } from './testing/test-server';

describe('auth server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  describe('discovery', () => {
    it('publishes the Auth0 endpoints under an issuer with a trailing slash', async () => {
      const metadata = (await discoverSpa(server.issuer)).serverMetadata();
      expect(server.issuer).toMatch(/^http:\/\/localhost:\d+\/$/);
      expect(metadata).toMatchObject({
        issuer: server.issuer,
        authorization_endpoint: server.url('authorize'),
        token_endpoint: server.url('oauth/token'),
        userinfo_endpoint: server.url('userinfo'),
        jwks_uri: server.url('.well-known/jwks.json'),
        revocation_endpoint: server.url('oauth/revoke'),
        end_session_endpoint: server.url('oidc/logout'),
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      });
      expect(metadata.response_modes_supported).toEqual(
        expect.arrayContaining(['query', 'fragment', 'web_message']),
      );
      expect(metadata.grant_types_supported).toEqual(
        expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
      );
    });
  });

  describe('JWKS', () => {
    it('serves the public RS256 key, its kid being its RFC 7638 thumbprint', async () => {
      const response = await fetch(server.url('.well-known/jwks.json'));
      expect(response.status).toBe(200);
      const { keys } = (await response.json()) as { keys: JWK[] };
      expect(keys).toHaveLength(1);
      const [key] = keys as [JWK];
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(key.d).toBeUndefined();
      expect(key.kid).toBe(await calculateJwkThumbprint(key, 'sha256'));
    });
  });

  describe('CORS', () => {
    const tokenRequest = (origin: string) =>
      fetch(server.url('oauth/token'), {
        method: 'POST',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: LOCAL_TENANT.spaClientId,
          grant_type: 'authorization_code',
          code: 'not-a-code',
          code_verifier: oidc.randomPKCECodeVerifier(),
          redirect_uri: SPA_ORIGIN,
        }),
      });

    it("allows the SPA's web origins at the token endpoint", async () => {
      const response = await tokenRequest(SPA_ORIGIN);
      expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
      expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    });

    it('refuses other origins', async () => {
      const response = await tokenRequest('http://evil.example.com');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    });
  });

  it('serves generated avatars, so profile pictures work offline', async () => {
    const response = await fetch(server.url('avatars/AA.svg'));
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(await response.text()).toContain('>AA</text>');
  });

  describe('Host header', () => {
    const requestWithHost = (host: string) => getWithHost(server.port, '/.well-known/jwks.json', host);

    it("serves requests naming the issuer's host", async () => {
      expect((await requestWithHost(new URL(server.issuer).host)).status).toBe(200);
      expect((await requestWithHost(`127.0.0.1:${server.port}`)).status).toBe(200);
    });

    it('answers 421 in plain text to a page that rebound its own name to this server', async () => {
      expect(await requestWithHost(`rebind.attacker.example:${server.port}`)).toEqual({
        status: 421,
        type: 'text/plain; charset=utf-8',
        body: `This server answers to the host of its issuer ${server.issuer} only.\n`,
      });
    });
  });

  it('answers unknown paths with 404', async () => {
    const response = await fetch(server.url('nope'));
    expect(response.status).toBe(404);
  });
});
