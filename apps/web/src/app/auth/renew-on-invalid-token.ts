import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { AuthService } from '@auth0/auth0-angular';
import { catchError, switchMap, throwError } from 'rxjs';
import { parseTokenChallenge } from './bearer-challenge';

/**
 * Retries a request once after renewing the access token when the API answers 401 with
 * `WWW-Authenticate: Bearer error="invalid_token"` (or `DPoP error="invalid_token"`: expired or revoked before the
 * SDK's cache noticed). Put it before the interceptor that attaches tokens, so the retry carries the new token (and,
 * with DPoP, a new proof).
 *
 * @example
 * provideHttpClient(withInterceptors([renewOnInvalidTokenFn, accessTokenInterceptorFn]))
 */
export const renewOnInvalidTokenFn: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthService);
  return next(req).pipe(
    catchError((error: unknown) => {
      if (!isInvalidTokenChallenge(error)) return throwError(() => error);
      // cacheMode 'off' skips the cached token the API just refused; the retry below reads the new one.
      return auth.getAccessTokenSilently({ cacheMode: 'off' }).pipe(
        catchError(() => throwError(() => error)),
        switchMap(() => next(req)),
      );
    }),
  );
};

function isInvalidTokenChallenge(error: unknown): boolean {
  return (
    error instanceof HttpErrorResponse &&
    error.status === 401 &&
    parseTokenChallenge(error.headers.get('WWW-Authenticate'))?.error === 'invalid_token'
  );
}
