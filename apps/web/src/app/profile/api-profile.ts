import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ProfilePatch, ProfileView } from '@sample/contract';
import { firstValueFrom, type Observable } from 'rxjs';
import { RuntimeConfig } from '../config/runtime-config';
import {
  errorBody,
  retryAfterSeconds,
  sdkErrorCode,
  sdkFailure,
  type ProfileFailure,
  type ProfileOutcome,
  type ProfileSource,
} from './profile-source';

/**
 * Reads and edits the profile through this app's API (`GET`/`PATCH <apiUrl>/api/me/profile`, permission
 * `edit:profile`), which calls the Management API itself with client credentials. The interceptor's
 * `<apiUrl>/api/*` entry attaches the API's access token.
 */
@Injectable({ providedIn: 'root' })
export class ApiProfile implements ProfileSource {
  private readonly http = inject(HttpClient);
  private readonly url = `${inject(RuntimeConfig).config.apiUrl}/api/me/profile`;

  load(): Promise<ProfileOutcome> {
    return this.call(this.http.get<ProfileView>(this.url));
  }

  save(patch: ProfilePatch): Promise<ProfileOutcome> {
    return this.call(this.http.patch<ProfileView>(this.url, patch));
  }

  private async call(request: Observable<ProfileView>): Promise<ProfileOutcome> {
    try {
      return { ok: true, profile: await firstValueFrom(request) };
    } catch (error) {
      return { ok: false, failure: apiFailure(error) };
    }
  }
}

/** Explains a failed call to this app's API by its problem+json `reason` and `detail`. */
export function apiFailure(error: unknown): ProfileFailure {
  if (!(error instanceof HttpErrorResponse))
    return sdkFailure(error, sdkErrorCode(error) ?? 'unexpected_error');
  if (error.status === 0) {
    return {
      headline: 'No response from the API.',
      detail:
        'The API is down, apiUrl in config.json is wrong, or the API does not allow this origin (CORS_ORIGINS).',
      code: null,
      needsInteraction: false,
    };
  }
  const body = errorBody(error);
  const reason = typeof body?.['reason'] === 'string' ? body['reason'] : null;
  const title = typeof body?.['title'] === 'string' ? body['title'] : error.statusText;
  const detail = typeof body?.['detail'] === 'string' ? body['detail'] : null;
  const retry = retryAfterSeconds(error);
  return {
    headline: `${error.status}: ${title || 'the API refused the request'}` + (reason ? ` (${reason}).` : '.'),
    detail: [detail, retry === null ? null : `Try again in ${retry} s.`].filter(Boolean).join(' ') || null,
    code: reason,
    needsInteraction: false,
  };
}
