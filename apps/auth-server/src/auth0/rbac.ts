import type { Grant, KoaContextWithOIDC } from 'oidc-provider';
import type { Accounts } from '../accounts/accounts';
import { OIDC_SCOPES } from '../accounts/claims';
import type { TenantDirectory } from '../tenant/directory';

/**
 * oidc-provider's `loadExistingGrant` for first-party SPAs: no consent screen. The grant holds the OIDC scopes
 * asked for and, per API, the asked-for scopes the user's roles allow (every one the API defines when the API's
 * RBAC is off, as on Auth0; for the Management API only the current_user scopes, whatever the roles); the others are recorded as rejected, so the token's `scope` is limited to them and no
 * consent prompt appears (prompt=none keeps working).
 */
export function createRoleBasedGrantLoader(accounts: Accounts, directory: TenantDirectory) {
  return async function loadRoleBasedGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
    const { oidc } = ctx;
    const client = oidc.client;
    const accountId = oidc.session?.accountId;
    if (!client || !accountId || !directory.spaClient(client.clientId)) return undefined;

    const existingId = oidc.session?.grantIdFor(client.clientId);
    const existing = existingId ? await oidc.provider.Grant.find(existingId) : undefined;
    const grant =
      existing?.accountId === accountId
        ? existing
        : new oidc.provider.Grant({ accountId, clientId: client.clientId });

    const requested = String(oidc.params?.['scope'] ?? '')
      .split(' ')
      .filter((scope) => scope !== '');
    grant.addOIDCScope(requested.filter((scope) => OIDC_SCOPES.has(scope)).join(' '));
    for (const [identifier, api] of Object.entries(oidc.resourceServers)) {
      const asked = requested.filter((scope) => api.scopes.has(scope));
      const tenantApi = directory.api(identifier);
      const allowed = new Set(
        tenantApi?.userScopes ??
          (tenantApi?.rbac.enabled === false ? asked : accounts.permissions(accountId, identifier)),
      );
      grant.addResourceScope(identifier, asked.filter((scope) => allowed.has(scope)).join(' '));
      const denied = asked.filter((scope) => !allowed.has(scope));
      if (denied.length > 0) grant.rejectResourceScope(identifier, denied.join(' '));
    }
    await grant.save();
    return grant;
  };
}
