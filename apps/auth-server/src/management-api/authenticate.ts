import { REASONS } from '@sample/contract';
import {
  DpopProofError,
  DpopReplayCache,
  verifyDpopProof,
  type DpopAlgorithm,
  type DpopProofReason,
} from '@sample/dpop';
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

/** What a Management API request carries for authentication. */
export interface ManagementRequest {
  readonly authorization: string | undefined;
  /** Every `DPoP` header of the request (Node's `headersDistinct`), so that two are told apart from one. */
  readonly dpop: readonly string[] | undefined;
  readonly method: string;
  /** The request's public URL, `<issuer>api/v2/…`, built from the issuer (never the Host header): a proof's `htu`. */
  readonly url: string;
}

/** How tokens for the Management API are verified. */
export interface ManagementAuthenticatorOptions {
  readonly issuer: string;
  /** The Management API's audience, `<issuer>api/v2/`. */
  readonly audience: string;
  /** The server's own public keys. */
  readonly jwks: JSONWebKeySet;
  /** Epoch milliseconds; the clock `exp` and a DPoP proof's `iat` are checked against. */
  readonly now: () => number;
}

/** DPoP proof algorithms accepted: those the token endpoint accepts, so any key that got a bound token can use it. */
export const MANAGEMENT_DPOP_ALGORITHMS: readonly DpopAlgorithm[] = ['ES256', 'Ed25519', 'EdDSA'];
/** How old a DPoP proof's `iat` may be, in seconds (plus the library's 5 s clock tolerance). */
export const MANAGEMENT_DPOP_MAX_AGE_SECONDS = 60;
/** Proofs remembered at once against replay, like the server's other in-memory bounds. */
const REPLAY_CACHE_ENTRIES = 10_000;

const AUTHORIZATION = /^(Bearer|DPoP)\s+(\S+)\s*$/i;

/** What to do about each refused proof, for the answer's `message` (the library's detail says what was wrong). */
const DPOP_FIXES: Readonly<Record<DpopProofReason, string>> = {
  dpop_proof_missing:
    'Send exactly one DPoP header with a proof made for this request (auth0-spa-js: generateDpopProof) beside "Authorization: DPoP <token>".',
  invalid_dpop_proof: `Make a new proof for each request: typ "dpop+jwt", alg ${MANAGEMENT_DPOP_ALGORITHMS.join(', ')}, the public jwk in the header, a fresh iat and jti.`,
  dpop_proof_replayed: 'Make a new proof (a new jti) for every request, retries included.',
  dpop_request_mismatch:
    'Make the proof for this request: htm its method, htu its URL without query as the issuer spells it (<issuer>api/v2/users/{id}).',
  dpop_key_mismatch:
    'A bound token works only with the key it was issued to: sign the proof with that key, or get a new token with the key you hold.',
  dpop_token_mismatch: 'Make the proof with the token you send: its ath is base64url(SHA-256(access token)).',
  use_dpop_nonce: 'Make a new proof with the nonce of the DPoP-Nonce response header.',
};

/** Auth0's answer to anything that is not a JWT (an opaque token from a login without audience, a JWE). */
const badHeaderFormat = () => new ManagementApiError(400, 'Bad HTTP authentication header format', 'Bearer');
const invalidToken = (message = 'Invalid token') => new ManagementApiError(401, message, 'invalid_token');

/** A header-safe quoted-string: printable ASCII only, no quote or backslash (details can echo the client's input). */
const quoted = (text: string) => `"${text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?')}"`;

/** A 401 with a DPoP challenge (RFC 9449 section 7.1): `error` from the contract, the algorithms accepted. */
function dpopRefusal(
  reason: DpopProofReason | 'key_bound_token' | 'dpop_token_not_bound',
  detail: string,
  fix: string,
): ManagementApiError {
  const challenge = `DPoP error=${quoted(REASONS[reason].error)}, error_description=${quoted(detail)}, algs=${quoted(MANAGEMENT_DPOP_ALGORITHMS.join(' '))}`;
  return new ManagementApiError(401, `${detail} ${fix}`, reason, { 'www-authenticate': challenge });
}

/** The key a token is bound to (`cnf.jkt`, RFC 9449 section 6.1), if any. */
function boundKey(payload: JWTPayload): string | undefined {
  const cnf = payload['cnf'];
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf)) return undefined;
  const jkt = (cnf as Record<string, unknown>)['jkt'];
  return typeof jkt === 'string' ? jkt : undefined;
}

/**
 * Verifies the access token of a Management API request with the server's own keys: RS256 signature, `iss`,
 * `aud` (the Management API's), `exp`. Refuses as Auth0 does: no header 401 `Missing authentication`, not a JWT
 * 400 `Bad HTTP authentication header format`, an ID token or any other failed check 401 `Invalid token`, an
 * expired token 401 `Expired token received for JSON Web Token validation`.
 *
 * A DPoP-bound token (`cnf.jkt`) is accepted only as `Authorization: DPoP <token>` with one `DPoP` proof that passes
 * every RFC 9449 check (method, `htu` = the request's public URL, `ath`, the key's thumbprint, `iat`, not replayed:
 * one replay cache per authenticator); the DPoP scheme needs a bound token. Those refusals are 401 with the
 * contract's reason as `errorCode` and a `WWW-Authenticate: DPoP` challenge.
 * @throws ManagementApiError
 */
export function createManagementAuthenticator({
  issuer,
  audience,
  jwks,
  now,
}: ManagementAuthenticatorOptions) {
  const keys = createLocalJWKSet(jwks);
  const replay = new DpopReplayCache({ maxEntries: REPLAY_CACHE_ENTRIES });

  const verifiedPayload = async (token: string): Promise<JWTPayload> => {
    try {
      return (
        await jwtVerify(token, keys, {
          issuer,
          audience,
          algorithms: ['RS256'],
          currentDate: new Date(now()),
        })
      ).payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw invalidToken('Expired token received for JSON Web Token validation');
      }
      if (error instanceof errors.JOSEError) throw invalidToken();
      throw error;
    }
  };

  const checkProof = async (request: ManagementRequest, token: string, jkt: string): Promise<void> => {
    try {
      await verifyDpopProof({
        proof: request.dpop,
        method: request.method,
        url: request.url,
        accessToken: token,
        expectedJkt: jkt,
        now: now(),
        algorithms: MANAGEMENT_DPOP_ALGORITHMS,
        maxAgeSeconds: MANAGEMENT_DPOP_MAX_AGE_SECONDS,
        replay,
      });
    } catch (error) {
      if (error instanceof DpopProofError) {
        throw dpopRefusal(error.reason, error.detail, DPOP_FIXES[error.reason]);
      }
      throw error;
    }
  };

  return async function authenticate(request: ManagementRequest): Promise<ManagementCaller> {
    const { authorization } = request;
    if (authorization === undefined || authorization.trim() === '') {
      throw new ManagementApiError(401, 'Missing authentication');
    }
    const match = AUTHORIZATION.exec(authorization);
    const scheme = match?.[1]?.toLowerCase();
    const token = match?.[2];
    if (token === undefined || token.split('.').length !== 3) throw badHeaderFormat();

    const payload = await verifiedPayload(token);
    if (typeof payload.sub !== 'string' || payload.sub === '') throw invalidToken();
    const jkt = boundKey(payload);
    if (scheme === 'bearer' && jkt !== undefined) {
      throw dpopRefusal(
        'key_bound_token',
        'The access token is DPoP-bound (cnf.jkt) and was sent as Bearer.',
        'Send it as "Authorization: DPoP <token>" with a DPoP header holding a proof made for this request by the key it is bound to.',
      );
    }
    if (scheme === 'dpop') {
      if (jkt === undefined) {
        throw dpopRefusal(
          'dpop_token_not_bound',
          'The DPoP scheme was used with an access token that is not DPoP-bound (no cnf.jkt).',
          'Send it as "Authorization: Bearer <token>", or get a bound token by sending a DPoP proof with the token request (auth0-spa-js: useDpop: true).',
        );
      }
      await checkProof(request, token, jkt);
    }
    const scope = typeof payload['scope'] === 'string' ? payload['scope'] : '';
    return {
      subject: payload.sub,
      isUser: payload['gty'] !== 'client-credentials',
      scopes: new Set(scope.split(' ').filter((value) => value !== '')),
    };
  };
}
