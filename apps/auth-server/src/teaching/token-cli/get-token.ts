import * as oidc from 'openid-client';
import { Browser } from '../../http/browser';

/** A token the CLI got, and how. */
export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number | undefined;
  /** The scope the token endpoint says it granted. */
  readonly scope: string | undefined;
}

/** A refusal by the authorization server or a failed step, worded for the terminal (no stack trace). */
export class TokenCliError extends Error {
  override readonly name = 'TokenCliError';
}

async function discover(
  issuer: string,
  clientId: string,
  auth: oidc.ClientAuth,
): Promise<oidc.Configuration> {
  const url = new URL(issuer);
  try {
    // Plain http is only for the local auth server; a real tenant is https.
    return await oidc.discovery(url, clientId, undefined, auth, {
      execute: url.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
    });
  } catch (error) {
    throw new TokenCliError(
      `Cannot read ${issuer}.well-known/openid-configuration (${(error as Error).message}). ` +
        'Is the auth server running (npm start), and is --issuer right?',
    );
  }
}

function asIssued(response: oidc.TokenEndpointResponse): IssuedToken {
  return { accessToken: response.access_token, expiresIn: response.expires_in, scope: response.scope };
}

/** openid-client's DPoP handle for the key, if any: it signs the proof and retries once on use_dpop_nonce. */
function dpopOption(config: oidc.Configuration, keyPair: oidc.CryptoKeyPair | undefined): oidc.DPoPOptions {
  return keyPair ? { DPoP: oidc.getDPoPHandle(config, keyPair) } : {};
}

function serverError(error: unknown): never {
  if (error instanceof oidc.ResponseBodyError) {
    throw new TokenCliError(
      `The token endpoint refused: ${error.error}${error.error_description ? `: ${error.error_description}` : ''} (HTTP ${error.status}).`,
    );
  }
  throw error;
}

/**
 * Client credentials, as a backend or script gets a token: works with the local auth server and with an Auth0
 * tenant alike (the `audience` parameter, sent as Auth0 expects it).
 */
export async function clientCredentialsToken(options: {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly audience: string;
  readonly scope?: string;
  /** A key to bind the token to: the request carries a DPoP proof made with it. */
  readonly dpop?: oidc.CryptoKeyPair;
}): Promise<IssuedToken> {
  const config = await discover(
    options.issuer,
    options.clientId,
    oidc.ClientSecretPost(options.clientSecret),
  );
  const parameters: Record<string, string> = { audience: options.audience };
  if (options.scope) parameters['scope'] = options.scope;
  return asIssued(
    await oidc
      .clientCredentialsGrant(config, parameters, dpopOption(config, options.dpop))
      .catch(serverError),
  );
}

/**
 * A user's token without a browser, for the local auth server only: the authorization code flow with PKCE, as the
 * SPA runs it (same client, callback, audience and scope), with the login form posted over HTTP. The token is the
 * one the SPA would get for that user, roles and all.
 */
export async function userToken(options: {
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly email: string;
  readonly password: string;
  readonly audience: string;
  readonly scope: string;
  /** A key to bind the token to: the code exchange carries a DPoP proof made with it. */
  readonly dpop?: oidc.CryptoKeyPair;
}): Promise<IssuedToken> {
  const config = await discover(options.issuer, options.clientId, oidc.None());
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authorize = oidc.buildAuthorizationUrl(config, {
    redirect_uri: options.redirectUri,
    response_type: 'code',
    scope: options.scope,
    audience: options.audience,
    state,
    nonce: oidc.randomNonce(),
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const browser = new Browser(new URL(options.redirectUri).origin);
  const atCallback = (location: string) => location.startsWith(options.redirectUri);

  const page = await browser.follow(authorize.href, {}, atCallback);
  const early = page.location ? new URL(page.location) : undefined;
  if (early?.searchParams.has('error')) throw refusal(early);
  if (page.response.status !== 200 || !(await page.response.text()).includes('name="password"')) {
    throw new TokenCliError(
      `Expected the login page at ${page.url}, got HTTP ${page.response.status}. ` +
        '--user works with the local auth server only.',
    );
  }
  const done = await browser.submit(
    page.url,
    { email: options.email, password: options.password },
    atCallback,
  );
  if (!done.location) {
    throw new TokenCliError(
      `The login as ${options.email} was refused (wrong email or password?). ` +
        'The demo users and passwords are in the tenant file; pass --password for another one.',
    );
  }
  const callback = new URL(done.location);
  if (callback.searchParams.has('error')) throw refusal(callback);
  if (callback.searchParams.get('state') !== state)
    throw new TokenCliError('The login came back with another state.');
  const code = callback.searchParams.get('code');
  if (!code) throw new TokenCliError(`The login came back without a code: ${callback.href}`);
  // The exchange as auth0-spa-js sends it: redirect_uri exactly as at /authorize (no trailing slash added).
  const tokens = await oidc
    .genericGrantRequest(
      config,
      'authorization_code',
      { code, code_verifier: verifier, redirect_uri: options.redirectUri },
      dpopOption(config, options.dpop),
    )
    .catch(serverError);
  return asIssued(tokens);
}

function refusal(callback: URL): TokenCliError {
  const description = callback.searchParams.get('error_description');
  return new TokenCliError(
    `The auth server refused the login: ${callback.searchParams.get('error')}${description ? `: ${description}` : ''}.`,
  );
}
