import type { TokenClaimsView } from '@sample/contract';

/** Claims of a JWT payload, as far as this API reads them (unverified until the signature is checked). */
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
  readonly gty?: unknown;
  readonly cnf?: unknown;
  readonly nonce?: unknown;
  readonly at_hash?: unknown;
  readonly [name: string]: unknown;
}

/** What `request.user` holds once the access token passed every check. */
export interface AccessTokenUser extends TokenClaimsView {
  readonly iat: number;
  /** A client-credentials token (Auth0's `gty: "client-credentials"`): an application acting for itself, no user. */
  readonly clientCredentials: boolean;
  /**
   * What the token grants: its `permissions`; for a client-credentials token also its space-delimited `scope` (the
   * client grant). A user token's `scope` grants nothing: with RBAC off, Auth0 puts every scope the app asks for in it.
   */
  readonly grants: ReadonlySet<string>;
  /** The `cnf.jkt` of a DPoP-bound token (checked against a proof on every request); null for an unbound one. */
  readonly jkt: string | null;
}

/** The items of a space-delimited `scope`. */
export function scopeItems(scope: string | null): string[] {
  return scope?.split(' ').filter((item) => item !== '') ?? [];
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** Builds the user from verified claims (exp, iat and sub checked by JwtStrategy.validate). */
export function toAccessTokenUser(
  claims: JwtClaims & { sub: string; exp: number; iat: number },
  jkt: string | null = null,
): AccessTokenUser {
  const scope = typeof claims.scope === 'string' ? claims.scope : null;
  const permissions = Array.isArray(claims.permissions) ? claims.permissions.filter(isString) : null;
  const clientCredentials = claims.gty === 'client-credentials';
  const grants = new Set<string>(permissions ?? []);
  if (clientCredentials) for (const item of scopeItems(scope)) grants.add(item);
  return {
    sub: claims.sub,
    scope,
    permissions,
    aud: Array.isArray(claims.aud) ? claims.aud.filter(isString) : String(claims.aud),
    iss: typeof claims.iss === 'string' ? claims.iss : '',
    exp: claims.exp,
    iat: claims.iat,
    clientCredentials,
    grants,
    jkt,
  };
}
