import { errors, type Client, type KoaContextWithOIDC, type ResourceServerInfo } from 'oidc-provider';
import type { TenantApi, TenantM2mClient } from '../tenant/tenant';
import type { TenantDirectory } from '../tenant/directory';

/** Auth0's error for client credentials on an API the client has no grant for, or beyond its grant: 403. */
function accessDenied(description: string): Error {
  return Object.assign(new errors.AccessDenied(description), { status: 403, statusCode: 403 });
}

/**
 * Client credentials get the scopes the client was granted for the API: all of them when none are asked
 * for, and Auth0's access_denied when it asks for one it was not granted.
 */
function clientGrantScopes(ctx: KoaContextWithOIDC, api: TenantApi, client: TenantM2mClient): string[] {
  const granted = client.grants[api.identifier];
  if (!granted) {
    throw accessDenied(
      `Client "${client.clientId}" is not authorized to access "${api.identifier}". Add a grant for it to the client in the tenant file.`,
    );
  }
  const params = ctx.oidc.params ?? {};
  const asked =
    typeof params['scope'] === 'string' ? params['scope'].split(' ').filter((scope) => scope !== '') : [];
  const missing = asked.filter((scope) => !granted.includes(scope));
  if (missing.length > 0) throw accessDenied(`Client has not been granted scopes: ${missing.join(' ')}`);
  if (asked.length === 0) params['scope'] = granted.join(' ');
  return [...granted];
}

/**
 * An API that requires sender-constrained tokens refuses a token request without a DPoP proof (a proof that is
 * there has been validated by oidc-provider before the audience is resolved). At /authorize nothing is checked:
 * the proof comes with the code exchange.
 */
function requireDpopProof(ctx: KoaContextWithOIDC, api: TenantApi): void {
  if (ctx.oidc.route !== 'token' || !api.proofOfPossession?.required || ctx.get('DPoP') !== '') return;
  throw new errors.InvalidRequest(
    `The API "${api.identifier}" requires sender-constrained tokens (DPoP): send a DPoP proof in the DPoP header of the token request (auth0-spa-js: useDpop: true), or set proofOfPossession.required to false for it in the tenant file.`,
  );
}

/**
 * The `audience` parameter, mapped onto oidc-provider's resource indicators: a known API identifier gets an
 * RS256 JWT access token for it; no audience (or an empty one) an opaque token for /userinfo only; an
 * unknown one `invalid_target`.
 */
export function createAudienceResolver(directory: TenantDirectory) {
  return {
    /** At /authorize the audience comes from the `audience` extra parameter; `audience=` means none. */
    defaultResource(
      ctx: KoaContextWithOIDC,
      _client: Client,
      oneOf?: string[],
    ): string | string[] | undefined {
      if (oneOf) return oneOf;
      const audience = ctx.oidc.params?.['audience'];
      return typeof audience === 'string' && audience !== '' ? audience : undefined;
    },

    /** The SDK does not resend `audience` when it exchanges the code: use the one granted at /authorize. */
    useGrantedResource(): boolean {
      return true;
    },

    getResourceServerInfo(ctx: KoaContextWithOIDC, identifier: string, client: Client): ResourceServerInfo {
      const api = directory.api(identifier);
      if (!api) throw new errors.InvalidTarget(`Service not found: ${identifier}`);
      requireDpopProof(ctx, api);
      const m2m = directory.m2mClient(client.clientId);
      const scopes = m2m ? clientGrantScopes(ctx, api, m2m) : api.scopes;
      return {
        scope: scopes.join(' '),
        audience: api.identifier,
        accessTokenTTL: api.tokenLifetimeSeconds,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      };
    },
  };
}
