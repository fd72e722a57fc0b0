import { rm } from 'node:fs/promises';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { LOCAL_TENANT } from '@sample/contract';
import { generateDpopKey, signDpopProof, type DpopKey } from '@sample/dpop';
import { DEMO_M2M_CLIENT_SECRET } from '../config/settings';
import { authorizationCode, codeExchange, tokenRequest } from '../testing/dpop';
import { preflight, SPA_ORIGIN } from '../testing/spa-client';
import type { Tenant } from '../tenant/tenant';
import { makeDataDir, startTestServer, testTenant, type TestServer } from '../testing/test-server';

const SAMPLE_API = LOCAL_TENANT.apiAudience;
const DPOP_API = 'https://dpop-api.sample.local';

interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  token_type?: string;
  error?: string;
  error_description?: string;
}

describe('DPoP at the token endpoint', () => {
  let server: TestServer;
  const tokenUrl = () => server.url('oauth/token');
  const proofFor = (key: DpopKey, nonce?: string) =>
    signDpopProof(key, { method: 'POST', url: tokenUrl(), ...(nonce !== undefined && { nonce }) });
  const login = (audience: string, scope = 'openid profile email read:messages') =>
    authorizationCode(server.issuer, 'reader@example.com', { audience, scope });
  const verified = async (token: string) => {
    const jwks = (await (await fetch(server.url('.well-known/jwks.json'))).json()) as JSONWebKeySet;
    return (await jwtVerify(token, createLocalJWKSet(jwks), { issuer: server.issuer })).payload;
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('binds the access token to the key of the proof: cnf.jkt and token_type DPoP, Auth0 claims kept', async () => {
    const key = await generateDpopKey();
    const response = await tokenRequest(
      tokenUrl(),
      codeExchange(await login(SAMPLE_API)),
      await proofFor(key),
    );
    const body = (await response.json()) as TokenResponse;
    expect(response.status).toBe(200);
    expect(body.token_type).toBe('DPoP');
    const claims = await verified(body.access_token ?? '');
    expect(claims['cnf']).toEqual({ jkt: key.jkt });
    expect(claims).toMatchObject({
      aud: [SAMPLE_API, server.url('userinfo')],
      azp: LOCAL_TENANT.spaClientId,
      permissions: expect.arrayContaining(['read:messages']),
    });
    // Nonces are issued even when not required, so a client can send one next time.
    expect(response.headers.get('dpop-nonce')).toMatch(/^[\w-]{43}$/);
  });

  it('binds the code to the key named at /authorize (dpop_jkt, as auth0-spa-js sends it)', async () => {
    const key = await generateDpopKey();
    const loginWithJkt = () =>
      authorizationCode(server.issuer, 'reader@example.com', {
        audience: SAMPLE_API,
        scope: 'openid read:messages',
        dpop_jkt: key.jkt,
      });
    const without = await tokenRequest(tokenUrl(), codeExchange(await loginWithJkt()));
    expect(without.status).toBe(400);
    expect(await without.json()).toMatchObject({ error: 'invalid_grant' });

    const otherKey = await tokenRequest(
      tokenUrl(),
      codeExchange(await loginWithJkt()),
      await proofFor(await generateDpopKey()),
    );
    expect(otherKey.status).toBe(400);
    expect(await otherKey.json()).toMatchObject({ error: 'invalid_grant' });

    const own = await tokenRequest(tokenUrl(), codeExchange(await loginWithJkt()), await proofFor(key));
    const body = (await own.json()) as TokenResponse;
    expect(own.status).toBe(200);
    expect(decodeJwt(body.access_token ?? '')['cnf']).toEqual({ jkt: key.jkt });
  });

  it('refuses a bound access token sent as Bearer at /userinfo', async () => {
    const response = await tokenRequest(
      tokenUrl(),
      codeExchange(await login(SAMPLE_API)),
      await proofFor(await generateDpopKey()),
    );
    const { access_token: token } = (await response.json()) as TokenResponse;
    const userinfo = await fetch(server.url('userinfo'), {
      headers: { authorization: `Bearer ${token ?? ''}` },
    });
    expect(userinfo.status).toBe(401);
    expect(userinfo.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);
    expect(await userinfo.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('takes a bound opaque token (no audience) at /userinfo with the DPoP scheme and a proof', async () => {
    const key = await generateDpopKey();
    const response = await tokenRequest(
      tokenUrl(),
      codeExchange(await authorizationCode(server.issuer, 'reader@example.com', { scope: 'openid email' })),
      await proofFor(key),
    );
    const { access_token: token = '', token_type: type } = (await response.json()) as TokenResponse;
    expect(type).toBe('DPoP');
    const userinfo = (proof?: string) =>
      fetch(server.url('userinfo'), {
        headers: { authorization: `DPoP ${token}`, ...(proof !== undefined && { dpop: proof }) },
      });
    // Without its proof the bound token is refused (oidc-provider: 400 invalid_request).
    const refused = await userinfo();
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_request' });
    const proof = await signDpopProof(key, {
      method: 'GET',
      url: server.url('userinfo'),
      accessToken: token,
    });
    const answer = await userinfo(proof);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ sub: 'auth0|demo-reader', email: 'reader@example.com' });
  });

  it('advertises the proof algorithms it accepts', async () => {
    const metadata = (await (await fetch(server.url('.well-known/openid-configuration'))).json()) as Record<
      string,
      unknown
    >;
    expect(metadata['dpop_signing_alg_values_supported']).toEqual(['ES256', 'Ed25519', 'EdDSA']);
  });

  it('issues a Bearer token without cnf to a token request without a proof', async () => {
    const response = await tokenRequest(tokenUrl(), codeExchange(await login(SAMPLE_API)));
    const body = (await response.json()) as TokenResponse;
    expect(response.status).toBe(200);
    expect(body.token_type).toBe('Bearer');
    expect(decodeJwt(body.access_token ?? '')['cnf']).toBeUndefined();
  });

  describe('an API that requires DPoP (proofOfPossession.required)', () => {
    it('refuses a token request without a proof, saying what to do', async () => {
      const response = await tokenRequest(tokenUrl(), codeExchange(await login(DPOP_API)));
      expect(response.status).toBe(400);
      const body = (await response.json()) as TokenResponse;
      expect(body.error).toBe('invalid_request');
      expect(body.error_description).toContain(`"${DPOP_API}" requires sender-constrained tokens (DPoP)`);
      expect(body.error_description).toContain('send a DPoP proof in the DPoP header');
      expect(body.access_token).toBeUndefined();
    });

    it('issues a bound token to a request with a proof', async () => {
      const key = await generateDpopKey();
      const response = await tokenRequest(
        tokenUrl(),
        codeExchange(await login(DPOP_API)),
        await proofFor(key),
      );
      const body = (await response.json()) as TokenResponse;
      expect(response.status).toBe(200);
      expect(body.token_type).toBe('DPoP');
      expect(decodeJwt(body.access_token ?? '')).toMatchObject({
        aud: expect.arrayContaining([DPOP_API]),
        cnf: { jkt: key.jkt },
      });
    });

    it('applies to client credentials too', async () => {
      const clientCredentials = (proof?: string) =>
        fetch(tokenUrl(), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(proof !== undefined && { dpop: proof }) },
          body: JSON.stringify({
            grant_type: 'client_credentials',
            client_id: LOCAL_TENANT.m2mClientId,
            client_secret: DEMO_M2M_CLIENT_SECRET,
            audience: DPOP_API,
          }),
        });
      const refused = await clientCredentials();
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: 'invalid_request' });

      const key = await generateDpopKey();
      const bound = await clientCredentials(await proofFor(key));
      const body = (await bound.json()) as TokenResponse;
      expect(bound.status).toBe(200);
      expect(body.token_type).toBe('DPoP');
      expect(decodeJwt(body.access_token ?? '')).toMatchObject({
        sub: `${LOCAL_TENANT.m2mClientId}@clients`,
        cnf: { jkt: key.jkt },
      });
    });
  });

  describe('refresh tokens of the public SPA client', () => {
    const offline = async (key: DpopKey) => {
      const response = await tokenRequest(
        tokenUrl(),
        codeExchange(await login(SAMPLE_API, 'openid offline_access read:messages')),
        await proofFor(key),
      );
      const body = (await response.json()) as TokenResponse;
      expect(body.refresh_token).toEqual(expect.any(String));
      return body.refresh_token ?? '';
    };
    const refresh = (refreshToken: string, proof?: string) =>
      tokenRequest(tokenUrl(), { grant_type: 'refresh_token', refresh_token: refreshToken }, proof);

    it("are bound to the proof's key: refused with another key's proof, accepted with the same key's", async () => {
      const key = await generateDpopKey();
      const refreshToken = await offline(key);

      const stolen = await refresh(refreshToken, await proofFor(await generateDpopKey()));
      expect(stolen.status).toBe(400);
      expect(await stolen.json()).toMatchObject({ error: 'invalid_grant' });

      const own = await refresh(refreshToken, await proofFor(key));
      const body = (await own.json()) as TokenResponse;
      expect(own.status).toBe(200);
      expect(body.token_type).toBe('DPoP');
      expect(decodeJwt(body.access_token ?? '')['cnf']).toEqual({ jkt: key.jkt });
    });

    it('are refused without a proof', async () => {
      const refreshToken = await offline(await generateDpopKey());
      const response = await refresh(refreshToken);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    });
  });

  it('refuses a proof used before (jti replay), and takes a fresh one from the same key', async () => {
    const key = await generateDpopKey();
    const proof = await proofFor(key);
    const first = await tokenRequest(tokenUrl(), codeExchange(await login(SAMPLE_API)), proof);
    expect(first.status).toBe(200);
    const replayed = await tokenRequest(tokenUrl(), codeExchange(await login(SAMPLE_API)), proof);
    expect(replayed.status).toBe(400);
    // oidc-provider keeps invalid_grant's detail ("DPoP proof JWT Replay detected") out of the response.
    expect(await replayed.json()).toMatchObject({ error: 'invalid_grant' });
    const fresh = await tokenRequest(tokenUrl(), codeExchange(await login(SAMPLE_API)), await proofFor(key));
    expect(fresh.status).toBe(200);
  });

  it('refuses a proof made for another URL', async () => {
    const key = await generateDpopKey();
    const proof = await signDpopProof(key, { method: 'POST', url: server.url('oauth/other') });
    const response = await tokenRequest(tokenUrl(), codeExchange(await login(SAMPLE_API)), proof);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  describe('CORS', () => {
    it('lets the SPA send the DPoP header (preflight)', async () => {
      const response = await preflight(tokenUrl(), 'POST', { headers: 'content-type,dpop,auth0-client' });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
      expect(response.headers.get('access-control-allow-headers')?.split(',')).toContain('dpop');
    });

    it('lets the SPA read the DPoP-Nonce header', async () => {
      const response = await tokenRequest(
        tokenUrl(),
        codeExchange(await login(SAMPLE_API)),
        await proofFor(await generateDpopKey()),
      );
      expect(response.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN);
      expect(response.headers.get('access-control-expose-headers')?.split(',')).toContain('DPoP-Nonce');
    });
  });
});

describe('DPoP server nonces required by the tenant (dpop.requireNonce)', () => {
  let dataDir: string;
  let tenant: Tenant;

  beforeAll(async () => {
    dataDir = await makeDataDir();
    tenant = { ...(await testTenant()), dpop: { requireNonce: true } };
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const exchangeOn = async (server: TestServer) =>
    codeExchange(
      await authorizationCode(server.issuer, 'reader@example.com', {
        audience: SAMPLE_API,
        scope: 'openid read:messages',
      }),
    );

  it('answers use_dpop_nonce with a DPoP-Nonce header, then accepts the proof that carries it', async () => {
    const server = await startTestServer({ tenant, dataDir });
    try {
      const key = await generateDpopKey();
      const htu = server.url('oauth/token');
      const exchange = await exchangeOn(server);

      const first = await tokenRequest(htu, exchange, await signDpopProof(key, { method: 'POST', url: htu }));
      expect(first.status).toBe(400);
      expect(await first.json()).toMatchObject({ error: 'use_dpop_nonce' });
      const nonce = first.headers.get('dpop-nonce');
      expect(nonce).toMatch(/^[\w-]{43}$/);

      // auth0-spa-js retries once with the nonce, on the same code (the first attempt did not use it up).
      const retry = await tokenRequest(
        htu,
        exchange,
        await signDpopProof(key, { method: 'POST', url: htu, nonce: nonce ?? '' }),
      );
      const body = (await retry.json()) as TokenResponse;
      expect(retry.status).toBe(200);
      expect(body.token_type).toBe('DPoP');
    } finally {
      await server.stop();
    }
  });

  it('still accepts a nonce issued before a restart (the secret is kept in the data folder)', async () => {
    const before = await startTestServer({ tenant, dataDir });
    const nonce = await (async () => {
      try {
        const htu = before.url('oauth/token');
        const response = await tokenRequest(
          htu,
          await exchangeOn(before),
          await signDpopProof(await generateDpopKey(), { method: 'POST', url: htu }),
        );
        return response.headers.get('dpop-nonce') ?? '';
      } finally {
        await before.stop();
      }
    })();

    const after = await startTestServer({ tenant, dataDir });
    try {
      const htu = after.url('oauth/token');
      const response = await tokenRequest(
        htu,
        await exchangeOn(after),
        await signDpopProof(await generateDpopKey(), { method: 'POST', url: htu, nonce }),
      );
      expect(response.status).toBe(200);
    } finally {
      await after.stop();
    }
  });
});
