import { shown, type ConfigWarning } from './config-error';
import { isLocalHost } from './fields';

/** Auth0 client ids are 32 letters and digits; an API identifier is usually a URL. */
const AUTH0_CLIENT_ID = /^[A-Za-z0-9]{32}$/;

/** A warning about an issuer URL, with `code` naming the mistake so a tool can weigh it without reading the text. */
export interface IssuerWarning extends ConfigWarning {
  /** `issuer_without_trailing_slash`: every Auth0 token fails with issuer_mismatch; `plain_http`: keys travel unprotected. */
  readonly code: 'issuer_without_trailing_slash' | 'plain_http';
}

/**
 * Warnings for an issuer URL (or an SPA domain turned into one): the trailing-slash mismatch on Auth0 hosts, and
 * plain http to a non-local host.
 * @example const slash = issuerWarnings('AUTH_ISSUER_URL', issuer).find((w) => w.code === 'issuer_without_trailing_slash');
 */
export function issuerWarnings(key: string, issuer: string): IssuerWarning[] {
  const url = new URL(issuer);
  const warnings: IssuerWarning[] = [];
  if (/\.auth0\.com$/i.test(url.hostname) && !issuer.endsWith('/')) {
    warnings.push({
      key,
      code: 'issuer_without_trailing_slash',
      message: `${key} ${shown(issuer)} has no trailing slash, but Auth0 tokens carry iss "${issuer}/": every token will fail with issuer_mismatch. Use ${shown(`${issuer}/`)}.`,
    });
  }
  if (url.protocol === 'http:' && !isLocalHost(url.hostname)) {
    warnings.push({
      key,
      code: 'plain_http',
      message: `${key} ${shown(issuer)} uses plain http on a non-local host: tokens and keys travel unprotected. Use https.`,
    });
  }
  return warnings;
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
