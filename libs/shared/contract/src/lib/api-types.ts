/** Body of every `/api/messages/*` response (the Auth0 "hello world" API contract). */
export interface Message {
  readonly text: string;
}

/** What `GET /api/me` returns: the claims the API saw in the validated access token. */
export interface TokenClaimsView {
  readonly sub: string;
  readonly scope: string | null;
  readonly permissions: readonly string[] | null;
  readonly aud: string | readonly string[];
  readonly iss: string;
  readonly exp: number;
}

/**
 * Stable reason codes for a rejected request. Clients switch on these, never on `detail` text.
 * Each entry: HTTP status, RFC 6750 `error` code (null when the header carries none) and the usual fix.
 */
export const REASONS = {
  missing_token: {
    status: 401,
    error: null,
    title: 'No access token',
    fix: 'Send the access token in an "Authorization: Bearer <token>" header.',
  },
  malformed_authorization_header: {
    status: 400,
    error: 'invalid_request',
    title: 'Malformed Authorization header',
    fix: 'Send exactly one header of the form "Authorization: Bearer <token>".',
  },
  opaque_token: {
    status: 401,
    error: 'invalid_token',
    title: 'Opaque access token',
    fix: 'Request the token with an audience (your API identifier); without one Auth0 issues an opaque token only /userinfo accepts.',
  },
  id_token_used: {
    status: 401,
    error: 'invalid_token',
    title: 'ID token sent instead of an access token',
    fix: 'Send the access token (getAccessTokenSilently), not the ID token: the ID token is for the app, its aud is the client id.',
  },
  audience_mismatch: {
    status: 401,
    error: 'invalid_token',
    title: 'Token is for another audience',
    fix: "Request the token with this API's identifier as audience, or set AUTH_AUDIENCE to the identifier the token was issued for.",
  },
  issuer_mismatch: {
    status: 401,
    error: 'invalid_token',
    title: 'Token from another issuer',
    fix: 'Set AUTH_ISSUER_URL to the token\'s iss byte for byte (Auth0 issuers end with "/").',
  },
  algorithm_not_allowed: {
    status: 401,
    error: 'invalid_token',
    title: 'Signature algorithm not allowed',
    fix: 'Sign access tokens with RS256 (Auth0 API settings > Signing Algorithm); never HS256 with a shared secret.',
  },
  unknown_signing_key: {
    status: 401,
    error: 'invalid_token',
    title: 'Signing key not found',
    fix: "The token's kid is not in the issuer's JWKS: check that the token comes from the configured tenant.",
  },
  invalid_signature: {
    status: 401,
    error: 'invalid_token',
    title: 'Invalid signature',
    fix: 'The token was altered or signed by someone else: get a fresh token from the authorization server.',
  },
  token_expired: {
    status: 401,
    error: 'invalid_token',
    title: 'Token expired',
    fix: 'Get a new token (getAccessTokenSilently renews it) and check the clocks of client and server.',
  },
  token_not_yet_valid: {
    status: 401,
    error: 'invalid_token',
    title: 'Token not yet valid',
    fix: "The token's nbf or iat is in the future: check the server clocks.",
  },
  malformed_token: {
    status: 401,
    error: 'invalid_token',
    title: 'Malformed token',
    fix: 'Send the access token exactly as issued: three base64url parts with the required claims (exp, iat, sub).',
  },
  key_bound_token: {
    status: 401,
    error: 'invalid_token',
    title: 'Token bound to a key',
    fix: 'This API takes plain Bearer tokens only: request the access token without DPoP or mTLS binding (no "cnf" claim), or make the API check the proof of possession (RFC 9449 for DPoP).',
  },
  insufficient_permission: {
    status: 403,
    error: 'insufficient_scope',
    title: 'Missing permission',
    fix: 'Grant the permission to the user\'s role, enable RBAC and "Add Permissions in the Access Token" on the API in Auth0, and request the scope.',
  },
} as const satisfies Record<
  string,
  { status: 400 | 401 | 403; error: string | null; title: string; fix: string }
>;

/** One of the stable reason codes above. */
export type ReasonCode = keyof typeof REASONS;

/** Every reason code, in documentation order. */
export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];

/** True if `value` is a known reason code. */
export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && Object.hasOwn(REASONS, value);
}

/** Media type of error bodies (RFC 9457). */
export const PROBLEM_JSON = 'application/problem+json';

/**
 * The API's error body (RFC 9457 problem details) with a stable `reason`.
 * Extra members carry the evidence, e.g. `expected`/`received` for a mismatch or `required` for a permission.
 */
export interface AuthProblem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly reason: ReasonCode;
  readonly fix?: string;
  readonly expected?: string | readonly string[];
  readonly received?: string | readonly string[] | null;
  readonly required?: readonly string[];
  readonly instance?: string;
}
