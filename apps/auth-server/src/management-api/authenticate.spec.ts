import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createManagementAuthenticator } from './authenticate';
import { ManagementApiError } from './errors';

const ISSUER = 'http://localhost:4000/';
const AUDIENCE = 'http://localhost:4000/api/v2/';
const NOW = Date.UTC(2030, 0, 1, 10, 0, 0);

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
    const error = await authenticate(header).then(
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
    expect(await authenticate(`Bearer ${user}`)).toEqual({
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
    expect(await authenticate(`bearer ${m2m}`)).toMatchObject({ subject: 'm2m@clients', isUser: false });
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
