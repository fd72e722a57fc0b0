import type { HttpInterceptorFn } from '@angular/common/http';
import { Injector, inject, runInInjectionContext } from '@angular/core';
import { AuthClientConfig, authHttpInterceptorFn } from '@auth0/auth0-angular';
import { from, switchMap } from 'rxjs';

/**
 * Attaches access tokens to the SDK's `httpInterceptor.allowedList` routes, in the scheme the SDK config asks for:
 * with `useDpop` off, the SDK's own `authHttpInterceptorFn` (`Authorization: Bearer`); with it on,
 * `dpopInterceptorFn` (`./dpop-interceptor.ts`). One of the two runs per request, so a route never gets both.
 *
 * @example
 * provideHttpClient(withInterceptors([renewOnInvalidTokenFn, accessTokenInterceptorFn]))
 */
export const accessTokenInterceptorFn: HttpInterceptorFn = (req, next) => {
  if (!inject(AuthClientConfig).get().useDpop) return authHttpInterceptorFn(req, next);
  const injector = inject(Injector);
  // A lazy chunk: apps with useDpop off never load the DPoP code, and the initial bundle keeps its budget.
  return from(import('./dpop-interceptor')).pipe(
    switchMap(({ dpopInterceptorFn }) => runInInjectionContext(injector, () => dpopInterceptorFn(req, next))),
  );
};
