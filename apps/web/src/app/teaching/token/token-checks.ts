import { ALL_PERMISSIONS, type SpaConfig } from '@sample/contract';
import type { DecodedToken } from './decoded-token';

/** One finding about a token, checked against the app's configuration. */
export interface TokenCheck {
  /** The claim or header the check is about (`aud`, `exp`, `alg`...), highlighted in the decoded view. */
  readonly claim: string;
  readonly status: 'ok' | 'warn' | 'fail' | 'info';
  readonly text: string;
}

/** Claims worth highlighting in a decoded token. */
export const KEY_CLAIMS = [
  'aud',
  'iss',
  'exp',
  'scope',
  'permissions',
  'azp',
  'sub',
  'alg',
  'kid',
  'typ',
  'cnf',
] as const;

const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$/;

function audiences(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/** `1h 02m 05s` style duration. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.abs(Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${String(rest).padStart(2, '0')}s`;
  if (m > 0) return `${m}m ${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

function headerChecks(header: Readonly<Record<string, unknown>>): TokenCheck[] {
  const alg = header['alg'];
  const checks: TokenCheck[] = [];
  if (typeof alg === 'string' && ASYMMETRIC.test(alg)) {
    checks.push({
      claim: 'alg',
      status: 'ok',
      text: `${alg}: signed with the issuer's private key, verifiable with its public JWKS.`,
    });
  } else if (alg === 'none') {
    checks.push({ claim: 'alg', status: 'fail', text: '"none": unsigned. No API may accept this.' });
  } else {
    checks.push({
      claim: 'alg',
      status: 'warn',
      text: `${String(alg)}: a symmetric or unknown algorithm. Use RS256.`,
    });
  }
  checks.push(
    typeof header['kid'] === 'string'
      ? {
          claim: 'kid',
          status: 'ok',
          text: `${header['kid']}: the API picks this key from the issuer's JWKS.`,
        }
      : { claim: 'kid', status: 'warn', text: 'No kid: the API cannot tell which JWKS key signed it.' },
  );
  return checks;
}

function expiryCheck(payload: Readonly<Record<string, unknown>>, nowSeconds: number): TokenCheck {
  const exp = payload['exp'];
  if (typeof exp !== 'number')
    return { claim: 'exp', status: 'fail', text: 'No exp: the token never expires.' };
  const left = exp - nowSeconds;
  return left > 0
    ? {
        claim: 'exp',
        status: 'ok',
        text: `Expires in ${formatDuration(left)} (${new Date(exp * 1000).toLocaleTimeString()}).`,
      }
    : {
        claim: 'exp',
        status: 'fail',
        text: `Expired ${formatDuration(left)} ago: the API answers token_expired.`,
      };
}

function issuerCheck(payload: Readonly<Record<string, unknown>>, config: SpaConfig): TokenCheck {
  const iss = payload['iss'];
  return iss === config.issuer
    ? { claim: 'iss', status: 'ok', text: `matches the configured domain (${config.issuer}).` }
    : {
        claim: 'iss',
        status: 'fail',
        text: `is ${JSON.stringify(iss)}, but the domain ${config.domain} means ${config.issuer}: the API answers issuer_mismatch (mind the trailing slash).`,
      };
}

/** Checks an access token against the config: format, audience, issuer, permissions, expiry, algorithm. */
export function checkAccessToken(token: DecodedToken, config: SpaConfig, nowSeconds: number): TokenCheck[] {
  if (token.kind !== 'jwt') {
    return [
      {
        claim: 'format',
        status: 'fail',
        text:
          (token.kind === 'encrypted'
            ? 'Opaque access token (an encrypted JWE only the issuer can read). '
            : 'Opaque access token (not a JWT). ') +
          'It was requested without an audience: Auth0 then issues a token for its /userinfo endpoint only, and ' +
          `your API answers opaque_token. Request it with audience "${config.audience}" (authorizationParams.audience).`,
      },
    ];
  }
  const { header, payload } = token;
  const checks: TokenCheck[] = [];
  const aud = audiences(payload['aud']);
  if (aud.includes(config.audience)) {
    checks.push({ claim: 'aud', status: 'ok', text: `contains the configured audience ${config.audience}.` });
  } else if (aud.includes(config.clientId)) {
    checks.push({
      claim: 'aud',
      status: 'fail',
      text: `is the client id ${config.clientId}: this is an ID token, not an access token (id_token_used).`,
    });
  } else {
    checks.push({
      claim: 'aud',
      status: 'fail',
      text: `is ${JSON.stringify(payload['aud'])}, not the configured audience ${config.audience}: the API answers audience_mismatch.`,
    });
  }
  if (aud.some((a) => a.endsWith('/userinfo'))) {
    checks.push({
      claim: 'aud',
      status: 'info',
      text: 'also lists /userinfo: Auth0 adds it when openid is requested. Harmless.',
    });
  }
  checks.push(issuerCheck(payload, config));

  const scope = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
  const permissions = Array.isArray(payload['permissions']) ? payload['permissions'].map(String) : null;
  // As the API decides: a user token by its permissions only; a client-credentials token also by its scope.
  const clientCredentials = payload['gty'] === 'client-credentials';
  for (const permission of ALL_PERMISSIONS) {
    if (permissions?.includes(permission)) {
      checks.push({ claim: 'permissions', status: 'ok', text: `Has ${permission}.` });
    } else if (clientCredentials && scope.includes(permission)) {
      checks.push({ claim: 'scope', status: 'ok', text: `Has ${permission} (the client grant).` });
    } else if (scope.includes(permission)) {
      checks.push({
        claim: 'scope',
        status: 'warn',
        text: `Lists ${permission} in scope but not in permissions: the API authorizes users by permissions only, so endpoints requiring it answer 403 insufficient_permission.`,
      });
    } else {
      checks.push({
        claim: permissions ? 'permissions' : 'scope',
        status: 'warn',
        text: `Lacks ${permission}: endpoints requiring it answer 403 insufficient_permission.`,
      });
    }
  }
  if (!permissions) {
    checks.push({
      claim: 'permissions',
      status: 'info',
      text: 'No permissions claim: enable RBAC and "Add Permissions in the Access Token" on the API in Auth0.',
    });
  }
  checks.push(expiryCheck(payload, nowSeconds), ...headerChecks(header));
  return checks;
}

/** Checks an ID token: it is for this app (aud = client id), from the configured issuer, and not for APIs. */
export function checkIdToken(token: DecodedToken, config: SpaConfig, nowSeconds: number): TokenCheck[] {
  if (token.kind !== 'jwt') {
    return [
      { claim: 'format', status: 'fail', text: 'An ID token is always a signed JWT; this is not one.' },
    ];
  }
  const { header, payload } = token;
  const aud = audiences(payload['aud']);
  return [
    aud.includes(config.clientId)
      ? {
          claim: 'aud',
          status: 'ok',
          text: `is this app's client id (${config.clientId}): the ID token is for the app, never for APIs.`,
        }
      : {
          claim: 'aud',
          status: 'fail',
          text: `is ${JSON.stringify(payload['aud'])}, not the client id ${config.clientId}.`,
        },
    issuerCheck(payload, config),
    expiryCheck(payload, nowSeconds),
    ...headerChecks(header),
  ];
}
