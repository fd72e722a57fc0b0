import type { AuthConfig } from '@auth0/auth0-angular';
import { managementApiAudience, type SpaConfig } from '@sample/contract';

/**
 * The Management API scopes the Profile page asks for: read and edit the signed-in user's own `user_metadata`.
 * The only kind Auth0 grants to an SPA (`CURRENT_USER_SCOPES`); anything more needs a backend.
 */
export const MANAGEMENT_API_SCOPE = 'read:current_user update:current_user_metadata';

/**
 * The token request for the tenant's Management API (`<issuer>api/v2/`), used by the interceptor and by the
 * interactive fallback alike, so both fill the same cache entry.
 *
 * @example inject(AuthService).getAccessTokenWithPopup(managementApiTokenOptions(config))
 */
export function managementApiTokenOptions(config: SpaConfig): {
  authorizationParams: { audience: string; scope: string };
} {
  return {
    authorizationParams: { audience: managementApiAudience(config.issuer), scope: MANAGEMENT_API_SCOPE },
  };
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
    // Sender-constrained tokens (RFC 9449): the SDK keeps a non-extractable key in IndexedDB, sends a proof with
    // every token request and gets tokens bound to that key (cnf.jkt). API calls then need a proof too, which
    // accessTokenInterceptorFn (./access-token-interceptor.ts) adds instead of the SDK's Bearer-only interceptor.
    useDpop: config.useDpop,
    // A failed login redirect (?error=...&state=...) lands on the error page, which shows error$ in plain words.
    errorPath: '/error',
    // Every API route gets the API's access token, by prefix: a new endpoint needs no edit here. allowAnonymous:
    // signed out, the call still goes out, without a token, so public routes work and protected ones get the API's
    // own 401 (missing_token), not an SDK error. The tenant's Management API (the Profile page edits the user's own
    // user_metadata there) gets a second token, for its audience and current_user scopes only; no allowAnonymous:
    // a consent_required or login_required error reaches the page, which offers the interactive fallback. Nothing
    // else gets a token (no other origin, no /config.json, no other auth-server URL).
    httpInterceptor: {
      allowedList: [
        { uri: `${config.apiUrl}/api/*`, allowAnonymous: true },
        { uri: `${managementApiAudience(config.issuer)}*`, tokenOptions: managementApiTokenOptions(config) },
      ],
    },
  };
}
