import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { AuthService } from '@auth0/auth0-angular';
import { catchError, switchMap, throwError } from 'rxjs';
import { parseBearerChallenge } from './bearer-challenge';

/**
 * Retries a request once after renewing the access token when the API answers 401 with
 * `WWW-Authenticate: Bearer error="invalid_token"` (expired or revoked before the SDK's cache noticed).
 * Put it before `authHttpInterceptorFn`, so the retry goes through the SDK and carries the new token.
 *
 * @example
 * provideHttpClient(withInterceptors([renewOnInvalidTokenFn, authHttpInterceptorFn]))
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
    parseBearerChallenge(error.headers.get('WWW-Authenticate'))?.error === 'invalid_token'
  );
}
