import { shown, type ConfigWarning } from './config-error';
import { isLocalHost } from './fields';

/** Auth0 client ids are 32 letters and digits; an API identifier is usually a URL. */
const AUTH0_CLIENT_ID = /^[A-Za-z0-9]{32}$/;

/** The trailing-slash mismatch: an issuer on `*.auth0.com` without the `/` Auth0 puts at the end of `iss`. */
export function issuerSlashWarning(key: string, issuer: string): ConfigWarning | undefined {
  return /\.auth0\.com$/i.test(new URL(issuer).hostname) && !issuer.endsWith('/')
    ? {
        key,
        message: `${key} ${shown(issuer)} has no trailing slash, but Auth0 tokens carry iss "${issuer}/": every token will fail with issuer_mismatch. Use ${shown(`${issuer}/`)}.`,
      }
    : undefined;
}

/** Plain http to an issuer that is not on this machine. */
export function plainHttpWarning(key: string, issuer: string): ConfigWarning | undefined {
  const url = new URL(issuer);
  return url.protocol === 'http:' && !isLocalHost(url.hostname)
    ? {
        key,
        message: `${key} ${shown(issuer)} uses plain http on a non-local host: tokens and keys travel unprotected. Use https.`,
      }
    : undefined;
}

/**
 * Warnings for an issuer URL (or an SPA domain turned into one): the trailing-slash mismatch on
 * Auth0 hosts, and plain http to a non-local host.
 */
export function issuerWarnings(key: string, issuer: string): ConfigWarning[] {
  return [issuerSlashWarning(key, issuer), plainHttpWarning(key, issuer)].filter(
    (warning) => warning !== undefined,
  );
}

/** Warnings for an audience: a client id (that is the ID token's aud) or the /userinfo URL. */
export function audienceWarnings(key: string, audience: string, clientId?: string): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  if (clientId !== undefined ? audience === clientId : AUTH0_CLIENT_ID.test(audience)) {
    warnings.push({
      key,
      message: `${key} ${shown(audience)} ${clientId !== undefined ? 'equals the client id' : 'looks like an Auth0 client id'}: that is the ID token's aud. Use the API identifier from Auth0 > Applications > APIs, like https://api.example.com.`,
    });
  }
  if (/\/userinfo\/?$/i.test(audience)) {
    warnings.push({
      key,
      message: `${key} ${shown(audience)} is the /userinfo URL, which Auth0 adds to aud by itself. Use your API's identifier, like https://api.example.com.`,
    });
  }
  return warnings;
}
