// What two or more of the apps (web, api, auth-server), e2e and tools share; an app's own settings live in the app.
export {
  ConfigError,
  parseOrThrow,
  shown,
  type ConfigIssue,
  type ConfigWarning,
  type ParsedConfig,
} from './lib/config-error';
export {
  absoluteUrl,
  defaultJwksUri,
  isLocalHost,
  isOrigin,
  issuerBase,
  issuerUrl,
  port,
  requiredString,
  seconds,
  unsetIfEmpty,
  wholeNumber,
} from './lib/fields';
export { audienceWarnings, issuerWarnings } from './lib/warnings';
export { parseSpaConfig, type SpaConfig } from './lib/spa-config';
export { ALL_PERMISSIONS, Permission } from './lib/permissions';
export {
  CURRENT_USER_SCOPES,
  DISPLAY_NAME_MAX_LENGTH,
  THEMES,
  managementApiAudience,
  profilePatchSchema,
  type ProfileMetadata,
  type ProfilePatch,
  type ProfileView,
  type Theme,
} from './lib/profile';
export { LOCAL_TENANT } from './lib/local-defaults';
export {
  DPOP_REASON_CODES,
  PROBLEM_JSON,
  REASONS,
  REASON_CODES,
  isReasonCode,
  type AuthProblem,
  type Message,
  type ReasonCode,
  type TokenClaimsView,
} from './lib/api-types';
