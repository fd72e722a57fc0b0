import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { authHttpInterceptorFn, provideAuth0 } from '@auth0/auth0-angular';
import { firstValueFrom } from 'rxjs';
import { TEST_CONFIG, fakeAuth0Client, fakeAuth0Providers } from '../../testing/fake-auth0-client';
import { auth0ConfigFor } from './auth0-config';

const API = 'http://localhost:3000';
const MANAGEMENT_API = 'http://localhost:4000/api/v2/';

describe('auth0ConfigFor', () => {
  it('asks for the configured audience and scopes and comes back to this origin', () => {
    const config = auth0ConfigFor(TEST_CONFIG, 'http://localhost:4200');
    expect(config).toEqual(
      expect.objectContaining({
        domain: 'http://localhost:4000',
        clientId: 'sample-spa',
        authorizationParams: {
          audience: 'https://api.sample.local',
          scope: 'openid profile email read:messages read:admin-messages edit:profile',
          redirect_uri: 'http://localhost:4200',
        },
        errorPath: '/error',
      }),
    );
  });

  it('keeps tokens in memory with silent authentication by default', () => {
    const config = auth0ConfigFor(TEST_CONFIG, 'http://localhost:4200');
    expect(config.useRefreshTokens).toBe(false);
    expect(config.cacheLocation).toBe('memory');
  });

  it('uses rotating refresh tokens in localStorage when config.json asks for them', () => {
    const config = auth0ConfigFor({ ...TEST_CONFIG, useRefreshTokens: true }, 'http://localhost:4200');
    expect(config.useRefreshTokens).toBe(true);
    expect(config.cacheLocation).toBe('localstorage');
  });

  it.each([false, true])('passes useDpop %s to the SDK', (useDpop) => {
    expect(auth0ConfigFor({ ...TEST_CONFIG, useDpop }, 'http://localhost:4200').useDpop).toBe(useDpop);
  });

  it('attaches tokens by prefix to everything under <apiUrl>/api/ (signed-out calls going out anonymously) and to the Management API, with its audience and current_user scopes', () => {
    expect(
      auth0ConfigFor({ ...TEST_CONFIG, apiUrl: API }, 'http://localhost:4200').httpInterceptor?.allowedList,
    ).toEqual([
      { uri: `${API}/api/*`, allowAnonymous: true },
      {
        uri: `${MANAGEMENT_API}*`,
        tokenOptions: {
          authorizationParams: {
            audience: MANAGEMENT_API,
            scope: 'read:current_user update:current_user_metadata',
          },
        },
      },
    ]);
  });

  it("derives the Management API from the tenant's domain", () => {
    const config = auth0ConfigFor(
      { ...TEST_CONFIG, domain: 'tenant.eu.auth0.com', issuer: 'https://tenant.eu.auth0.com/' },
      'http://localhost:4200',
    );
    expect(config.httpInterceptor?.allowedList?.[1]).toMatchObject({
      uri: 'https://tenant.eu.auth0.com/api/v2/*',
      tokenOptions: { authorizationParams: { audience: 'https://tenant.eu.auth0.com/api/v2/' } },
    });
  });
});

describe('authHttpInterceptorFn with the allowedList from apiUrl', () => {
  function setUp(signedIn: boolean) {
    const client = fakeAuth0Client({ signedIn, token: 'access-token' });
    // A token per audience, as the real client caches them.
    if (signedIn) {
      client.getTokenSilently.mockImplementation(
        (options?: { authorizationParams?: { audience?: string } }) =>
          Promise.resolve(
            options?.authorizationParams?.audience === MANAGEMENT_API ? 'management-token' : 'access-token',
          ),
      );
    }
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authHttpInterceptorFn])),
        provideHttpClientTesting(),
        provideAuth0(),
        ...fakeAuth0Providers(client),
      ],
    });
    return { client, http: TestBed.inject(HttpClient), controller: TestBed.inject(HttpTestingController) };
  }

  /** Sends a GET and waits until it reaches the backend (the SDK gets the token asynchronously). */
  async function sent(http: HttpClient, controller: HttpTestingController, url: string) {
    const response = firstValueFrom(http.get(url));
    let request;
    for (let attempt = 0; attempt < 20 && !request; attempt++) {
      await new Promise((resolve) => setTimeout(resolve));
      request = controller.match(url)[0];
    }
    if (!request) throw new Error(`no request to ${url}`);
    request.flush({ text: 'ok' });
    await response;
    return request.request;
  }

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  describe('signed in', () => {
    it.each([
      '/api/messages/protected',
      '/api/messages/admin',
      '/api/me',
      '/api/messages/public',
      // A route added to the API later: no SPA edit needed for it to get the token.
      '/api/reports/2026?format=csv',
    ])('attaches the access token to %s', async (path) => {
      const { http, controller, client } = setUp(true);
      const request = await sent(http, controller, `${API}${path}`);
      expect(request.headers.get('Authorization')).toBe('Bearer access-token');
      expect(client.getTokenSilently).toHaveBeenCalled();
    });

    it.each([
      `${MANAGEMENT_API}users/auth0%7Creader`,
      `${MANAGEMENT_API}users/auth0%7Creader?fields=user_metadata`,
    ])("attaches the Management API's own token to %s, requested for its audience", async (url) => {
      const { http, controller, client } = setUp(true);
      const request = await sent(http, controller, url);
      expect(request.headers.get('Authorization')).toBe('Bearer management-token');
      expect(client.getTokenSilently).toHaveBeenCalledWith({
        authorizationParams: {
          audience: MANAGEMENT_API,
          scope: 'read:current_user update:current_user_metadata',
        },
      });
    });

    it.each([
      ['the config file', 'config.json'],
      ['the auth server', 'http://localhost:4000/userinfo'],
      ['a path that only starts like the Management API', 'http://localhost:4000/api/v2x/users'],
      ["the auth server's other paths under /api/", 'http://localhost:4000/api/v3/users'],
      ['another origin', 'https://evil.example.com/api/me'],
      ['a look-alike host', 'http://localhost:3000.evil.example.com/api/me'],
      ['another port', 'http://localhost:30001/api/me'],
      ["the API's routes outside /api/", `${API}/health`],
      ['a path that only starts like /api', `${API}/apiary`],
    ])('sends no token to %s', async (_what, url) => {
      const { http, controller, client } = setUp(true);
      const request = await sent(http, controller, url);
      expect(request.headers.has('Authorization')).toBe(false);
      expect(client.getTokenSilently).not.toHaveBeenCalled();
    });
  });

  describe('signed out', () => {
    it('sends no Management API call without a token: the SDK error reaches the caller', async () => {
      const { http, controller } = setUp(false);
      const response = firstValueFrom(http.get(`${MANAGEMENT_API}users/auth0%7Creader`));
      await expect(response).rejects.toMatchObject({ error: 'login_required' });
      controller.expectNone(`${MANAGEMENT_API}users/auth0%7Creader`);
    });

    it('calls the public endpoint without a token (allowAnonymous)', async () => {
      const { http, controller } = setUp(false);
      const request = await sent(http, controller, `${API}/api/messages/public`);
      expect(request.headers.has('Authorization')).toBe(false);
    });

    it("sends a protected call without a token, so the caller gets the API's 401 missing_token", async () => {
      const { http, controller } = setUp(false);
      const response = firstValueFrom(http.get(`${API}/api/messages/protected`));
      let request: TestRequest | undefined;
      for (let attempt = 0; attempt < 20 && !request; attempt++) {
        await new Promise((resolve) => setTimeout(resolve));
        request = controller.match(`${API}/api/messages/protected`)[0];
      }
      expect(request?.request.headers.has('Authorization')).toBe(false);
      request?.flush(
        { status: 401, reason: 'missing_token' },
        { status: 401, statusText: 'Unauthorized', headers: { 'WWW-Authenticate': 'Bearer realm="api"' } },
      );
      await expect(response).rejects.toMatchObject({ status: 401, error: { reason: 'missing_token' } });
    });
  });
});
