import { generateDpopKey, signDpopProof, type DpopKey, type DpopProofOptions } from '@sample/dpop';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import {
  createManagementAuthenticator,
  MANAGEMENT_DPOP_MAX_AGE_SECONDS,
  type ManagementRequest,
} from './authenticate';
import { ManagementApiError } from './errors';

const ISSUER = 'http://localhost:4000/';
const AUDIENCE = 'http://localhost:4000/api/v2/';
const NOW = Date.UTC(2030, 0, 1, 10, 0, 0);
const URL_READER = `${AUDIENCE}users/auth0%7Cdemo-reader`;

/** A GET of the reader's user with this Authorization header and these DPoP headers. */
const request = (authorization: string | undefined, dpop?: string[]): ManagementRequest => ({
  authorization,
  dpop,
  method: 'GET',
  url: URL_READER,
});

describe('createManagementAuthenticator', () => {
  let sign: (payload: JWTPayload, options?: { alg?: string; expiresAt?: number }) => Promise<string>;
  let authenticate: ReturnType<typeof createManagementAuthenticator>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    authenticate = createManagementAuthenticator({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: { keys: [jwk] },
      now: () => NOW,
    });
    sign = (payload, { expiresAt = NOW / 1000 + 60 } = {}) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
        .setIssuer(payload.iss ?? ISSUER)
        .setIssuedAt(NOW / 1000 - 60)
        .setExpirationTime(expiresAt)
        .sign(privateKey);
  });

  /** The error an Authorization header gets. */
  const refusal = async (header: string | undefined) => {
    const error = await authenticate(request(header)).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ManagementApiError);
    return (error as ManagementApiError).body;
  };

  it('returns the subject, the kind of token and its scopes', async () => {
    const user = await sign({
      sub: 'auth0|u',
      aud: [AUDIENCE, `${ISSUER}userinfo`],
      scope: 'openid read:current_user',
    });
    expect(await authenticate(request(`Bearer ${user}`))).toEqual({
      subject: 'auth0|u',
      isUser: true,
      scopes: new Set(['openid', 'read:current_user']),
    });
    const m2m = await sign({
      sub: 'm2m@clients',
      aud: AUDIENCE,
      gty: 'client-credentials',
      scope: 'read:users',
    });
    expect(await authenticate(request(`bearer ${m2m}`))).toMatchObject({
      subject: 'm2m@clients',
      isUser: false,
    });
  });

  it('answers 401 Missing authentication without a header', async () => {
    expect(await refusal(undefined)).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Missing authentication',
      attributes: { error: 'Missing authentication' },
    });
  });

  it('answers 400 Bad HTTP authentication header format to anything but a Bearer JWT', async () => {
    for (const header of [
      'Bearer',
      'Basic dXNlcjpwYXNz',
      'Bearer opaque-token',
      'Bearer a.b.c.d.e',
      'Bearer a b',
    ]) {
      expect(await refusal(header)).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Bad HTTP authentication header format',
        errorCode: 'Bearer',
      });
    }
  });

  it('answers 401 Invalid token to another audience, another issuer, a token without sub, and garbage', async () => {
    const tokens = [
      await sign({ sub: 'auth0|u', aud: 'sample-spa' }),
      await sign({ sub: 'auth0|u', aud: AUDIENCE, iss: 'https://elsewhere.example.com/' }),
      await sign({ aud: AUDIENCE }),
      'e30.e30.e30',
    ];
    for (const token of tokens) {
      expect(await refusal(`Bearer ${token}`)).toMatchObject({
        statusCode: 401,
        message: 'Invalid token',
        errorCode: 'invalid_token',
      });
    }
  });

  it('answers an expired token (on the injected clock) with the expired-token message', async () => {
    const expired = await sign({ sub: 'auth0|u', aud: AUDIENCE }, { expiresAt: NOW / 1000 - 1 });
    expect(await refusal(`Bearer ${expired}`)).toMatchObject({
      statusCode: 401,
      message: 'Expired token received for JSON Web Token validation',
    });
  });
});

describe('createManagementAuthenticator: DPoP-bound tokens (injected clock)', () => {
  let sign: (payload: JWTPayload) => Promise<string>;
  let authenticate: ReturnType<typeof createManagementAuthenticator>;
  let key: DpopKey;
  let offsetMs: number;
  let jwks: { keys: JWK[] };

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
    sign = (payload) =>
      new SignJWT({ sub: 'auth0|u', aud: AUDIENCE, scope: 'read:current_user', ...payload })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
        .setIssuer(ISSUER)
        .setIssuedAt(NOW / 1000 - 60)
        .setExpirationTime(NOW / 1000 + 3600)
        .sign(privateKey);
    key = await generateDpopKey();
  });

  // One authenticator (one replay cache) per test: no proof seen in one test counts in another.
  beforeEach(() => {
    offsetMs = 0;
    authenticate = createManagementAuthenticator({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks,
      now: () => NOW + offsetMs,
    });
  });

  const boundToken = () => sign({ cnf: { jkt: key.jkt } });
  /** A proof of `key` for a GET of the reader's user with `token`, made at NOW unless told otherwise. */
  const proofFor = (token: string, options: Partial<DpopProofOptions> = {}) =>
    signDpopProof(key, { method: 'GET', url: URL_READER, accessToken: token, now: NOW, ...options });
  /** The refusal of a request, with its body and headers. */
  const refusal = async (req: ManagementRequest) => {
    const error = await authenticate(req).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ManagementApiError);
    return error as ManagementApiError;
  };

  it('accepts a bound token with the DPoP scheme (any case) and a proof made for this request', async () => {
    const token = await boundToken();
    expect(await authenticate(request(`DPoP ${token}`, [await proofFor(token)]))).toMatchObject({
      subject: 'auth0|u',
      scopes: new Set(['read:current_user']),
    });
    expect(await authenticate(request(`dpop ${token}`, [await proofFor(token)]))).toMatchObject({
      subject: 'auth0|u',
    });
  });

  it('answers each refused proof 401 in Auth0 shape, the contract reason as errorCode, and a DPoP challenge', async () => {
    const token = await boundToken();
    const error = await refusal(request(`DPoP ${token}`, [await proofFor(token, { method: 'PATCH' })]));
    expect(error.body).toMatchObject({
      statusCode: 401,
      error: 'Unauthorized',
      errorCode: 'dpop_request_mismatch',
      attributes: { error: error.body.message },
    });
    expect(error.body.message).toContain(
      'The DPoP proof was made for method "PATCH" (htm); this request is GET.',
    );
    expect(error.body.message).toContain('Make the proof for this request');
    expect(error.headers['www-authenticate']).toBe(
      `DPoP error="invalid_dpop_proof", error_description="The DPoP proof was made for method 'PATCH' (htm); this request is GET.", algs="ES256 Ed25519 EdDSA"`,
    );
  });

  it('accepts a proof up to the maximum age plus 5 s of tolerance, and refuses an older one or one from the future', async () => {
    const token = await boundToken();
    const proof = await proofFor(token);
    offsetMs = (MANAGEMENT_DPOP_MAX_AGE_SECONDS + 5) * 1000;
    expect(await authenticate(request(`DPoP ${token}`, [proof]))).toMatchObject({ subject: 'auth0|u' });

    const old = await proofFor(token);
    offsetMs += 1000;
    const tooOld = await refusal(request(`DPoP ${token}`, [old]));
    expect(tooOld.body).toMatchObject({ errorCode: 'invalid_dpop_proof' });
    expect(tooOld.body.message).toContain(`accepts proofs up to ${MANAGEMENT_DPOP_MAX_AGE_SECONDS} s old`);

    offsetMs = 0;
    const future = await refusal(request(`DPoP ${token}`, [await proofFor(token, { now: NOW + 6000 })]));
    expect(future.body.message).toContain('in the future');
  });

  it('accepts each proof once (replay cache), telling the client to make a new one', async () => {
    const token = await boundToken();
    const proof = await proofFor(token);
    await authenticate(request(`DPoP ${token}`, [proof]));
    const replayed = await refusal(request(`DPoP ${token}`, [proof]));
    expect(replayed.body).toMatchObject({ statusCode: 401, errorCode: 'dpop_proof_replayed' });
    expect(replayed.body.message).toContain('Make a new proof (a new jti) for every request');
  });

  it('refuses a proof made for another token (ath), with another key, a missing one and two of them', async () => {
    const token = await boundToken();
    const other = await sign({ cnf: { jkt: key.jkt }, scope: 'read:users' });
    expect((await refusal(request(`DPoP ${token}`, [await proofFor(other)]))).body).toMatchObject({
      errorCode: 'dpop_token_mismatch',
    });
    const stranger = await generateDpopKey();
    const foreign = await signDpopProof(stranger, {
      method: 'GET',
      url: URL_READER,
      accessToken: token,
      now: NOW,
    });
    expect((await refusal(request(`DPoP ${token}`, [foreign]))).body).toMatchObject({
      errorCode: 'dpop_key_mismatch',
    });
    expect((await refusal(request(`DPoP ${token}`))).body).toMatchObject({
      errorCode: 'dpop_proof_missing',
    });
    const two = await refusal(request(`DPoP ${token}`, [await proofFor(token), await proofFor(token)]));
    expect(two.body).toMatchObject({ errorCode: 'invalid_dpop_proof' });
    expect(two.body.message).toContain('2 DPoP headers');
  });

  it('refuses an algorithm the token endpoint does not accept either (ES384)', async () => {
    const token = await boundToken();
    const proof = await signDpopProof(await generateDpopKey('ES384'), {
      method: 'GET',
      url: URL_READER,
      accessToken: token,
      now: NOW,
    });
    const error = await refusal(request(`DPoP ${token}`, [proof]));
    expect(error.body).toMatchObject({ errorCode: 'invalid_dpop_proof' });
    expect(error.body.message).toContain('Accepted: ES256, Ed25519, EdDSA');
  });

  it('refuses a bound token sent as Bearer, and the DPoP scheme with an unbound token, with an invalid_token challenge', async () => {
    const bound = await boundToken();
    const asBearer = await refusal(request(`Bearer ${bound}`, [await proofFor(bound)]));
    expect(asBearer.body).toMatchObject({ statusCode: 401, errorCode: 'key_bound_token' });
    expect(asBearer.body.message).toContain('Send it as "Authorization: DPoP <token>"');
    expect(asBearer.headers['www-authenticate']).toMatch(/^DPoP error="invalid_token", error_description="/);

    const unbound = await sign({});
    const asDpop = await refusal(request(`DPoP ${unbound}`, [await proofFor(unbound)]));
    expect(asDpop.body).toMatchObject({ statusCode: 401, errorCode: 'dpop_token_not_bound' });
    expect(asDpop.body.message).toContain('Send it as "Authorization: Bearer <token>"');
    expect(asDpop.headers['www-authenticate']).toMatch(/^DPoP error="invalid_token"/);
  });

  it('checks the token before the proof: a forged bound token is an Invalid token and its proof stays unused', async () => {
    const token = await boundToken();
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(342)}`;
    const proof = await proofFor(token);
    expect((await refusal(request(`DPoP ${forged}`, [proof]))).body).toMatchObject({
      message: 'Invalid token',
    });
    expect(await authenticate(request(`DPoP ${token}`, [proof]))).toMatchObject({ subject: 'auth0|u' });
  });

  it('ignores a DPoP header beside an unbound Bearer token, as before', async () => {
    const token = await sign({});
    expect(await authenticate(request(`Bearer ${token}`, ['not-a-proof']))).toMatchObject({
      subject: 'auth0|u',
    });
  });
});
