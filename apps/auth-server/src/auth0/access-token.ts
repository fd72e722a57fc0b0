import { decodeJwt } from 'jose';
import type { IssuedAccessToken, JwtStructure, KoaContext, KoaContextWithOIDC } from 'oidc-provider';
import type { Accounts } from '../accounts/accounts';
import { OIDC_SCOPES } from '../accounts/claims';
import type { TenantDirectory } from '../tenant/directory';

function scopesOf(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter((value) => value !== '');
}

/**
 * Makes JWT access tokens look like Auth0's: `azp`, RBAC `permissions` (when the API has RBAC and "Add Permissions
 * in the Access Token" on), `typ: JWT`, the OIDC scopes in `scope`, the /userinfo URL in `aud` when `openid` was
 * granted, and `<client_id>@clients` as the subject of client credentials tokens.
 */
export function createAccessTokenShape(accounts: Accounts, directory: TenantDirectory, userinfoUrl: string) {
  return {
    /** oidc-provider's `extraTokenClaims`: added to JWT access tokens, never overriding standard claims. */
    extraTokenClaims(
      _ctx: KoaContextWithOIDC,
      token: IssuedAccessToken,
    ): Record<string, unknown> | undefined {
      const api = token.resourceServer?.audience;
      if (!api) return undefined;
      const rbac = directory.api(api)?.rbac;
      const withPermissions = rbac?.enabled === true && rbac.addPermissionsToAccessToken;
      if (token.kind === 'ClientCredentials') {
        return {
          azp: token.clientId,
          gty: 'client-credentials',
          ...(withPermissions && { permissions: scopesOf(token.scope) }),
        };
      }
      return {
        azp: token.clientId,
        ...(withPermissions && {
          permissions: token.accountId ? accounts.permissions(token.accountId, api) : [],
        }),
      };
    },

    /** oidc-provider's `formats.customizers.jwt`. */
    customizeJwt(ctx: KoaContextWithOIDC, token: IssuedAccessToken, jwt: JwtStructure): void {
      // Auth0's default token profile says JWT; RFC 9068's at+jwt is its opt-in profile.
      jwt.header = { ...jwt.header, typ: 'JWT' };
      if (token.kind === 'ClientCredentials') {
        jwt.payload['sub'] = `${token.clientId}@clients`;
        return;
      }
      const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
      const oidcScopes = [...(source?.scopes ?? [])].filter((scope) => OIDC_SCOPES.has(scope));
      const scope = [...oidcScopes, ...scopesOf(token.scope)].join(' ');
      jwt.payload['scope'] = scope === '' ? undefined : scope;
      if (oidcScopes.includes('openid')) {
        // As on Auth0, the same token works at /userinfo (see auth0/userinfo.ts).
        jwt.payload['aud'] = [jwt.payload['aud'], userinfoUrl];
      }
    },
  };
}

/**
 * A `provider.use()` middleware: the token response's `scope` says what the access token's `scope` claim
 * says, OIDC scopes included, as Auth0's does (oidc-provider lists only the API's scopes there).
 */
export async function alignTokenResponseScope(ctx: KoaContext, next: () => Promise<void>): Promise<void> {
  await next();
  if (ctx.oidc?.route !== 'token' || typeof ctx.body !== 'object' || ctx.body === null) return;
  const body = ctx.body as { access_token?: unknown; scope?: unknown };
  if (typeof body.access_token !== 'string' || body.access_token.split('.').length !== 3) return;
  const scope = decodeJwt(body.access_token)['scope'];
  if (typeof scope === 'string' && scope !== '') body.scope = scope;
}
