import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ManagementApiError } from './errors';

/** Who calls the Management API, from a verified access token. */
export interface ManagementCaller {
  /** The token's `sub`: a user's `auth0|…`, or `<client_id>@clients` for client credentials. */
  readonly subject: string;
  /** True for a user's token (authorization code, refresh token); false for client credentials. */
  readonly isUser: boolean;
  readonly scopes: ReadonlySet<string>;
}

/** How tokens for the Management API are verified. */
export interface ManagementAuthenticatorOptions {
  readonly issuer: string;
  /** The Management API's audience, `<issuer>api/v2/`. */
  readonly audience: string;
  /** The server's own public keys. */
  readonly jwks: JSONWebKeySet;
  /** Epoch milliseconds; the clock `exp` is checked against. */
  readonly now: () => number;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Auth0's answer to anything that is not a JWT (an opaque token from a login without audience, a JWE). */
const badHeaderFormat = () => new ManagementApiError(400, 'Bad HTTP authentication header format', 'Bearer');
const invalidToken = (message = 'Invalid token') => new ManagementApiError(401, message, 'invalid_token');

/**
 * Verifies the bearer token of a Management API request with the server's own keys: RS256 signature, `iss`,
 * `aud` (the Management API's), `exp`. Refuses as Auth0 does: no header 401 `Missing authentication`, not a JWT
 * 400 `Bad HTTP authentication header format`, an ID token or any other failed check 401 `Invalid token`, an
 * expired token 401 `Expired token received for JSON Web Token validation`.
 * @throws ManagementApiError
 */
export function createManagementAuthenticator({
  issuer,
  audience,
  jwks,
  now,
}: ManagementAuthenticatorOptions) {
  const keys = createLocalJWKSet(jwks);

  return async function authenticate(authorization: string | undefined): Promise<ManagementCaller> {
    if (authorization === undefined || authorization.trim() === '') {
      throw new ManagementApiError(401, 'Missing authentication');
    }
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined || token.split('.').length !== 3) throw badHeaderFormat();

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms: ['RS256'],
        currentDate: new Date(now()),
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw invalidToken('Expired token received for JSON Web Token validation');
      }
      if (error instanceof errors.JOSEError) throw invalidToken();
      throw error;
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw invalidToken();
    const scope = typeof payload['scope'] === 'string' ? payload['scope'] : '';
    return {
      subject: payload.sub,
      isUser: payload['gty'] !== 'client-credentials',
      scopes: new Set(scope.split(' ').filter((value) => value !== '')),
    };
  };
}
