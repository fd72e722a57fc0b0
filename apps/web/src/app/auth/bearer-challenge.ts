/**
 * The parameters of a `WWW-Authenticate` challenge for an access token: `Bearer` (RFC 6750 section 3) or `DPoP`
 * (RFC 9449 section 7.1, which reuses Bearer's parameters and adds `algs`).
 */
export interface BearerChallenge {
  readonly error?: string;
  readonly error_description?: string;
  readonly scope?: string;
  readonly realm?: string;
  /** DPoP only: the proof algorithms the server accepts, space-separated. */
  readonly algs?: string;
  readonly [param: string]: string | undefined;
}

/** One challenge of a `WWW-Authenticate` header: its scheme as sent and its parameters (names lower-cased). */
export interface AuthChallenge {
  readonly scheme: string;
  readonly params: BearerChallenge;
}

// A token (RFC 9110 section 5.6.2), optionally followed by `= value`, where value is a token or a quoted string.
const ITEM = /[\s,]*([!#$%&'*+.^_`|~0-9a-z-]+)(?:\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+)))?/giy;

/**
 * Splits a `WWW-Authenticate` header into its challenges, e.g. `DPoP error="use_dpop_nonce", algs="ES256", Bearer
 * realm="api"` into a DPoP and a Bearer challenge (a server may offer both schemes in one header).
 */
export function parseChallenges(header: string | null): AuthChallenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  if (!header) return challenges;
  ITEM.lastIndex = 0;
  for (let match = ITEM.exec(header); match; match = ITEM.exec(header)) {
    const [, name = '', quoted, bare] = match;
    const current = challenges.at(-1);
    if (quoted === undefined && bare === undefined) {
      challenges.push({ scheme: name, params: {} });
    } else if (current) {
      current.params[name.toLowerCase()] =
        quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
    }
  }
  return challenges;
}

/** The parameters of the header's challenge for `scheme` (compared case-insensitively), or null if it has none. */
export function challengeFor(header: string | null, scheme: 'Bearer' | 'DPoP'): BearerChallenge | null {
  return (
    parseChallenges(header).find((challenge) => challenge.scheme.toLowerCase() === scheme.toLowerCase())
      ?.params ?? null
  );
}

/** Parses `Bearer realm="api", error="invalid_token", error_description="..."`; null if not a Bearer challenge. */
export function parseBearerChallenge(header: string | null): BearerChallenge | null {
  return challengeFor(header, 'Bearer');
}

/**
 * The challenge that explains a refused access token, whichever scheme the request used: the DPoP or Bearer one that
 * carries an `error`, else the first of the two (a 401 for a missing token names no error). Null when neither.
 */
export function parseTokenChallenge(header: string | null): BearerChallenge | null {
  const challenges = parseChallenges(header).filter((challenge) =>
    ['bearer', 'dpop'].includes(challenge.scheme.toLowerCase()),
  );
  return (challenges.find((challenge) => challenge.params.error) ?? challenges[0])?.params ?? null;
}
