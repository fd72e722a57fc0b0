/** Which profile claims each OIDC scope releases, in ID tokens and at /userinfo (as on Auth0). */
export const CLAIMS_BY_SCOPE = {
  openid: ['sub'],
  profile: ['name', 'nickname', 'picture', 'updated_at'],
  email: ['email', 'email_verified'],
} as const satisfies Record<string, readonly string[]>;

/** The OIDC scopes this server knows; everything else in `scope` belongs to an API. */
export const OIDC_SCOPES: ReadonlySet<string> = new Set([...Object.keys(CLAIMS_BY_SCOPE), 'offline_access']);

/** Keeps only the claims the granted scopes release. */
export function claimsForScopes(
  claims: Record<string, unknown>,
  scopes: Iterable<string>,
): Record<string, unknown> {
  const allowed = new Set<string>();
  for (const scope of scopes) {
    for (const claim of CLAIMS_BY_SCOPE[scope as keyof typeof CLAIMS_BY_SCOPE] ?? []) allowed.add(claim);
  }
  return Object.fromEntries(Object.entries(claims).filter(([claim]) => allowed.has(claim)));
}
