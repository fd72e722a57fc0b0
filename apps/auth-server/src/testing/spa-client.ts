import { readFileSync } from 'node:fs';
import * as oidc from 'openid-client';
import { LOCAL_TENANT } from '@sample/contract';
import { DEMO_M2M_CLIENT_SECRET } from '../config/settings';
import { Browser } from '../http/browser';

export const SPA_ORIGIN = LOCAL_TENANT.webOrigin;

/**
 * The CORS preflight a browser sends before a `method` request to `url` from `origin` (the SPA's by default) that
 * carries `headers` (comma-separated, as browsers list them).
 */
export function preflight(
  url: string,
  method: string,
  { headers, origin = SPA_ORIGIN }: { readonly headers?: string; readonly origin?: string } = {},
): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      ...(headers !== undefined && { 'access-control-request-headers': headers }),
    },
  });
}
/**
 * The test RP's callback (test-server.ts adds it to the SPA client). openid-client sends the callback URL it
 * was given, and for a bare origin that is `http://localhost:4200/`, which an exact match (as on Auth0)
 * rejects; auth0-spa-js sends the origin exactly as at /authorize (see the code exchange test).
 */
export const REDIRECT_URI = `${LOCAL_TENANT.webOrigin}/callback`;

/** The demo users' passwords, read from the committed tenant file. */
export const DEMO_PASSWORDS: Record<string, string> = Object.fromEntries(
  (
    JSON.parse(readFileSync(new URL('../../tenant.json', import.meta.url), 'utf8')) as {
      users: { email: string; password: string }[];
    }
  ).users.map((user) => [user.email, user.password]),
);

/** openid-client as the SPA's relying party (public client, no secret), trusting plain http on localhost. */
export function discoverSpa(
  issuer: string,
  clientId: string = LOCAL_TENANT.spaClientId,
): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
}

/** openid-client as the machine-to-machine client. */
export function discoverM2m(issuer: string, secret = DEMO_M2M_CLIENT_SECRET): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), LOCAL_TENANT.m2mClientId, undefined, oidc.ClientSecretPost(secret), {
    execute: [oidc.allowInsecureRequests],
  });
}

export interface AuthorizationRequest {
  readonly url: URL;
  readonly verifier: string;
  readonly state: string;
  /** Undefined when `openid` is not asked for (no ID token, so no nonce). */
  readonly nonce: string | undefined;
}

/** An authorization URL as auth0-spa-js builds it: code + PKCE (S256), state, nonce, extra parameters. */
export async function authorizationRequest(
  config: oidc.Configuration,
  params: Record<string, string> = {},
): Promise<AuthorizationRequest> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const scope = params['scope'] ?? 'openid profile email';
  const nonce = scope.split(' ').includes('openid') ? oidc.randomNonce() : undefined;
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope,
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...(nonce !== undefined && { nonce }),
    ...params,
  });
  return { url, verifier, state, nonce };
}

/** Rethrows openid-client's errors with the server's `error` and `error_description` in the message. */
export function withServerError(error: unknown): never {
  if (error instanceof oidc.ResponseBodyError) {
    throw new Error(`${error.error}: ${error.error_description ?? ''} (HTTP ${error.status})`, {
      cause: error,
    });
  }
  throw error;
}

export const atCallback = (location: string) => location.startsWith(REDIRECT_URI);

/**
 * The whole login: /authorize, the login form posted over HTTP, the redirect back with a code, and the
 * code exchange (openid-client checks the ID token: RS256 signature, iss, aud, nonce).
 */
export async function logIn(
  issuer: string,
  email: string,
  params: Record<string, string> = {},
  browser = new Browser(SPA_ORIGIN),
) {
  const config = await discoverSpa(issuer);
  const request = await authorizationRequest(config, params);
  const login = await browser.follow(request.url.href, {}, atCallback);
  if (login.location) throw new Error(`expected the login page, was sent to ${login.location}`);
  const done = await browser.submit(login.url, { email, password: DEMO_PASSWORDS[email] ?? '' }, atCallback);
  if (!done.location) throw new Error(`login did not return to the app (status ${done.response.status})`);
  const tokens = await oidc
    .authorizationCodeGrant(config, new URL(done.location), {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    })
    .catch(withServerError);
  return { config, tokens, browser };
}
