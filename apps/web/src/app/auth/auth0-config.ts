import type { AuthConfig } from '@auth0/auth0-angular';
import type { SpaConfig } from '@sample/contract';

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
    // Every API route gets the access token, by prefix: a new endpoint needs no edit here. Nothing else does (no other
    // origin, no /config.json, no auth-server URL). allowAnonymous: signed out, the call still goes out, without a
    // token, so public routes work and protected ones get the API's own 401 (missing_token), not an SDK error.
    httpInterceptor: { allowedList: [{ uri: `${config.apiUrl}/api/*`, allowAnonymous: true }] },
  };
}
