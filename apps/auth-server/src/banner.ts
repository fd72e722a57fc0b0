import type { Tenant, TenantApi } from './tenant/tenant';
import type { SigningKey } from './keys/signing-keys';

/** The API's RBAC Settings, as the Auth0 dashboard names them. */
function rbacOf(api: TenantApi): string {
  // The Management API: no RBAC Settings; a user's token gets the current_user scopes it asks for.
  if (api.userScopes) return 'users: the current_user scopes they ask for, no permissions claim';
  if (!api.rbac.enabled) return 'RBAC off (scope: whatever is asked for)';
  return api.rbac.addPermissionsToAccessToken
    ? 'RBAC on, permissions in token'
    : 'RBAC on, no permissions claim';
}

/** The API's sender constraining, as the Auth0 dashboard's "Token Sender-Constraining" setting says it. */
function dpopOf(api: TenantApi): string {
  if (!api.proofOfPossession) return '';
  return api.proofOfPossession.required ? '  DPoP required' : '  DPoP allowed';
}

/** What the banner says beyond the tenant: where the M2M secret comes from, whether remote access is on. */
export interface BannerNotes {
  /** E.g. `AUTH_SERVER_M2M_CLIENT_SECRET`; by default the tenant file's demo value. */
  readonly m2mSecretFrom?: string;
  readonly allowRemote?: boolean;
}

/** What the server prints at start: where it is, who can log in, which clients and APIs exist. */
export function startupBanner(
  issuer: string,
  listening: string,
  tenant: Tenant,
  keys: readonly SigningKey[],
  notes: BannerNotes = {},
): string {
  const lines = [
    '',
    'Auth0-compatible DEVELOPMENT authorization server (not for production)',
    `  issuer     ${issuer}`,
    `  listening  ${listening}`,
    `  discovery  ${new URL('.well-known/openid-configuration', issuer).href}`,
    ...(notes.allowRemote
      ? ['  remote     allowed (AUTH_SERVER_ALLOW_REMOTE=true): no demo users on the login page']
      : []),
    `  signing    kid ${keys[0]?.kid ?? '?'}${keys.length > 1 ? ` (+${keys.length - 1} older key(s) still published)` : ''}`,
    '',
    '  APIs (audience)',
    ...tenant.apis.map(
      (api) =>
        `    ${api.identifier}  scopes: ${api.scopes.join(' ') || '-'}  token lifetime: ${api.tokenLifetimeSeconds}s  ${rbacOf(api)}${dpopOf(api)}`,
    ),
    '',
    '  clients',
    ...tenant.clients.map((client) =>
      client.type === 'spa'
        ? `    ${client.clientId} (SPA)  callbacks: ${client.callbackUrls.join(', ')}`
        : `    ${client.clientId} (M2M)  secret: ${notes.m2mSecretFrom ?? 'demo value in the tenant file'}  grants: ${Object.keys(client.grants).join(', ') || '-'}`,
    ),
    '',
    '  users (demo passwords in the tenant file)',
    ...tenant.users.map((user) => `    ${user.email}  roles: ${user.roles.join(', ') || '-'}`),
    '',
  ];
  return lines.join('\n');
}
