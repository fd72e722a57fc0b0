import { HttpErrorResponse } from '@angular/common/http';
import { THEMES, type ProfilePatch, type ProfileView, type Theme } from '@sample/contract';

/** Why a profile call failed, in plain words. */
export interface ProfileFailure {
  /** One line: status and what went wrong. */
  readonly headline: string;
  readonly detail: string | null;
  /** The stable code to look up: the API's `reason`, the Management API's `errorCode`, or the SDK's `error`. */
  readonly code: string | null;
  /** The token needs the user (consent or a new login): the page offers the interactive fallback. */
  readonly needsInteraction: boolean;
}

/** A profile call's outcome; sources never reject. */
export type ProfileOutcome =
  | { readonly ok: true; readonly profile: ProfileView }
  | { readonly ok: false; readonly failure: ProfileFailure };

/** One way to read and edit the user's `user_metadata`: the Management API directly, or this app's API. */
export interface ProfileSource {
  load(): Promise<ProfileOutcome>;
  save(patch: ProfilePatch): Promise<ProfileOutcome>;
  /** Gets the token interactively after a failure with `needsInteraction`; resolves with a failure, or null. */
  grantAccess?(): Promise<ProfileFailure | null>;
}

/**
 * SDK errors that only the user can resolve: no silent token until they consent or log in again. With refresh
 * tokens, a second audience has none stored yet (missing_refresh_token) until an interactive request gets one.
 */
export const INTERACTIVE_ERRORS: ReadonlySet<string> = new Set([
  'consent_required',
  'login_required',
  'interaction_required',
  'missing_refresh_token',
]);

/**
 * The profile fields of a stored `user_metadata`: values the contract does not allow (set by another app, say) are
 * ignored rather than shown or trusted.
 */
export function profileViewFrom(userId: string, metadata: unknown): ProfileView {
  const record =
    typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>) : {};
  const displayName = record['displayName'];
  const theme = record['theme'];
  return {
    userId,
    displayName: typeof displayName === 'string' && displayName.trim() !== '' ? displayName : null,
    theme: THEMES.includes(theme as Theme) ? (theme as Theme) : null,
  };
}

/** The SDK's error code (`error` field of auth0-spa-js errors), or null for anything else. */
export function sdkErrorCode(error: unknown): string | null {
  if (error instanceof HttpErrorResponse || typeof error !== 'object' || error === null) return null;
  const code = (error as { error?: unknown }).error;
  return typeof code === 'string' ? code : null;
}

/** A failure for an SDK error: no token, so no request was sent. */
export function sdkFailure(error: unknown, code: string): ProfileFailure {
  const details = error as { error_description?: unknown; message?: unknown };
  const description =
    typeof details.error_description === 'string'
      ? details.error_description
      : typeof details.message === 'string'
        ? details.message
        : null;
  return {
    headline: `No request sent: the SDK could not get a token (${code}).`,
    detail: description,
    code,
    needsInteraction: false,
  };
}

/** The body of an error response as an object: JSON that arrived as text is parsed. */
export function errorBody(error: HttpErrorResponse): Record<string, unknown> | null {
  let body: unknown = error.error;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return null;
    }
  }
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : null;
}

/** `Retry-After` in seconds, when the response carries one the browser may read. */
export function retryAfterSeconds(error: HttpErrorResponse): number | null {
  const value = Number(error.headers.get('Retry-After'));
  return Number.isFinite(value) && value > 0 ? value : null;
}
