import { LOCAL_TENANT } from '@sample/contract';
import { Browser } from '../http/browser';
import {
  atCallback,
  authorizationRequest,
  DEMO_PASSWORDS,
  discoverSpa,
  REDIRECT_URI,
  SPA_ORIGIN,
} from './spa-client';

/** Logs a demo user in up to the callback (code + PKCE, as the SPA does) and returns what the code exchange needs. */
export async function authorizationCode(
  issuer: string,
  email: string,
  params: Record<string, string>,
): Promise<{ code: string; verifier: string }> {
  const config = await discoverSpa(issuer);
  const request = await authorizationRequest(config, params);
  const browser = new Browser(SPA_ORIGIN);
  const login = await browser.follow(request.url.href, {}, atCallback);
  if (login.location) throw new Error(`expected the login page, was sent to ${login.location}`);
  const done = await browser.submit(login.url, { email, password: DEMO_PASSWORDS[email] ?? '' }, atCallback);
  const code = done.location ? new URL(done.location).searchParams.get('code') : null;
  if (!code) throw new Error(`login did not return a code (status ${done.response.status})`);
  return { code, verifier: request.verifier };
}

/** A token request as auth0-spa-js sends it from the SPA (JSON body, the SPA's origin), with an optional proof. */
export function tokenRequest(
  tokenUrl: string,
  body: Record<string, string>,
  proof?: string,
): Promise<Response> {
  return fetch(tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: SPA_ORIGIN,
      ...(proof !== undefined && { dpop: proof }),
    },
    body: JSON.stringify({ client_id: LOCAL_TENANT.spaClientId, ...body }),
  });
}

/** The body of the SPA's code exchange. */
export function codeExchange({ code, verifier }: { code: string; verifier: string }): Record<string, string> {
  return { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI };
}
