import type { AuthConfig, HttpInterceptorRouteConfig } from '@auth0/auth0-angular';
import type { SpaConfig } from '@sample/contract';

/** The API routes this SPA calls, relative to `apiUrl`. */
export const API_ROUTES = {
  public: '/api/messages/public',
  protected: '/api/messages/protected',
  admin: '/api/messages/admin',
  me: '/api/me',
} as const;

/** One of the API routes above. */
export type ApiRoute = keyof typeof API_ROUTES;

/**
 * The interceptor's `allowedList`: exactly the API URLs that get an access token, and nothing else
 * (no other origin, no `/config.json`, no auth-server URL ever sees it).
 */
export function apiAllowedList(apiUrl: string): HttpInterceptorRouteConfig[] {
  return [
    // Public: allowAnonymous lets a signed-out call go out without a token instead of failing with login_required.
    { uri: `${apiUrl}${API_ROUTES.public}`, allowAnonymous: true },
    // Protected routes: the SDK gets a token for the configured audience (from its cache, or silently).
    { uri: `${apiUrl}${API_ROUTES.protected}` },
    { uri: `${apiUrl}${API_ROUTES.admin}` },
    { uri: `${apiUrl}${API_ROUTES.me}` },
  ];
}

/**
 * Turns the validated `/config.json` into the Auth0 SDK's configuration.
 *
 * @param config The SPA config from the shared contract.
 * @param origin This app's origin (`window.location.origin`): the login callback and logout return URL.
 *
 * @example
 * inject(AuthClientConfig).set(auth0ConfigFor(config, window.location.origin));
 */
export function auth0ConfigFor(config: SpaConfig, origin: string): AuthConfig {
  return {
    // A bare tenant domain (Auth0) or a full URL (the local auth server); the SDK derives the issuer from it.
    domain: config.domain,
    clientId: config.clientId,
    authorizationParams: {
      // Without an audience Auth0 issues an opaque access token that no API can validate.
      audience: config.audience,
      // OIDC scopes for the ID token plus the API permissions the access token should carry.
      scope: config.scope,
      // Must be an "Allowed Callback URL" of the application; the SDK completes the login here.
      redirect_uri: origin,
    },
    // Secure default: tokens stay in memory; after a reload the SDK renews the session silently in a hidden
    // iframe (prompt=none) using the auth server's session cookie. Refresh tokens replace that iframe where
    // third-party cookies are blocked; they then live in localStorage (a memory cache would lose them on reload),
    // which trades XSS exposure for not depending on cookies. Rotation must be on at the tenant.
    useRefreshTokens: config.useRefreshTokens,
    cacheLocation: config.useRefreshTokens ? 'localstorage' : 'memory',
    // A failed login redirect (?error=...&state=...) lands on the error page, which shows error$ in plain words.
    errorPath: '/error',
    httpInterceptor: { allowedList: apiAllowedList(config.apiUrl) },
  };
}
