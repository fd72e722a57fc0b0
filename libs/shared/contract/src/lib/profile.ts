import * as z from 'zod/mini';
import { issuerBase } from './fields';

/**
 * The Management API's audience for an issuer (Auth0: `https://<tenant domain>/api/v2/`, always the tenant's own
 * domain, never a custom domain).
 */
export function managementApiAudience(issuer: string): string {
  return `${issuerBase(issuer)}api/v2/`;
}

/**
 * The only Management API scopes Auth0 grants to a user's token (from an SPA): each acts on the caller's own user.
 * Anything else (`read:users`, `update:users`) needs a backend with client credentials.
 */
export const CURRENT_USER_SCOPES = [
  'read:current_user',
  'update:current_user_metadata',
  'create:current_user_metadata',
  'delete:current_user_metadata',
  'update:current_user_identities',
  'create:current_user_device_credentials',
  'delete:current_user_device_credentials',
] as const;

/** The profile's UI preference. */
export const THEMES = ['system', 'light', 'dark'] as const;

/** One of THEMES. */
export type Theme = (typeof THEMES)[number];

/** Longest display name, in characters. */
export const DISPLAY_NAME_MAX_LENGTH = 60;

/**
 * The `user_metadata` fields the sample edits, as stored by the Management API: what the user may change about
 * themselves (never anything authorization depends on; that belongs in `app_metadata`).
 */
export interface ProfileMetadata {
  readonly displayName?: string;
  readonly theme?: Theme;
}

/** What `GET /api/me/profile` returns, and `PATCH` after the change. */
export interface ProfileView {
  /** The Management API user id: the token's `sub`. */
  readonly userId: string;
  readonly displayName: string | null;
  readonly theme: Theme | null;
}

/**
 * A change to the profile, as `PATCH /api/me/profile` (and the Management API's `user_metadata`) take it: only the
 * keys given change; `null` deletes a key.
 */
export const profilePatchSchema = z.strictObject({
  displayName: z.optional(
    z.nullable(
      z
        .string()
        .check(
          z.trim(),
          z.minLength(1, 'displayName must not be empty (send null to delete it)'),
          z.maxLength(
            DISPLAY_NAME_MAX_LENGTH,
            `displayName must be at most ${DISPLAY_NAME_MAX_LENGTH} characters`,
          ),
        ),
    ),
  ),
  theme: z.optional(z.nullable(z.enum(THEMES, { error: `theme must be one of ${THEMES.join(', ')}` }))),
});

/** A valid profile change. */
export type ProfilePatch = z.infer<typeof profilePatchSchema>;
