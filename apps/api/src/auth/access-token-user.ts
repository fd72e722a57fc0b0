import type { TokenClaimsView } from '@sample/contract';
import type { JwtClaims } from './token-classifier';

/** What `request.user` holds once the access token passed every check. */
export interface AccessTokenUser extends TokenClaimsView {
  readonly iat: number;
  /** The `kid` of the key that signed the token. */
  readonly kid: string;
  /** Everything the token grants: the `permissions` array and the space-delimited `scope`, merged. */
  readonly grants: ReadonlySet<string>;
}

/** Builds the user from claims already verified (exp, iat and sub checked by checkRequiredClaims). */
export function toAccessTokenUser(claims: JwtClaims, kid: string): AccessTokenUser {
  const scope = typeof claims.scope === 'string' ? claims.scope : null;
  const permissions = Array.isArray(claims.permissions)
    ? claims.permissions.filter((item): item is string => typeof item === 'string')
    : null;
  const grants = new Set<string>(permissions ?? []);
  for (const item of scope?.split(' ') ?? []) if (item !== '') grants.add(item);
  return {
    sub: claims.sub as string,
    scope,
    permissions,
    aud: claims.aud as string | readonly string[],
    iss: claims.iss as string,
    exp: claims.exp as number,
    iat: claims.iat as number,
    kid,
    grants,
  };
}
