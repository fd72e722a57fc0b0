export { ConfigError, type ConfigIssue, type ConfigWarning, type ParsedConfig } from './lib/config-error';
export { defaultJwksUri, isAbsoluteHttpUrl, isLocalHost, isOrigin, issuerBase } from './lib/fields';
export {
  ASYMMETRIC_ALGORITHMS,
  parseApiConfig,
  type ApiConfig,
  type AsymmetricAlgorithm,
  type DiagnosticsLevel,
} from './lib/api-config';
export { issuerFromDomain, parseSpaConfig, type SpaConfig } from './lib/spa-config';
export { parseAuthServerConfig, type AuthServerConfig } from './lib/auth-server-config';
export { audienceWarnings, issuerSlashWarning, issuerWarnings, plainHttpWarning } from './lib/warnings';
export { ALL_PERMISSIONS, DEFAULT_SPA_SCOPE, OIDC_SCOPES, Permission, isPermission } from './lib/permissions';
export { LOCAL_TENANT } from './lib/local-defaults';
export {
  API_ROUTES,
  API_ROUTE_ACCESS,
  apiAllowedList,
  matchAllowedList,
  type AllowedListEntry,
  type ApiRoute,
  type RouteAccess,
} from './lib/api-routes';
export {
  PROBLEM_JSON,
  REASONS,
  REASON_CODES,
  isReasonCode,
  type AuthProblem,
  type Message,
  type ReasonCode,
  type TokenClaimsView,
} from './lib/api-types';
export {
  formatTenantPath,
  parseTenant,
  type Tenant,
  type TenantApi,
  type TenantClient,
  type TenantM2mClient,
  type TenantRole,
  type TenantSpaClient,
  type TenantUser,
} from './lib/tenant';
