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
    title: 'Token bound to a key sent as Bearer',
    fix: 'A token with a "cnf" claim may only be used with proof of its key: send it as "Authorization: DPoP <token>" with a DPoP proof header (RFC 9449), or request an unbound token (no DPoP proof at the token endpoint).',
  },
  dpop_required: {
    status: 401,
    error: 'invalid_token',
    title: 'This API requires DPoP',
    fix: 'Request a DPoP-bound token (useDpop in the SPA, a DPoP proof at the token endpoint) and send it as "Authorization: DPoP <token>" with a fresh DPoP proof, or set AUTH_DPOP=allowed on the API.',
  },
  dpop_disabled: {
    status: 401,
    error: null,
    title: 'DPoP is turned off on this API',
    fix: 'Send an unbound token as "Authorization: Bearer <token>", or set AUTH_DPOP=allowed on the API.',
  },
  dpop_token_not_bound: {
    status: 401,
    error: 'invalid_token',
    title: 'DPoP scheme with a token not bound to a key',
    fix: 'The token has no cnf.jkt: request it with a DPoP proof at the token endpoint (useDpop in the SDK), or send it as Bearer.',
  },
  dpop_proof_missing: {
    status: 401,
    error: 'invalid_dpop_proof',
    title: 'DPoP proof missing',
    fix: 'Send exactly one "DPoP" header with a proof made for this request (the SDK\'s generateDpopProof) beside "Authorization: DPoP <token>".',
  },
  invalid_dpop_proof: {
    status: 401,
    error: 'invalid_dpop_proof',
    title: 'Invalid DPoP proof',
    fix: 'Make a new proof for each request with the SDK: typ "dpop+jwt", an allowed asymmetric alg, the public jwk in the header, a fresh iat and jti.',
  },
  dpop_proof_replayed: {
    status: 401,
    error: 'invalid_dpop_proof',
    title: 'DPoP proof used before',
    fix: 'A proof is good for one request: make a new one (new jti) for every request, retries included.',
  },
  dpop_request_mismatch: {
    status: 401,
    error: 'invalid_dpop_proof',
    title: 'DPoP proof made for another request',
    fix: "Make the proof for this request: htm its method, htu its URL without query or fragment, as the API's public URL (API_PUBLIC_URL) spells it.",
  },
  dpop_key_mismatch: {
    status: 401,
    error: 'invalid_dpop_proof',
    title: 'DPoP proof signed with another key',
    fix: "The token is bound to another key (cnf.jkt differs from the proof key's thumbprint): a token works only on the device that requested it; get a new token there.",
  },
  dpop_token_mismatch: {
    status: 401,
    error: 'invalid_dpop_proof',
    title: 'DPoP proof made for another token',
    fix: "The proof's ath must be the SHA-256 of this access token (base64url): make the proof with the token you send.",
  },
  use_dpop_nonce: {
    status: 401,
    error: 'use_dpop_nonce',
    title: 'DPoP nonce required',
    fix: 'Make a new proof with the nonce from the "DPoP-Nonce" response header and retry once (the SDK does this on UseDpopNonceError).',
  },
  insufficient_permission: {
    status: 403,
    error: 'insufficient_scope',
    title: 'Missing permission',
    fix: 'Grant the permission to the user\'s role, enable RBAC and "Add Permissions in the Access Token" on the API in Auth0, and request the scope.',
  },
} as const satisfies Record<
  string,
  {
    status: 400 | 401 | 403;
    error:
      | 'invalid_request'
      | 'invalid_token'
      | 'insufficient_scope'
      | 'invalid_dpop_proof'
      | 'use_dpop_nonce'
      | null;
    title: string;
    fix: string;
  }
>;

/** Reason codes answered with a `WWW-Authenticate: DPoP` challenge (RFC 9449 section 7.1) rather than `Bearer`. */
export const DPOP_REASON_CODES = [
  'dpop_required',
  'dpop_token_not_bound',
  'dpop_proof_missing',
  'invalid_dpop_proof',
  'dpop_proof_replayed',
  'dpop_request_mismatch',
  'dpop_key_mismatch',
  'dpop_token_mismatch',
  'use_dpop_nonce',
] as const satisfies readonly (keyof typeof REASONS)[];

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
