import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
  type ApplicationConfig,
} from '@angular/core';
import { provideRouter, withComponentInputBinding, withDisabledInitialNavigation } from '@angular/router';
import { provideAuth0 } from '@auth0/auth0-angular';
import { routes } from './app.routes';
import { accessTokenInterceptorFn } from './auth/access-token-interceptor';
import { renewOnInvalidTokenFn } from './auth/renew-on-invalid-token';
import { provideRuntimeConfig } from './config/runtime-config';

/**
 * Auth wiring in four providers:
 * 1. `provideRuntimeConfig()` fetches and validates `/config.json` before the app starts and passes it to the
 *    SDK through `AuthClientConfig` (a bad config shows a readable error screen instead).
 * 2. `provideAuth0()` without arguments: its client factory reads that `AuthClientConfig` on first use.
 * 3. `accessTokenInterceptorFn` attaches access tokens to the `httpInterceptor.allowedList` routes only (`<apiUrl>/api/*`
 *    and the Management API): the SDK's `authHttpInterceptorFn` (Bearer), or with `useDpop` the DPoP interceptor
 *    (bound token and a proof per request); `renewOnInvalidTokenFn` (outside it) renews the token once and retries
 *    when the API says invalid_token.
 * 4. The router starts navigating only once the shell exists, i.e. once the config is valid: guards need the SDK.
 */
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    // No zone.js: signals and the SDK's observables (through toSignal) drive change detection.
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding(), withDisabledInitialNavigation()),
    provideHttpClient(withInterceptors([renewOnInvalidTokenFn, accessTokenInterceptorFn])),
    provideAuth0(),
    provideRuntimeConfig(),
  ],
};
