import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { AuthService } from '@auth0/auth0-angular';
import { managementApiAudience, type ProfilePatch } from '@sample/contract';
import { first, firstValueFrom, type Observable } from 'rxjs';
import { managementApiTokenOptions } from '../auth/auth0-config';
import { RuntimeConfig } from '../config/runtime-config';
import {
  INTERACTIVE_ERRORS,
  errorBody,
  profileViewFrom,
  retryAfterSeconds,
  sdkErrorCode,
  sdkFailure,
  type ProfileFailure,
  type ProfileOutcome,
  type ProfileSource,
} from './profile-source';

/** The part of the Management API's user object this page reads. */
interface ManagementUser {
  readonly user_id: string;
  readonly user_metadata?: unknown;
}

/**
 * Reads and edits the signed-in user's `user_metadata` straight at the tenant's Management API
 * (`GET`/`PATCH <issuer>api/v2/users/{id}`). The SDK's interceptor attaches a token for that audience with the
 * current_user scopes (`allowedList` in auth0-config.ts); it acts on the token's own `sub` only.
 */
@Injectable({ providedIn: 'root' })
export class ManagementApiProfile implements ProfileSource {
  private readonly http = inject(HttpClient);
  private readonly auth = inject(AuthService);
  private readonly config = inject(RuntimeConfig).config;

  async load(): Promise<ProfileOutcome> {
    return this.call((url) => this.http.get<ManagementUser>(url));
  }

  async save(patch: ProfilePatch): Promise<ProfileOutcome> {
    // Top-level keys merge into the stored user_metadata; null deletes one.
    return this.call((url) => this.http.patch<ManagementUser>(url, { user_metadata: patch }));
  }

  /**
   * The interactive fallback for consent_required / login_required: a pop-up at the auth server for the same
   * audience and scopes as the interceptor asks for, so its token lands in the cache entry the interceptor reads.
   * Must run inside the click handler (browsers block a pop-up opened later).
   */
  grantAccess(): Promise<ProfileFailure | null> {
    return new Promise((resolve) => {
      this.auth.getAccessTokenWithPopup(managementApiTokenOptions(this.config)).subscribe({
        next: () => resolve(null),
        error: (error: unknown) => resolve(popupFailure(error)),
      });
    });
  }

  private async call(send: (url: string) => Observable<ManagementUser>): Promise<ProfileOutcome> {
    try {
      const user = await firstValueFrom(this.auth.user$.pipe(first((candidate) => !!candidate?.sub)));
      const url = `${managementApiAudience(this.config.issuer)}users/${encodeURIComponent(user?.sub ?? '')}`;
      const body = await firstValueFrom(send(url));
      return { ok: true, profile: profileViewFrom(body.user_id, body.user_metadata) };
    } catch (error) {
      return { ok: false, failure: managementApiFailure(error) };
    }
  }
}

/** Explains a failed Management API call: an SDK error (no token), or Auth0's `{ statusCode, error, message }`. */
export function managementApiFailure(error: unknown): ProfileFailure {
  const code = sdkErrorCode(error);
  if (code !== null && INTERACTIVE_ERRORS.has(code)) {
    return {
      headline: `No token for the Management API without your help (${code}).`,
      detail:
        code === 'consent_required'
          ? 'The auth server wants you to consent to this app reading and editing your profile there (Auth0 asks on localhost, and for third-party apps).'
          : code === 'missing_refresh_token'
            ? 'No refresh token is stored for the Management API yet: get its first token interactively.'
            : 'The auth server needs you to sign in again before it issues a token for the Management API.',
      code,
      needsInteraction: true,
    };
  }
  if (!(error instanceof HttpErrorResponse)) return sdkFailure(error, code ?? 'unexpected_error');
  if (error.status === 0) {
    return {
      headline: 'No response from the Management API.',
      detail:
        "The auth server is down, or the browser blocked the call: its origin must be in the Content-Security-Policy's connect-src and allow this origin (CORS).",
      code: null,
      needsInteraction: false,
    };
  }
  const body = errorBody(error);
  const message = typeof body?.['message'] === 'string' ? body['message'] : null;
  const errorCode = typeof body?.['errorCode'] === 'string' ? body['errorCode'] : null;
  const title = typeof body?.['error'] === 'string' ? body['error'] : error.statusText;
  const retry = retryAfterSeconds(error);
  return {
    headline: `${error.status} ${title}`.trim() + (message ? `: ${message}` : '.'),
    detail: retry === null ? null : `The Management API limits calls per user: try again in ${retry} s.`,
    code: errorCode,
    needsInteraction: false,
  };
}

/** What stopped the pop-up: the user may fix it (allow pop-ups, finish the login) and try again. */
const POPUP_ERRORS: Readonly<Record<string, string>> = {
  popup_open: 'The browser blocked the pop-up: allow pop-ups for this site, then try again.',
  cancelled: 'The pop-up was closed before the auth server answered.',
  timeout: 'The pop-up did not finish in time.',
};

function popupFailure(error: unknown): ProfileFailure {
  const code = sdkErrorCode(error);
  const hint = code === null ? undefined : POPUP_ERRORS[code];
  if (hint === undefined) return managementApiFailure(error);
  return { headline: `No token from the pop-up (${code}).`, detail: hint, code, needsInteraction: true };
}
