import { issuerBase, shown } from '@sample/contract';
import { DpopProofError } from '@sample/dpop';
import { JsonWebTokenError, NotBeforeError, TokenExpiredError } from 'jsonwebtoken';
import { SigningKeyNotFoundError } from 'jwks-rsa';
import type { IncomingMessage } from 'node:http';
import type { ApiSettings } from '../config/api-settings';
import type { JwtClaims } from './access-token-user';
import { AuthProblemException } from './auth-problem.exception';
import {
  acceptedSchemes,
  authorizationHeaders,
  decodedPart,
  presentedToken,
  MAX_KID_LENGTH,
  MAX_TOKEN_LENGTH,
  TokenRefusedError,
} from './bearer-token';
import type { JwksStatus } from './jwks-key-provider';

// Why a token was refused, with the evidence and the fix: runs only once a request has failed, and reads the
// request again rather than anything the token path left behind.

/** What the diagnosis reads of the settings. */
export type DiagnosisSettings = Pick<
  ApiSettings,
  | 'issuerUrl'
  | 'audience'
  | 'algorithms'
  | 'clockToleranceSeconds'
  | 'maxTokenLifetimeSeconds'
  | 'jwksUri'
  | 'jwksCooldownMs'
  | 'dpop'
>;

/** Everything the diagnosis reads besides the error and the request. */
export interface DiagnosisContext {
  readonly settings: DiagnosisSettings;
  /** The key set now, to explain an unknown kid. */
  readonly jwks: JwksStatus;
  /** Seconds since the epoch (jsonwebtoken's clock). */
  readonly nowSeconds?: number;
}

/** jsonwebtoken 9's messages for what its errors carry no field for; token-diagnosis.spec.ts pins each. */
export const JSONWEBTOKEN_MESSAGES = {
  audience: 'jwt audience invalid. expected: ',
  issuer: 'jwt issuer invalid. expected: ',
  signature: ['invalid signature', 'jwt signature is required'],
  algorithm: /^invalid algorithm$|^"alg" parameter for "[\w-]+" key type must be one of: /,
  claimType: ['invalid exp value', 'invalid nbf value'],
} as const;

const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const SYMMETRIC_ALG = /^HS\d+$/i;
/** Claims of OpenID Connect ID tokens that access tokens do not carry. */
const ID_TOKEN_CLAIMS = ['sid', 'auth_time', 'email', 'nickname', 'name'] as const;

const when = (seconds: number): string =>
  Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : String(seconds);

/**
 * Explains why the token path refused a request, from the error it ended with (by type and fields: this API's
 * TokenRefusedError, jwks-rsa's SigningKeyNotFoundError, jsonwebtoken's TokenExpiredError, NotBeforeError and
 * JsonWebTokenError, whose other cases only its message tells) and the request itself. Never a 5xx: an error it
 * does not know becomes `malformed_token` with the error as its `cause`.
 */
export function diagnose(
  error: unknown,
  request: Pick<IncomingMessage, 'rawHeaders' | 'url'>,
  context: DiagnosisContext,
): AuthProblemException {
  const { settings } = context;
  const token = presentedToken(request, acceptedSchemes(settings.dpop.mode))?.token ?? null;
  if (token === null) return headerProblem(request, settings);
  if (error instanceof DpopProofError)
    return new AuthProblemException(error.reason, error.detail, error.evidence);
  const header = decodedPart(token, 0);
  const claims: JwtClaims = decodedPart(token, 1);
  const now = context.nowSeconds ?? Date.now() / 1000;
  if (error instanceof TokenRefusedError) return refusal(error, token, header, claims, settings, now);
  if (error instanceof SigningKeyNotFoundError) return unknownKey(header['kid'], claims, context);
  if (error instanceof TokenExpiredError) {
    const exp = error.expiredAt.getTime() / 1000;
    return new AuthProblemException(
      'token_expired',
      `The token expired at ${when(exp)} (${Math.round(now - exp)} s ago; clock tolerance ${settings.clockToleranceSeconds} s).`,
      { received: when(exp) },
    );
  }
  if (error instanceof NotBeforeError) {
    const nbf = error.date.getTime() / 1000;
    return new AuthProblemException(
      'token_not_yet_valid',
      `The token is valid from ${when(nbf)} (nbf), ${Math.round(nbf - now)} s from now; clock tolerance ${settings.clockToleranceSeconds} s. Check the clocks of the issuer and of this server.`,
      { received: when(nbf) },
    );
  }
  // jsonwebtoken throws a JsonWebTokenError, or a plain Error when the key type does not fit the alg.
  if (
    error instanceof JsonWebTokenError ||
    (error instanceof Error && JSONWEBTOKEN_MESSAGES.algorithm.test(error.message))
  ) {
    return jsonWebTokenProblem(error.message, header, claims, settings);
  }
  return new AuthProblemException(
    'malformed_token',
    'The token could not be decoded as a signed JWT.',
    {},
    error,
  );
}

function headerProblem(
  request: Pick<IncomingMessage, 'rawHeaders' | 'url'>,
  settings: DiagnosisSettings,
): AuthProblemException {
  const values = authorizationHeaders(request);
  const { mode } = settings.dpop;
  const presented = presentedToken(request);
  if (presented?.scheme === 'dpop' && mode === 'off') {
    return new AuthProblemException(
      'dpop_disabled',
      'The request uses the DPoP scheme, but DPoP is turned off on this API (AUTH_DPOP=off): it accepts "Authorization: Bearer <token>" with an unbound token only.',
      { expected: 'Bearer', received: 'DPoP' },
    );
  }
  if (presented?.scheme === 'bearer' && mode === 'required') {
    return new AuthProblemException(
      'dpop_required',
      'The request sends its token as Bearer, but this API requires DPoP (AUTH_DPOP=required): a bearer token works for whoever copied it. Send a DPoP-bound token as "Authorization: DPoP <token>" with a DPoP proof header.',
      { expected: 'DPoP', received: 'Bearer' },
    );
  }
  const accepted =
    mode === 'allowed'
      ? '"Bearer <token>" or "DPoP <token>"'
      : mode === 'off'
        ? '"Bearer <token>"'
        : '"DPoP <token>"';
  const malformed = (detail: string) => new AuthProblemException('malformed_authorization_header', detail);
  if (values.length === 0) {
    return new AuthProblemException(
      'missing_token',
      /[?&]access_token=/.test(request.url ?? '')
        ? 'The request has no Authorization header. Its access_token query parameter is ignored: this API reads tokens from the Authorization header only (query strings end up in logs and browser history).'
        : 'The request has no Authorization header.',
    );
  }
  if (values.length > 1)
    return malformed(`The request has ${values.length} Authorization headers; send exactly one.`);
  const value = (values[0] as string).trim();
  const match = /^(bearer|dpop)(?:\s+(.*))?$/is.exec(value);
  if (match === null) {
    const scheme = value.split(/\s/, 1)[0] ?? '';
    return malformed(
      scheme === ''
        ? 'The Authorization header is empty; send "Authorization: Bearer <token>".'
        : `The Authorization header uses the ${shown(scheme.slice(0, 20))} scheme; this API accepts ${accepted} only.`,
    );
  }
  const name = (match[1] as string).toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
  const credentials = (match[2] ?? '').trim();
  const parts = credentials.split(/\s+/);
  if (credentials === '') return malformed(`The Authorization header says "${name}" but carries no token.`);
  if (parts.length > 1) {
    return malformed(
      `The Authorization header must be "${name}" followed by exactly one token; it has ${parts.length} space-separated parts after "${name}".`,
    );
  }
  return malformed(
    TOKEN68.test(credentials)
      ? name === 'DPoP'
        ? 'The Authorization header must be "DPoP", a space and the token (RFC 9449).'
        : 'The Authorization header must be "Bearer", a space and the token (RFC 6750).'
      : `The ${name === 'DPoP' ? 'DPoP-bound' : 'bearer'} token contains characters a token cannot have (RFC 6750 allows letters, digits and -._~+/ with trailing =).`,
  );
}

function refusal(
  error: TokenRefusedError,
  token: string,
  header: Record<string, unknown>,
  claims: JwtClaims,
  settings: DiagnosisSettings,
  now: number,
): AuthProblemException {
  const malformed = (detail: string) => new AuthProblemException('malformed_token', detail);
  const { alg, kid } = header;
  switch (error.check) {
    case 'length':
      return malformed(
        `The token is ${token.length} characters long; this API refuses tokens over ${MAX_TOKEN_LENGTH}.`,
      );
    case 'compact_form': {
      const parts = token.split('.').length;
      const opaque =
        "Auth0 issues such opaque tokens when the authorization request has no audience. Request the token with this API's identifier as audience.";
      if (parts === 1)
        return new AuthProblemException(
          'opaque_token',
          `The token is not a JWT (it has no "." separated parts): ${opaque}`,
        );
      if (parts === 5)
        return new AuthProblemException(
          'opaque_token',
          `The token is an encrypted JWE (5 parts), not a signed JWT: ${opaque}`,
        );
      return malformed(
        `The token has ${parts} "." separated parts; a signed JWT has 3 (header.payload.signature).`,
      );
    }
    case 'header':
      return malformed('The token header is not base64url-encoded JSON with an "alg" member.');
    case 'algorithm': {
      const accepted = settings.algorithms.join(', ');
      let why = `The token is signed with ${shown(alg)}; this API accepts ${accepted} only.`;
      if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
        why = `The token is unsigned (alg "none"); this API accepts signed tokens only (${accepted}).`;
      } else if (typeof alg === 'string' && SYMMETRIC_ALG.test(alg)) {
        why += ` ${alg} uses a shared secret: an API that verifies it with the issuer's public key as the secret accepts tokens anyone can forge. In Auth0 set the API's signing algorithm to RS256.`;
      }
      return new AuthProblemException('algorithm_not_allowed', why, {
        expected: settings.algorithms,
        received: String(alg),
      });
    }
    case 'crit':
      return malformed(
        `The token header lists critical extensions ${shown(header['crit'])} this API does not understand; RFC 7515 requires such a token to be rejected.`,
      );
    case 'kid':
      return kid === undefined
        ? new AuthProblemException(
            'unknown_signing_key',
            'The token header has no "kid", so no key of the issuer\'s JWKS can be chosen. Tokens from Auth0 always carry one: was this token signed by something else?',
          )
        : malformed(`The token header's "kid" must be a string of 1 to ${MAX_KID_LENGTH} characters.`);
    case 'payload':
      return malformed('The token payload is not base64url-encoded JSON object.');
    case 'signature':
      return new AuthProblemException(
        'invalid_signature',
        'The token has no signature (its third part is empty): it was stripped or never signed.',
      );
    case 'key_algorithm':
      return new AuthProblemException(
        'algorithm_not_allowed',
        `The issuer's key ${shown(kid)} is for ${error.expected}, but the token says ${shown(alg)}.`,
        { expected: error.expected, received: String(alg) },
      );
    case 'exp':
      return malformed('The token has no numeric "exp" claim: a token that never expires is refused.');
    case 'iat':
      return malformed('The token has no numeric "iat" claim (issued at).');
    case 'iat_in_future': {
      const iat = Number(claims.iat);
      return new AuthProblemException(
        'token_not_yet_valid',
        `The token was issued at ${when(iat)} (iat), ${Math.round(iat - now)} s in the future; clock tolerance ${settings.clockToleranceSeconds} s. Check the clocks of the issuer and of this server.`,
        { received: when(iat) },
      );
    }
    case 'lifetime':
      return malformed(
        `The token lives ${Math.round(Number(claims.exp) - Number(claims.iat))} s (exp - iat); this API accepts at most ${settings.maxTokenLifetimeSeconds} s (AUTH_MAX_TOKEN_LIFETIME_SECONDS).`,
      );
    case 'sub':
      return malformed('The token has no "sub" claim.');
    case 'cnf':
      return keyBound(claims.cnf, settings);
    case 'dpop_token_not_bound': {
      const { cnf } = claims;
      return new AuthProblemException(
        'dpop_token_not_bound',
        cnf === undefined
          ? 'The token is sent with the DPoP scheme but is not bound to a key (no cnf.jkt claim): it was issued without a DPoP proof at the token endpoint. Send it as "Authorization: Bearer <token>", or request a DPoP-bound token.'
          : `The token is sent with the DPoP scheme but its cnf claim ${shown(cnf)} names no DPoP key (cnf.jkt).`,
        { expected: 'cnf.jkt', received: cnf === undefined ? null : shown(cnf) },
      );
    }
  }
}

/** A `cnf` (confirmation) claim: the token may be used only with proof of the key it names (RFC 7800). */
function keyBound(cnf: unknown, settings: DiagnosisSettings): AuthProblemException {
  const members = typeof cnf === 'object' && cnf !== null ? Object.keys(cnf) : [];
  const binding = members.includes('jkt')
    ? 'a DPoP key (cnf.jkt, RFC 9449)'
    : members.includes('x5t#S256')
      ? 'a client certificate (cnf["x5t#S256"], RFC 8705)'
      : `a key (cnf ${shown(cnf)})`;
  return new AuthProblemException(
    'key_bound_token',
    `The token is bound to ${binding}: only the holder of that key may use it, so it is never accepted as a plain Bearer token (RFC 9449 section 7.2), where anyone who copied it could. ${settings.dpop.mode === 'off' || !members.includes('jkt') ? 'This API checks no proof of possession for it.' : 'Send it as "Authorization: DPoP <token>" with a DPoP proof made for this request.'}`,
    { received: members.length > 0 ? members : shown(cnf) },
  );
}

function unknownKey(
  kid: unknown,
  claims: JwtClaims,
  { settings, jwks }: DiagnosisContext,
): AuthProblemException {
  const known = jwks.kids.slice(0, 5).map(shown).join(', ');
  let detail = `No key with kid ${shown(kid)} in the issuer's JWKS (${settings.jwksUri}`;
  detail +=
    jwks.kids.length > 0
      ? `, which has ${known}${jwks.kids.length > 5 ? ', ...' : ''}).`
      : ', no key cached).';
  if (typeof claims.iss === 'string' && claims.iss !== settings.issuerUrl) {
    detail += ` The token says it comes from ${shown(claims.iss)}, but this API trusts ${shown(settings.issuerUrl)}: a token from another tenant?`;
  }
  if (jwks.lastFailure !== null) {
    detail += ` The JWKS could not be fetched (${jwks.lastFailure}); keys cached before still work.`;
  } else if (jwks.ageMs !== null) {
    detail += ` The JWKS was fetched ${Math.round(jwks.ageMs / 1000)} s ago; an unknown kid refetches it at most every ${settings.jwksCooldownMs / 1000} s.`;
  }
  return new AuthProblemException('unknown_signing_key', detail, { received: String(kid) });
}

function jsonWebTokenProblem(
  message: string,
  header: Record<string, unknown>,
  claims: JwtClaims,
  settings: DiagnosisSettings,
): AuthProblemException {
  const { alg, kid } = header;
  const messages = JSONWEBTOKEN_MESSAGES;
  if (message.startsWith(messages.audience)) return audienceProblem(claims, settings);
  if (message.startsWith(messages.issuer)) return issuerProblem(claims, settings);
  if ((messages.signature as readonly string[]).includes(message)) {
    return new AuthProblemException(
      'invalid_signature',
      `The signature does not match the issuer's key ${shown(kid)}: the token was changed after it was signed, or signed with another key.`,
    );
  }
  if (messages.algorithm.test(message)) {
    return new AuthProblemException(
      'algorithm_not_allowed',
      `The token's algorithm ${shown(alg)} does not fit the issuer's key ${shown(kid)} or this API's list (${settings.algorithms.join(', ')}).`,
      { expected: settings.algorithms, received: String(alg) },
    );
  }
  if ((messages.claimType as readonly string[]).includes(message)) {
    return new AuthProblemException(
      'malformed_token',
      `The token's ${message.slice(8, 11)} claim is not a number of seconds.`,
    );
  }
  return new AuthProblemException('malformed_token', 'The token could not be decoded as a signed JWT.');
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** True if the claims look like an OpenID Connect ID token rather than an access token. */
export function looksLikeIdToken(claims: JwtClaims): boolean {
  if (claims.nonce !== undefined || claims.at_hash !== undefined || claims['c_hash'] !== undefined)
    return true;
  // ID tokens from a refresh carry no nonce (OIDC Core 12.2) and code-flow ones often no at_hash: an access token
  // always has scope or permissions, an ID token has neither but is for its client (aud = azp) or about a user.
  if (claims.scope !== undefined || claims.permissions !== undefined) return false;
  const forItsClient = typeof claims.aud === 'string' && claims.aud === claims.azp;
  return forItsClient || ID_TOKEN_CLAIMS.some((name) => claims[name] !== undefined);
}

function audienceProblem(claims: JwtClaims, settings: DiagnosisSettings): AuthProblemException {
  const received = strings(claims.aud);
  const evidence = {
    expected: settings.audience,
    received: received.length === 1 ? (received[0] as string) : received,
  };
  if (looksLikeIdToken(claims)) {
    return new AuthProblemException(
      'id_token_used',
      `This is an ID token (aud ${shown(claims.aud)}${claims.nonce !== undefined ? ', with a nonce' : ''}${claims.at_hash !== undefined ? ', with an at_hash' : ''}${claims.scope === undefined && claims.permissions === undefined ? ', no scope' : ''}): it tells the app who logged in. Send the access token issued for ${shown(settings.audience)} instead.`,
      evidence,
    );
  }
  let detail = `The token is for audience ${shown(claims.aud ?? null)}; this API expects ${shown(settings.audience)}.`;
  if (received.length > 0 && received.every((aud) => /\/userinfo\/?$/.test(aud))) {
    detail +=
      " Its only audience is the /userinfo URL: the token was requested without this API's identifier as audience.";
  } else if (received.some((aud) => aud.replace(/\/$/, '') === settings.audience.replace(/\/$/, ''))) {
    detail += ' They differ only by a trailing slash: identifiers are compared byte for byte.';
  }
  return new AuthProblemException('audience_mismatch', detail, evidence);
}

function issuerProblem(claims: JwtClaims, settings: DiagnosisSettings): AuthProblemException {
  const received = typeof claims.iss === 'string' ? claims.iss : null;
  let detail = `The token was issued by ${shown(claims.iss ?? null)}; this API trusts ${shown(settings.issuerUrl)} (compared byte for byte).`;
  if (received !== null && issuerBase(received) === issuerBase(settings.issuerUrl)) {
    detail += ` They differ only by the trailing slash: set AUTH_ISSUER_URL to ${shown(received)} (Auth0 issuers end with "/").`;
  }
  return new AuthProblemException('issuer_mismatch', detail, { expected: settings.issuerUrl, received });
}
