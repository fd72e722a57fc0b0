import type { Client, KoaContextWithOIDC } from 'oidc-provider';

/**
 * Registered as the `scope` extra-parameter validator, which runs after oidc-provider's scope checks.
 * oidc-provider drops `offline_access` unless `prompt=consent` is sent; Auth0 issues a refresh token whenever
 * `offline_access` is asked for and the client may use refresh tokens, which is what auth0-spa-js relies on
 * with `useRefreshTokens`. Put it back.
 */
export function keepOfflineAccess(ctx: KoaContextWithOIDC, _value: unknown, client: Client): void {
  const params = ctx.oidc.params;
  if (!params || !client.grantTypeAllowed('refresh_token')) return;
  const raw = ctx.method === 'POST' ? ctx.oidc.body?.['scope'] : ctx.query['scope'];
  if (typeof raw !== 'string' || !raw.split(' ').includes('offline_access')) return;
  const scopes = String(params['scope'] ?? '')
    .split(' ')
    .filter((scope) => scope !== '');
  if (!scopes.includes('offline_access')) params['scope'] = [...scopes, 'offline_access'].join(' ');
}
