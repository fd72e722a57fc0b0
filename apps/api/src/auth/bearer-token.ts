import type { IncomingMessage } from 'node:http';

/** Longest accepted token, in characters: real access tokens are 1-2 KB; a huge one is refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8192;

/** Longest accepted `kid`: Auth0's are ~40 characters; a longer one is refused before any JWKS I/O. */
export const MAX_KID_LENGTH = 256;

/** A check of this API's own (jsonwebtoken does the others) that refused a token; token-diagnosis.ts explains each. */
export type TokenCheck =
  | 'length'
  | 'compact_form'
  | 'header'
  | 'algorithm'
  | 'crit'
  | 'kid'
  | 'payload'
  | 'signature'
  | 'key_algorithm'
  | 'exp'
  | 'iat'
  | 'iat_in_future'
  | 'lifetime'
  | 'sub'
  | 'cnf'
  | 'dpop_token_not_bound';

/** A token refused by one of this API's checks; `expected` is what the check wanted, when the token cannot say. */
export class TokenRefusedError extends Error {
  constructor(
    readonly check: TokenCheck,
    readonly expected?: string,
  ) {
    super(`token refused by the ${check} check`);
    this.name = 'TokenRefusedError';
  }
}

/** The JWS header fields this API reads. */
export interface JwsHeader {
  readonly alg: string;
  readonly kid: string;
}

/** RFC 6750: `Bearer` (any case), one or more spaces, one b64token. */
const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9\-._~+/]+=*)$/;
/** RFC 9449 section 7.1: `DPoP` (any case, as every auth scheme), one or more spaces, one token68. */
const DPOP = /^[Dd][Pp][Oo][Pp] +([A-Za-z0-9\-._~+/]+=*)$/;

/** How a request presents its access token. */
export type TokenScheme = 'bearer' | 'dpop';

/** The access token of a request and the scheme it came with. */
export interface PresentedToken {
  readonly scheme: TokenScheme;
  readonly token: string;
}
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Every Authorization header value of a request: Node keeps only the first in `request.headers`. */
export function authorizationHeaders(request: Pick<IncomingMessage, 'rawHeaders'>): string[] {
  const values: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] as string;
    if (name.length === 13 && name.toLowerCase() === 'authorization')
      values.push(request.rawHeaders[i + 1] ?? '');
  }
  return values;
}

/**
 * passport-jwt's `jwtFromRequest`: the token of exactly one `Authorization: Bearer <token>` header, never from the
 * query string or the body; null otherwise (passport then fails, and the diagnosis says what is wrong).
 */
export function bearerTokenFrom(request: Pick<IncomingMessage, 'rawHeaders'>): string | null {
  const values = authorizationHeaders(request);
  return values.length === 1 ? (BEARER.exec(values[0] as string)?.[1] ?? null) : null;
}

/** The Authorization schemes an AUTH_DPOP mode accepts. */
export function acceptedSchemes(mode: 'allowed' | 'required' | 'off'): readonly TokenScheme[] {
  return mode === 'allowed' ? ['bearer', 'dpop'] : mode === 'off' ? ['bearer'] : ['dpop'];
}

/**
 * The token of exactly one `Authorization: Bearer <token>` or `Authorization: DPoP <token>` header, with its
 * scheme; null otherwise. Only the schemes in `schemes` count (AUTH_DPOP decides which).
 */
export function presentedToken(
  request: Pick<IncomingMessage, 'rawHeaders'>,
  schemes: readonly TokenScheme[] = ['bearer', 'dpop'],
): PresentedToken | null {
  const values = authorizationHeaders(request);
  if (values.length !== 1) return null;
  const value = values[0] as string;
  const bearer = schemes.includes('bearer') ? BEARER.exec(value)?.[1] : undefined;
  if (bearer !== undefined) return { scheme: 'bearer', token: bearer };
  const dpop = schemes.includes('dpop') ? DPOP.exec(value)?.[1] : undefined;
  return dpop === undefined ? null : { scheme: 'dpop', token: dpop };
}

/** Where presentedTokenOf keeps its answer on the request (the schemes it was worked out for, and the token). */
const PRESENTED = Symbol('presentedToken');

/** A request as presentedTokenOf sees it. */
type TokenRequest = Pick<IncomingMessage, 'rawHeaders'> & {
  [PRESENTED]?: { readonly schemes: readonly TokenScheme[]; readonly presented: PresentedToken | null };
};

/**
 * presentedToken, worked out once per request: the guard, passport-jwt's `jwtFromRequest` and the strategy's
 * `validate()` each need it, and a request's headers do not change on its way through them.
 */
export function presentedTokenOf(
  request: TokenRequest,
  schemes: readonly TokenScheme[],
): PresentedToken | null {
  const known = request[PRESENTED];
  if (known !== undefined && known.schemes === schemes) return known.presented;
  const presented = presentedToken(request, schemes);
  request[PRESENTED] = { schemes, presented };
  return presented;
}

/** Every value of a header (lower-case `name`) in a request, in order: Node joins repeated unknown headers. */
export function headerValues(request: Pick<IncomingMessage, 'rawHeaders'>, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const key = request.rawHeaders[i] as string;
    if (key.length === name.length && key.toLowerCase() === name)
      values.push(request.rawHeaders[i + 1] ?? '');
  }
  return values;
}

/** A base64url JSON segment, or undefined when it is not one. */
function decodeSegment(segment: string): unknown {
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

/** The decoded, unverified header (0) or payload (1) of a token; empty when that part is not a JSON object. */
export function decodedPart(token: string, part: 0 | 1): Record<string, unknown> {
  const value = decodeSegment(token.split('.', 2)[part] ?? '');
  return isObject(value) ? value : {};
}

/**
 * The cheap checks that need no key, so that a bad token never costs JWKS I/O: length, a signed JWT's shape, an
 * allowed `alg` (never `none` or HS*), no `crit` (RFC 7515: refuse what is not understood), a `kid`, a JSON payload.
 * @returns the header's `alg` and `kid`.
 * @throws TokenRefusedError naming the failed check.
 */
export function checkJwsHeader(token: string, algorithms: readonly string[]): JwsHeader {
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenRefusedError('length');
  const segments = token.split('.');
  if (segments.length !== 3) throw new TokenRefusedError('compact_form');
  const [headerPart, payloadPart, signature] = segments as [string, string, string];
  const header = decodeSegment(headerPart);
  const alg = isObject(header) ? header['alg'] : undefined;
  if (!isObject(header) || typeof alg !== 'string') throw new TokenRefusedError('header');
  if (!algorithms.includes(alg)) throw new TokenRefusedError('algorithm');
  if (header['crit'] !== undefined) throw new TokenRefusedError('crit');
  const kid = header['kid'];
  if (typeof kid !== 'string' || kid === '' || kid.length > MAX_KID_LENGTH)
    throw new TokenRefusedError('kid');
  if (!isObject(decodeSegment(payloadPart))) throw new TokenRefusedError('payload');
  if (signature === '') throw new TokenRefusedError('signature');
  return { alg, kid };
}
