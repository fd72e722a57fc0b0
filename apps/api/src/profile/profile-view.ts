import {
  DISPLAY_NAME_MAX_LENGTH,
  THEMES,
  type ProfileMetadata,
  type ProfilePatch,
  type ProfileView,
  type Theme,
} from '@sample/contract';

/** The part of a Management API user object the profile reads. */
export interface ManagementUser {
  readonly user_id?: unknown;
  readonly user_metadata?: unknown;
}

/** A `user_metadata` change: the keys to set, and `null` for each key to delete (Management API merge rules). */
export type UserMetadataChange = { -readonly [K in keyof ProfileMetadata]?: ProfileMetadata[K] | null };

function isTheme(value: unknown): value is Theme {
  return (THEMES as readonly unknown[]).includes(value);
}

/**
 * The `user_metadata` change for a ProfilePatch: only the keys the patch names, `null` where it deletes one.
 * @example toUserMetadataChange({ theme: 'dark', displayName: null }) // { theme: 'dark', displayName: null }
 */
export function toUserMetadataChange(patch: ProfilePatch): UserMetadataChange {
  const change: UserMetadataChange = {};
  if (patch.displayName !== undefined) change.displayName = patch.displayName;
  if (patch.theme !== undefined) change.theme = patch.theme;
  return change;
}

/**
 * The ProfileView of a Management API user. Stored values that are not what the sample writes (edited in the
 * dashboard, or by another app) read as null instead of failing the request.
 * @param userId The token's `sub`, used when the answer has no `user_id`.
 */
export function toProfileView(user: ManagementUser, userId: string): ProfileView {
  const metadata =
    typeof user.user_metadata === 'object' &&
    user.user_metadata !== null &&
    !Array.isArray(user.user_metadata)
      ? (user.user_metadata as Record<string, unknown>)
      : {};
  const name = typeof metadata['displayName'] === 'string' ? metadata['displayName'].trim() : '';
  return {
    userId: typeof user.user_id === 'string' ? user.user_id : userId,
    displayName: name !== '' && name.length <= DISPLAY_NAME_MAX_LENGTH ? name : null,
    theme: isTheme(metadata['theme']) ? metadata['theme'] : null,
  };
}
