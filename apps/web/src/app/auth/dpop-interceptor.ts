import {
  HttpErrorResponse,
  HttpResponse,
  type HttpEvent,
  type HttpInterceptorFn,
  type HttpRequest,
} from '@angular/common/http';
import { inject } from '@angular/core';
import {
  Auth0ClientService,
  AuthClientConfig,
  AuthService,
  AuthState,
  type ApiRouteDefinition,
} from '@auth0/auth0-angular';
import {
  catchError,
  concatMap,
  defer,
  filter,
  map,
  of,
  switchMap,
  take,
  throwError,
  type Observable,
} from 'rxjs';
import { challengeFor } from './bearer-challenge';

/**
 * The DPoP counterpart of the SDK's `authHttpInterceptorFn` (which sends Bearer only), for the same `allowedList`:
 * gets the route's token from the SDK and, when the SDK says it is bound (`token_type` `DPoP`), sends
 * `Authorization: DPoP <token>` with a proof of this request made by the SDK's `generateDpopProof` (the SDK owns the
 * key, in IndexedDB). A token the auth server did not bind goes out as Bearer, as the SDK's own fetcher does.
 * On 401 `WWW-Authenticate: DPoP error="use_dpop_nonce"` it stores the `DPoP-Nonce` and retries once with a new
 * proof. Use it through `accessTokenInterceptorFn`, which loads and picks it when the SDK config has `useDpop: true`.
 */
export const dpopInterceptorFn: HttpInterceptorFn = (req, next) => {
  const config = inject(AuthClientConfig).get();
  const route = config.httpInterceptor?.allowedList.find((candidate) => matches(candidate, req));
  // If the URI is not in the allowedList, pass the request through untouched.
  if (!route) return next(req);

  const client = inject(Auth0ClientService);
  const auth = inject(AuthService);
  const state = inject(AuthState);
  const tokenOptions = typeof route === 'string' ? undefined : route.tokenOptions;
  const allowAnonymous = typeof route !== 'string' && route.allowAnonymous === true;
  // One nonce store entry per API origin (the SDK keeps the auth server's under its default id).
  const nonceId = new URL(req.url, location.href).origin;

  const token$: Observable<AccessToken | null> = defer(() =>
    client.getTokenSilently({ ...tokenOptions, detailedResponse: true }),
  ).pipe(
    map((response) => {
      // undefined: cacheMode 'cache-only' with nothing cached (the SDK interceptor's missing_token).
      if (!response)
        throw Object.assign(new Error('No access token in the cache'), { error: 'missing_token' });
      state.setAccessToken(response.access_token);
      return { value: response.access_token, bound: response.token_type.toLowerCase() === 'dpop' };
    }),
    catchError((error: unknown) => {
      state.refresh();
      // As the SDK interceptor: signed out, an allowAnonymous route still goes out, without a token.
      if (allowAnonymous && isAnonymousError(error)) return of(null);
      state.setError(error as Error);
      return throwError(() => error);
    }),
  );

  /** Sends the request with the token and, for a bound one, a fresh proof (with the API's last nonce, if any). */
  const send = (token: AccessToken): Observable<HttpEvent<unknown>> => {
    if (!token.bound) {
      return next(req.clone({ setHeaders: { Authorization: `Bearer ${token.value}` } }));
    }
    return auth.getDpopNonce(nonceId).pipe(
      concatMap((nonce) =>
        auth.generateDpopProof({
          url: htu(req.url),
          method: req.method,
          accessToken: token.value,
          ...(nonce ? { nonce } : {}),
        }),
      ),
      concatMap((proof) =>
        next(req.clone({ setHeaders: { Authorization: `DPoP ${token.value}`, DPoP: proof } })),
      ),
      concatMap((event) => storeNonceFrom(event, event)),
    );
  };

  /** Stores a `DPoP-Nonce` the API sent (RFC 9449 section 8.2: any response may carry the next one). */
  const storeNonceFrom = <T>(response: HttpEvent<unknown> | HttpErrorResponse, result: T): Observable<T> => {
    const nonce =
      response instanceof HttpResponse || response instanceof HttpErrorResponse
        ? response.headers.get('DPoP-Nonce')
        : null;
    return nonce ? auth.setDpopNonce(nonce, nonceId).pipe(map(() => result)) : of(result);
  };

  return auth.isLoading$.pipe(
    filter((loading) => !loading),
    take(1),
    switchMap(() => token$),
    switchMap((token) => {
      if (!token) return next(req);
      return send(token).pipe(
        catchError((error: unknown) => {
          if (!isUseDpopNonce(error)) return storeNonceFromError(error);
          // The API wants a nonce in the proof: store the one it sent, then one retry with a new proof.
          return storeNonceFrom(error, null).pipe(
            switchMap(() => send(token)),
            catchError((retryError: unknown) => storeNonceFromError(retryError)),
          );
        }),
      );
    }),
  );

  function storeNonceFromError(error: unknown): Observable<never> {
    const stored = error instanceof HttpErrorResponse ? storeNonceFrom(error, null) : of(null);
    return stored.pipe(switchMap(() => throwError(() => error)));
  }
};

interface AccessToken {
  readonly value: string;
  /** The auth server bound it to the SDK's key (`token_type` `DPoP`): it needs a proof on every call. */
  readonly bound: boolean;
}

// The SDK interceptor's list: errors that mean "no session", for which allowAnonymous sends the call without a token.
const ANONYMOUS_ERRORS = [
  'login_required',
  'consent_required',
  'missing_refresh_token',
  'interaction_required',
  'missing_token',
];

function isAnonymousError(error: unknown): boolean {
  const code = (error as { error?: unknown } | null)?.error;
  return typeof code === 'string' && ANONYMOUS_ERRORS.includes(code);
}

function isUseDpopNonce(error: unknown): error is HttpErrorResponse {
  return (
    error instanceof HttpErrorResponse &&
    error.status === 401 &&
    error.headers.has('DPoP-Nonce') &&
    challengeFor(error.headers.get('WWW-Authenticate'), 'DPoP')?.error === 'use_dpop_nonce'
  );
}

/** The allowedList match of the SDK interceptor: an exact URL (query ignored), or a prefix ending in `*`. */
function matches(route: ApiRouteDefinition, req: HttpRequest<unknown>): boolean {
  if (typeof route === 'string') return matchesUri(route, req.url);
  if (route.httpMethod && route.httpMethod !== req.method) return false;
  return route.uriMatcher ? route.uriMatcher(req.url) : matchesUri(route.uri, req.url);
}

function matchesUri(uri: string | undefined, url: string): boolean {
  if (!uri) return false;
  if (uri === withoutQuery(url)) return true;
  return uri.endsWith('*') && url.startsWith(uri.slice(0, -1));
}

function withoutQuery(url: string): string {
  return url.split(/[?#]/, 1)[0] ?? url;
}

/** The proof's `htu`: the absolute URL without query and fragment (RFC 9449 section 4.2). */
function htu(url: string): string {
  const absolute = new URL(url, location.href);
  absolute.search = '';
  absolute.hash = '';
  return absolute.href;
}
