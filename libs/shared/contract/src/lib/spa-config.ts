import * as z from 'zod/mini';
import { parseOrThrow, shown, type ConfigWarning, type ParsedConfig } from './config-error';
import { absoluteUrl, isAbsoluteHttpUrl, requiredString } from './fields';
import { DEFAULT_SPA_SCOPE } from './permissions';
import { audienceWarnings, issuerWarnings } from './warnings';

/** The SPA's runtime configuration, served as `/config.json`: one build runs against any tenant. */
export interface SpaConfig {
  /** As given to the Auth0 SDK: `your-tenant.us.auth0.com`, or a full URL such as `http://localhost:4000`. */
  readonly domain: string;
  /** The issuer this domain stands for (`https://<domain>/`): what `iss` in the tokens must be. */
  readonly issuer: string;
  readonly clientId: string;
  /** The API identifier to request tokens for; without it Auth0 returns an opaque token. */
  readonly audience: string;
  /** Space-delimited scopes to request: OIDC scopes plus the API permissions. */
  readonly scope: string;
  /** Base URL of the API, no trailing slash. */
  readonly apiUrl: string;
  /** Use refresh tokens (rotation) instead of silent authentication in an iframe. */
  readonly useRefreshTokens: boolean;
  /**
   * Sender-constrained tokens (DPoP, RFC 9449): the SDK binds the tokens to a key kept in the browser, and calls to
   * the API carry `Authorization: DPoP <token>` with a proof per request. The tenant and the API must accept DPoP.
   */
  readonly useDpop: boolean;
}

const DOMAIN_EXAMPLE = 'your-tenant.us.auth0.com';

/** `your-tenant.us.auth0.com` → `https://your-tenant.us.auth0.com/`; `http://localhost:4000` → `http://localhost:4000/`. */
function issuerFromDomain(domain: string): string {
  return /^https?:\/\//i.test(domain) ? `${new URL(domain).origin}/` : `https://${domain}/`;
}

function isDomain(value: string): boolean {
  if (/^https?:\/\//i.test(value)) {
    return isAbsoluteHttpUrl(value) && new URL(value).origin === value.replace(/\/$/, '');
  }
  // A trailing slash is a common paste from the dashboard: accepted, and dropped below.
  return /^[a-z0-9.-]+(:\d+)?\/?$/i.test(value) && isAbsoluteHttpUrl(`https://${value}`);
}

function flag(key: string, fallback: boolean) {
  return z._default(
    z.boolean({ error: (issue) => `${key} must be true or false (got ${shown(issue.input)})` }),
    fallback,
  );
}

const spaConfigSchema = z.pipe(
  z.object(
    {
      domain: requiredString('domain', DOMAIN_EXAMPLE).check(
        z.refine(isDomain, {
          error: (issue) =>
            `domain must be a tenant domain like ${DOMAIN_EXAMPLE} or a URL like http://localhost:4000, with no path (got ${shown(issue.input)})`,
          abort: true,
        }),
      ),
      clientId: requiredString('clientId', "the SPA application's Client ID"),
      audience: requiredString('audience', 'https://api.example.com (the API identifier)'),
      scope: z
        ._default(
          z.string({
            error: (issue) =>
              `scope must be a space-delimited string like ${shown(DEFAULT_SPA_SCOPE)} (got ${shown(issue.input)})`,
          }),
          DEFAULT_SPA_SCOPE,
        )
        .check(
          z.refine((scope: string) => scope.split(/\s+/).includes('openid'), {
            error: (issue) =>
              `scope must include "openid", like ${shown(DEFAULT_SPA_SCOPE)} (got ${shown(issue.input)})`,
          }),
        ),
      apiUrl: absoluteUrl('apiUrl', 'http://localhost:3000'),
      useRefreshTokens: flag('useRefreshTokens', false),
      useDpop: flag('useDpop', false),
    },
    { error: (issue) => `config.json must be a JSON object (got ${shown(issue.input)})` },
  ),
  z.transform((raw): SpaConfig => ({
    ...raw,
    domain: raw.domain.replace(/\/$/, ''),
    issuer: issuerFromDomain(raw.domain.replace(/\/$/, '')),
    scope: raw.scope.trim().split(/\s+/).join(' '),
    apiUrl: raw.apiUrl.replace(/\/+$/, ''),
  })),
);

/**
 * Validates the SPA's `/config.json`. Other members (such as the teaching layer's lab settings) are left for
 * their own parsers.
 * @throws ConfigError listing every bad field, each with the bad value and an example of a good one.
 */
export function parseSpaConfig(json: unknown): ParsedConfig<SpaConfig> {
  const config = parseOrThrow(spaConfigSchema, json, '/config.json');
  const warnings: ConfigWarning[] = [
    ...issuerWarnings('domain', config.issuer),
    ...audienceWarnings('audience', config.audience, config.clientId),
  ];
  return { config, warnings };
}
