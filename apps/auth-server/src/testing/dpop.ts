import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
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

/** A client's DPoP key pair, as auth0-spa-js makes one (ES256), with the public JWK and its thumbprint. */
export interface DpopKey {
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
  readonly thumbprint: string;
}

export async function makeDpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, thumbprint: await calculateJwkThumbprint(jwk, 'sha256') };
}

/** A DPoP proof (RFC 9449 section 4.2) for one request: `typ` dpop+jwt, the public key in the header. */
export function dpopProof(
  key: DpopKey,
  request: {
    readonly htm: string;
    readonly htu: string;
    readonly nonce?: string;
    readonly jti?: string;
    /** The access token's hash, for a request to a protected resource. */
    readonly ath?: string;
    /** Seconds since the epoch; now by default (tests on an injected clock set it). */
    readonly iat?: number;
  },
): Promise<string> {
  return new SignJWT({
    htm: request.htm,
    htu: request.htu,
    jti: request.jti ?? randomUUID(),
    ...(request.nonce !== undefined && { nonce: request.nonce }),
    ...(request.ath !== undefined && { ath: request.ath }),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.jwk })
    .setIssuedAt(request.iat)
    .sign(key.privateKey);
}

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
