/**
 * Permissions the API checks and the SPA requests. In an Auth0 tenant these are the API's permissions
 * (RBAC on, "Add Permissions in the Access Token" on), granted to users through roles.
 */
export const Permission = {
  /**
   * Marks a reader: requested by the SPA and granted by the reader and admin roles. The sample's protected route
   * needs any valid token only (Auth0's hello-world contract); require it with `@RequirePermissions` where needed.
   */
  ReadMessages: 'read:messages',
  /** Read the admin message. */
  ReadAdminMessages: 'read:admin-messages',
  /** Read and change your own profile through the API (`/api/me/profile`), which edits your `user_metadata`. */
  EditProfile: 'edit:profile',
} as const;

/** One of the permission strings above. */
export type Permission = (typeof Permission)[keyof typeof Permission];

/** Every permission this API defines. */
export const ALL_PERMISSIONS: readonly Permission[] = Object.values(Permission);

/** OpenID Connect scopes the SPA asks for besides the API's permissions. */
const OIDC_SCOPES = ['openid', 'profile', 'email'] as const;

/** The `scope` the SPA requests by default: OIDC scopes plus every API permission. */
export const DEFAULT_SPA_SCOPE = [...OIDC_SCOPES, ...ALL_PERMISSIONS].join(' ');
