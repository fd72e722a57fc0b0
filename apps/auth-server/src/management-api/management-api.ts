import { CURRENT_USER_SCOPES, ConfigError, managementApiAudience } from '@sample/contract';
import type { Tenant, TenantApi } from '../tenant/tenant';

/**
 * How the tenant file names the Management API, whose identifier depends on the issuer: a grant key
 * `"{issuer}api/v2/"` is replaced with `<issuer>api/v2/` once the issuer is known.
 */
export const MANAGEMENT_API_PLACEHOLDER = '{issuer}api/v2/';

/** The scopes only a client-credentials grant can give (Auth0's dashboard: the M2M app's Management API grant). */
export const MANAGEMENT_API_CLIENT_SCOPES = [
  'read:users',
  'update:users',
  'update:users_app_metadata',
] as const;

/** Every scope this emulation of the Management API defines: the current_user ones and the client ones. */
export const MANAGEMENT_API_SCOPES: readonly string[] = [
  ...CURRENT_USER_SCOPES,
  ...MANAGEMENT_API_CLIENT_SCOPES,
];

/** Auth0's default lifetime of Management API tokens: 24 hours. */
export const MANAGEMENT_API_TOKEN_LIFETIME_SECONDS = 86_400;

/**
 * The Management API as a built-in API of the tenant, as every Auth0 tenant has it. A user's token gets only the
 * current_user scopes it asks for (anything else is silently left out) and no `permissions` claim.
 */
export function managementApi(issuer: string): TenantApi {
  return {
    name: 'Auth0 Management API',
    identifier: managementApiAudience(issuer),
    scopes: MANAGEMENT_API_SCOPES,
    tokenLifetimeSeconds: MANAGEMENT_API_TOKEN_LIFETIME_SECONDS,
    rbac: { enabled: false, addPermissionsToAccessToken: false },
    userScopes: CURRENT_USER_SCOPES,
  };
}

/**
 * The tenant as the server runs it: the Management API added to its APIs, and the `"{issuer}api/v2/"` grants of
 * M2M clients given the real identifier.
 * @throws ConfigError when the tenant file defines an API with the Management API's identifier itself.
 */
export function withManagementApi(tenant: Tenant, issuer: string): Tenant {
  const api = managementApi(issuer);
  if (tenant.apis.some((candidate) => candidate.identifier === api.identifier)) {
    throw new ConfigError('Tenant file', [
      {
        key: 'apis',
        message: `apis: ${JSON.stringify(api.identifier)} is the built-in Management API of this issuer: remove it from apis and grant it to an M2M client as "${MANAGEMENT_API_PLACEHOLDER}"`,
      },
    ]);
  }
  return {
    ...tenant,
    apis: [...tenant.apis, api],
    clients: tenant.clients.map((client) =>
      client.type === 'm2m' && MANAGEMENT_API_PLACEHOLDER in client.grants
        ? {
            ...client,
            grants: Object.fromEntries(
              Object.entries(client.grants).map(([identifier, scopes]) => [
                identifier === MANAGEMENT_API_PLACEHOLDER ? api.identifier : identifier,
                scopes,
              ]),
            ),
          }
        : client,
    ),
  };
}
