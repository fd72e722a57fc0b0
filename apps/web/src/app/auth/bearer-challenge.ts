/** The parameters of a `WWW-Authenticate: Bearer ...` challenge (RFC 6750 section 3). */
export interface BearerChallenge {
  readonly error?: string;
  readonly error_description?: string;
  readonly scope?: string;
  readonly realm?: string;
  readonly [param: string]: string | undefined;
}

/** Parses `Bearer realm="api", error="invalid_token", error_description="..."`; null if not a Bearer challenge. */
export function parseBearerChallenge(header: string | null): BearerChallenge | null {
  if (!header || !/^\s*Bearer\b/i.test(header)) return null;
  const params: Record<string, string> = {};
  const pattern = /([a-z_][a-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi;
  for (const match of header.replace(/^\s*Bearer\s*/i, '').matchAll(pattern)) {
    const [, key, quoted, bare] = match;
    if (key) params[key.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
  }
  return params;
}
