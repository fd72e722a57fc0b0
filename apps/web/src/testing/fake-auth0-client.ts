import type { Provider } from '@angular/core';
import {
  Auth0ClientService,
  AuthClientConfig,
  type AuthConfig,
  type GetTokenSilentlyOptions,
} from '@auth0/auth0-angular';
import { parseSpaConfig, type SpaConfig } from '@sample/contract';
import { auth0ConfigFor } from '../app/auth/auth0-config';

/** The local tenant's config.json (apps/web/public/config.json without the lab's keys), as served. */
export const TEST_CONFIG_JSON: Readonly<Record<string, unknown>> = {
  domain: 'http://localhost:4000',
  clientId: 'sample-spa',
  audience: 'https://api.sample.local',
  scope: 'openid profile email read:messages read:admin-messages edit:profile',
  apiUrl: 'http://localhost:3000',
  useRefreshTokens: false,
  useDpop: false,
};

/** That config as parseSpaConfig returns it. */
export const TEST_CONFIG: SpaConfig = parseSpaConfig(TEST_CONFIG_JSON).config;

/**
 * A stand-in for the network edge of the SDK: the Auth0Client (auth0-spa-js), as auth0-angular's own tests do.
 * `tokenType` is what the auth server said the token is (`DPoP`: bound to the SDK's key), for `detailedResponse`.
 * Its DPoP proofs are `proof(<method> <htu> nonce=<nonce>)`, so a test reads what a proof was made for.
 */
export function fakeAuth0Client(options: {
  signedIn: boolean;
  token?: string;
  tokenType?: 'Bearer' | 'DPoP';
}) {
  const loginRequired = Object.assign(new Error('Login required'), { error: 'login_required' });
  const token = options.token ?? 'access-token';
  const nonces = new Map<string, string>();
  return {
    checkSession: jest.fn().mockResolvedValue(undefined),
    isAuthenticated: jest.fn().mockResolvedValue(options.signedIn),
    getUser: jest
      .fn()
      .mockResolvedValue(options.signedIn ? { sub: 'auth0|reader', email: 'reader@example.com' } : undefined),
    getIdTokenClaims: jest
      .fn()
      .mockResolvedValue(options.signedIn ? { sub: 'auth0|reader', __raw: 'id.token.raw' } : undefined),
    getTokenSilently: options.signedIn
      ? jest.fn((request?: GetTokenSilentlyOptions) =>
          Promise.resolve(
            request?.detailedResponse
              ? { access_token: token, token_type: options.tokenType ?? 'Bearer', expires_in: 86400 }
              : token,
          ),
        )
      : jest.fn().mockRejectedValue(loginRequired),
    getTokenWithPopup: jest.fn().mockResolvedValue(token),
    getDpopNonce: jest.fn((id?: string) => Promise.resolve(nonces.get(id ?? 'auth0'))),
    setDpopNonce: jest.fn((nonce: string, id?: string) => {
      nonces.set(id ?? 'auth0', nonce);
      return Promise.resolve();
    }),
    generateDpopProof: jest.fn(
      (proof: { url: string; method: string; nonce?: string; accessToken: string }) =>
        Promise.resolve(`proof(${proof.method} ${proof.url} nonce=${proof.nonce ?? 'none'})`),
    ),
    loginWithRedirect: jest.fn().mockResolvedValue(undefined),
    handleRedirectCallback: jest.fn().mockResolvedValue({}),
    logout: jest.fn().mockResolvedValue(undefined),
  };
}

export type FakeAuth0Client = ReturnType<typeof fakeAuth0Client>;

/** Providers that make `provideAuth0()` use the fake client and this app's real SDK config. */
export function fakeAuth0Providers(client: FakeAuth0Client, config: SpaConfig = TEST_CONFIG): Provider[] {
  const sdkConfig: AuthConfig = auth0ConfigFor(config, 'http://localhost:4200');
  return [
    { provide: Auth0ClientService, useValue: client },
    { provide: AuthClientConfig, useValue: new AuthClientConfig(sdkConfig) },
  ];
}
