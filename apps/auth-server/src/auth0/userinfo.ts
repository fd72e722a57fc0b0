import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Accounts } from '../accounts/accounts';
import { claimsForScopes } from '../accounts/claims';
import { sendJson } from '../http/respond';
import type { TenantDirectory } from '../tenant/directory';

export const USERINFO_PATH = '/userinfo';

export interface JwtUserinfoDependencies {
  readonly issuer: string;
  readonly jwks: JSONWebKeySet;
  readonly accounts: Accounts;
  readonly directory: TenantDirectory;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bearerJwt(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const token = match?.[1];
  return token !== undefined && token.split('.').length === 3 ? token : undefined;
}

/**
 * Auth0 puts its /userinfo URL in the `aud` of API access tokens issued with `openid`, so the same token
 * works at /userinfo. oidc-provider only accepts its own opaque userinfo tokens there, so JWT access
 * tokens are answered here: signature, `iss`, `aud` (must include this URL), expiry and the `openid` scope.
 * @returns false when the request carries no JWT, for oidc-provider to answer.
 */
export function createJwtUserinfo({ issuer, jwks, accounts, directory }: JwtUserinfoDependencies) {
  const keys = createLocalJWKSet(jwks);
  const audience = new URL('userinfo', issuer).href;

  return async function answerJwtUserinfo(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const token = bearerJwt(req);
    if (!token || (req.method !== 'GET' && req.method !== 'POST')) return false;

    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer, audience, algorithms: ['RS256'] }));
    } catch (error) {
      const description = `invalid access token for /userinfo: ${(error as Error).message}`;
      sendJson(
        res,
        401,
        { error: 'invalid_token', error_description: description },
        {
          'www-authenticate': `Bearer error="invalid_token", error_description="${description.replace(/["\\]/g, "'")}"`,
        },
      );
      return true;
    }

    if (isRecord(payload['cnf']) && typeof payload['cnf']['jkt'] === 'string') {
      // A DPoP-bound token is worth nothing without its key: as Bearer it is refused (RFC 9449 section 7.2).
      const description =
        'the access token is DPoP-bound (cnf.jkt): send it as "Authorization: DPoP <token>" with a DPoP proof; JWT access tokens are not accepted with DPoP at /userinfo here, use an opaque token (no audience) for that';
      sendJson(
        res,
        401,
        { error: 'invalid_token', error_description: description },
        {
          'www-authenticate': `DPoP error="invalid_token", error_description="${description.replace(/["\\]/g, "'")}"`,
        },
      );
      return true;
    }

    const headers: Record<string, string> = { vary: 'Origin' };
    const origin = req.headers.origin;
    const client = typeof payload['azp'] === 'string' ? directory.spaClient(payload['azp']) : undefined;
    if (origin && client?.webOrigins.includes(origin)) headers['access-control-allow-origin'] = origin;

    const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
    if (!scopes.includes('openid') || !payload.sub || !accounts.user(payload.sub)) {
      sendJson(
        res,
        403,
        { error: 'insufficient_scope', error_description: 'access token missing openid scope' },
        {
          ...headers,
          'www-authenticate': 'Bearer error="insufficient_scope", scope="openid"',
        },
      );
      return true;
    }
    sendJson(res, 200, claimsForScopes(accounts.claims(payload.sub), scopes), headers);
    return true;
  };
}
