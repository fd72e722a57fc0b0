import { issuerBase } from '@sample/contract';
import { AuthProblemException } from './auth-problem.exception';

/** Longest accepted token, in characters: real access tokens are 1-2 KB; a huge one is refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8192;

/** Longest accepted `kid`: Auth0's are ~40 characters; a longer one is refused before any JWKS I/O. */
export const MAX_KID_LENGTH = 256;

/** Shared-secret algorithms: never accepted, whatever the configuration. */
const SYMMETRIC_ALG = /^HS\d+$/i;

const BEARER = /^bearer(?:\s+(.*))?$/is;
/** The common, valid case in one test; anything else goes through the checks that explain what is wrong. */
const SIMPLE_BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9\-._~+/]+=*)$/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The header of a JWS, as far as this API reads it. */
export interface JwsHeader {
  readonly alg: string;
  readonly kid?: string;
  readonly typ?: string;
  readonly crit?: unknown;
  readonly [name: string]: unknown;
}

/** Claims of a JWT payload, unverified until the signature is checked. */
export interface JwtClaims {
  readonly iss?: unknown;
  readonly sub?: unknown;
  readonly aud?: unknown;
  readonly exp?: unknown;
  readonly nbf?: unknown;
  readonly iat?: unknown;
  readonly scope?: unknown;
  readonly permissions?: unknown;
  readonly azp?: unknown;
  readonly nonce?: unknown;
  readonly at_hash?: unknown;
  readonly [name: string]: unknown;
}

/** A token that has the shape of a signed JWT this API could accept; nothing about it is verified yet. */
export interface InspectedToken {
  readonly raw: string;
  readonly header: JwsHeader & { readonly kid: string };
  readonly claims: JwtClaims;
}

/** What the classifier needs to know of the configuration. */
export interface ClassifierSettings {
  readonly issuerUrl: string;
  readonly audience: string;
  readonly algorithms: readonly string[];
  readonly clockToleranceSeconds: number;
  readonly maxTokenLifetimeSeconds: number;
}

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * Reads the bearer token from the request's Authorization header: the only place a token is taken from
 * (never the query string or the body).
 * @param rawHeaders Node's `request.rawHeaders`: Node keeps only the first of two Authorization headers in
 *   `request.headers`, so duplicates are counted here.
 * @param url The request URL, only read to explain that an `access_token` query parameter is ignored.
 * @throws AuthProblemException `missing_token` (401) or `malformed_authorization_header` (400).
 */
export function readBearerToken(rawHeaders: readonly string[], url = ''): string {
  let value: string | undefined;
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length === 13 && name.toLowerCase() === 'authorization') {
      count += 1;
      value = rawHeaders[i + 1];
    }
  }
  if (count === 0 || value === undefined) {
    const inQuery = /[?&]access_token=/.test(url);
    throw new AuthProblemException(
      'missing_token',
      inQuery
        ? 'The request has no Authorization header. Its access_token query parameter is ignored: this API reads tokens from the Authorization header only (query strings end up in logs and browser history).'
        : 'The request has no Authorization header.',
    );
  }
  if (count > 1) {
    throw new AuthProblemException(
      'malformed_authorization_header',
      `The request has ${count} Authorization headers; send exactly one.`,
    );
  }
  const simple = SIMPLE_BEARER.exec(value);
  if (simple !== null) return simple[1] as string;
  const match = BEARER.exec(value.trim());
  if (match === null) {
    const scheme = value.trim().split(/\s/, 1)[0] ?? '';
    throw new AuthProblemException(
      'malformed_authorization_header',
      scheme === ''
        ? 'The Authorization header is empty; send "Authorization: Bearer <token>".'
        : `The Authorization header uses the ${shown(scheme.slice(0, 20))} scheme; this API accepts "Bearer <token>" only.`,
    );
  }
  const credentials = (match[1] ?? '').trim();
  if (credentials === '') {
    throw new AuthProblemException(
      'malformed_authorization_header',
      'The Authorization header says "Bearer" but carries no token.',
    );
  }
  const parts = credentials.split(/\s+/);
  if (parts.length > 1) {
    throw new AuthProblemException(
      'malformed_authorization_header',
      `The Authorization header must be "Bearer" followed by exactly one token; it has ${parts.length} space-separated parts after "Bearer".`,
    );
  }
  if (!TOKEN68.test(credentials)) {
    throw new AuthProblemException(
      'malformed_authorization_header',
      'The bearer token contains characters a token cannot have (RFC 6750 allows letters, digits and -._~+/ with trailing =).',
    );
  }
  return credentials;
}

function decodeJson(segment: string): unknown {
  if (!BASE64URL.test(segment)) return undefined;
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a token's shape and header before any key lookup or signature work, so that the cheap, exact
 * diagnoses (opaque token, HS256, `alg: none`, unknown `crit`, missing `kid`) never cost JWKS I/O.
 * @throws AuthProblemException `opaque_token`, `malformed_token`, `algorithm_not_allowed`, `invalid_signature`
 *   (no signature part) or `unknown_signing_key` (no `kid`).
 */
export function inspectToken(
  token: string,
  settings: Pick<ClassifierSettings, 'algorithms'>,
): InspectedToken {
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new AuthProblemException(
      'malformed_token',
      `The token is ${token.length} characters long; this API refuses tokens over ${MAX_TOKEN_LENGTH}.`,
    );
  }
  const segments = token.split('.');
  if (segments.length === 1) {
    throw new AuthProblemException(
      'opaque_token',
      'The token is not a JWT (it has no "." separated parts): it is an opaque token, which Auth0 issues when the authorization request has no audience. Request the token with this API\'s identifier as audience.',
    );
  }
  if (segments.length === 5) {
    throw new AuthProblemException(
      'opaque_token',
      "The token is an encrypted JWE (5 parts), not a signed JWT: Auth0 issues such opaque tokens when the authorization request has no audience. Request the token with this API's identifier as audience.",
    );
  }
  if (segments.length !== 3) {
    throw new AuthProblemException(
      'malformed_token',
      `The token has ${segments.length} "." separated parts; a signed JWT has 3 (header.payload.signature).`,
    );
  }
  const [headerPart, payloadPart, signaturePart] = segments as [string, string, string];
  const header = decodeJson(headerPart);
  if (!isObject(header) || typeof header['alg'] !== 'string') {
    throw new AuthProblemException(
      'malformed_token',
      'The token header is not base64url-encoded JSON with an "alg" member.',
    );
  }
  const alg = header['alg'];
  if (!settings.algorithms.includes(alg)) {
    const accepted = settings.algorithms.join(', ');
    let why = `The token is signed with ${shown(alg)}; this API accepts ${accepted} only.`;
    if (alg.toLowerCase() === 'none') {
      why = `The token is unsigned (alg "none"); this API accepts signed tokens only (${accepted}).`;
    } else if (SYMMETRIC_ALG.test(alg)) {
      why += ` ${alg} uses a shared secret: an API that verifies it with the issuer's public key as the secret accepts tokens anyone can forge. In Auth0 set the API's signing algorithm to RS256.`;
    }
    throw new AuthProblemException('algorithm_not_allowed', why, {
      expected: settings.algorithms,
      received: alg,
    });
  }
  if (header['crit'] !== undefined) {
    throw new AuthProblemException(
      'malformed_token',
      `The token header lists critical extensions ${shown(header['crit'])} this API does not understand; RFC 7515 requires such a token to be rejected.`,
    );
  }
  const kid = header['kid'];
  if (kid === undefined) {
    throw new AuthProblemException(
      'unknown_signing_key',
      'The token header has no "kid", so no key of the issuer\'s JWKS can be chosen. Tokens from Auth0 always carry one: was this token signed by something else?',
    );
  }
  if (typeof kid !== 'string' || kid === '' || kid.length > MAX_KID_LENGTH) {
    throw new AuthProblemException(
      'malformed_token',
      `The token header's "kid" must be a string of 1 to ${MAX_KID_LENGTH} characters.`,
    );
  }
  const claims = decodeJson(payloadPart);
  if (!isObject(claims)) {
    throw new AuthProblemException(
      'malformed_token',
      'The token payload is not base64url-encoded JSON object.',
    );
  }
  if (signaturePart === '') {
    throw new AuthProblemException(
      'invalid_signature',
      'The token has no signature (its third part is empty): it was stripped or never signed.',
    );
  }
  return { raw: token, header: header as JwsHeader & { kid: string }, claims };
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
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

/** Claims of OpenID Connect ID tokens that access tokens do not carry. */
const ID_TOKEN_CLAIMS = ['sid', 'auth_time', 'email', 'nickname', 'name'] as const;

/** Explains an `aud` that does not contain this API's identifier. */
export function audienceProblem(
  claims: JwtClaims,
  settings: Pick<ClassifierSettings, 'audience'>,
): AuthProblemException {
  const received = asList(claims.aud);
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

/** Explains an `iss` that is not exactly the configured issuer. */
export function issuerProblem(
  claims: JwtClaims,
  settings: Pick<ClassifierSettings, 'issuerUrl'>,
): AuthProblemException {
  const received = typeof claims.iss === 'string' ? claims.iss : null;
  let detail = `The token was issued by ${shown(claims.iss ?? null)}; this API trusts ${shown(settings.issuerUrl)} (compared byte for byte).`;
  if (received !== null && issuerBase(received) === issuerBase(settings.issuerUrl)) {
    detail += ` They differ only by the trailing slash: set AUTH_ISSUER_URL to ${shown(received)} (Auth0 issuers end with "/").`;
  }
  return new AuthProblemException('issuer_mismatch', detail, { expected: settings.issuerUrl, received });
}

function when(seconds: number): string {
  return Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : String(seconds);
}

/**
 * Turns an error of passport-jwt / jsonwebtoken into the exact reason. jsonwebtoken checks, in this order:
 * algorithm and key type, signature, `nbf`, `exp`, `aud`, `iss`; so a token is reported expired before its
 * audience is looked at. Unknown errors become `malformed_token`: never a 5xx.
 */
export function classifyVerifyError(
  error: unknown,
  token: InspectedToken | undefined,
  settings: ClassifierSettings,
  nowSeconds: number = Date.now() / 1000,
): AuthProblemException {
  if (error instanceof AuthProblemException) return error;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  const claims = token?.claims ?? {};
  if (name === 'TokenExpiredError' && typeof claims.exp === 'number') {
    const ago = Math.round(nowSeconds - claims.exp);
    return new AuthProblemException(
      'token_expired',
      `The token expired at ${when(claims.exp)} (${ago} s ago; clock tolerance ${settings.clockToleranceSeconds} s).`,
      { received: when(claims.exp) },
    );
  }
  if (name === 'NotBeforeError' && typeof claims.nbf === 'number') {
    return new AuthProblemException(
      'token_not_yet_valid',
      `The token is valid from ${when(claims.nbf)} (nbf), ${Math.round(claims.nbf - nowSeconds)} s from now; clock tolerance ${settings.clockToleranceSeconds} s. Check the clocks of the issuer and of this server.`,
      { received: when(claims.nbf) },
    );
  }
  if (message.startsWith('jwt audience invalid')) return audienceProblem(claims, settings);
  if (message.startsWith('jwt issuer invalid')) return issuerProblem(claims, settings);
  if (message === 'invalid signature' || message === 'jwt signature is required') {
    return new AuthProblemException(
      'invalid_signature',
      `The signature does not match the issuer's key ${shown(token?.header.kid ?? null)}: the token was changed after it was signed, or signed with another key.`,
    );
  }
  if (
    message === 'invalid algorithm' ||
    /key type|asymmetric key|symmetric key|"alg" parameter/.test(message)
  ) {
    return new AuthProblemException(
      'algorithm_not_allowed',
      `The token's algorithm ${shown(token?.header.alg ?? null)} does not fit the issuer's key ${shown(token?.header.kid ?? null)} or this API's list (${settings.algorithms.join(', ')}).`,
      { expected: settings.algorithms, received: token?.header.alg ?? null },
    );
  }
  if (message === 'invalid exp value' || message === 'invalid nbf value') {
    return new AuthProblemException(
      'malformed_token',
      `The token's ${message.slice(8, 11)} claim is not a number of seconds.`,
    );
  }
  return new AuthProblemException('malformed_token', 'The token could not be decoded as a signed JWT.');
}

/**
 * Checks what jsonwebtoken lets through: a token without a numeric `exp` (accepted forever), a lifetime
 * no numeric `iat`, a lifetime over the configured cap, an `iat` in the future, a missing `sub`.
 * @throws AuthProblemException `malformed_token` or `token_not_yet_valid`.
 */
export function checkRequiredClaims(
  claims: JwtClaims,
  settings: ClassifierSettings,
  nowSeconds: number = Date.now() / 1000,
): void {
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) {
    throw new AuthProblemException(
      'malformed_token',
      'The token has no numeric "exp" claim: a token that never expires is refused.',
    );
  }
  if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) {
    throw new AuthProblemException('malformed_token', 'The token has no numeric "iat" claim (issued at).');
  }
  const tolerance = settings.clockToleranceSeconds;
  if (claims.iat > nowSeconds + tolerance) {
    throw new AuthProblemException(
      'token_not_yet_valid',
      `The token was issued at ${when(claims.iat)} (iat), ${Math.round(claims.iat - nowSeconds)} s in the future; clock tolerance ${tolerance} s. Check the clocks of the issuer and of this server.`,
      { received: when(claims.iat) },
    );
  }
  const lifetime = claims.exp - claims.iat;
  if (lifetime > settings.maxTokenLifetimeSeconds) {
    throw new AuthProblemException(
      'malformed_token',
      `The token lives ${Math.round(lifetime)} s (exp - iat); this API accepts at most ${settings.maxTokenLifetimeSeconds} s (AUTH_MAX_TOKEN_LIFETIME_SECONDS).`,
    );
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    throw new AuthProblemException('malformed_token', 'The token has no "sub" claim.');
  }
}
