import { HttpClient, HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideAuth0 } from '@auth0/auth0-angular';
import { firstValueFrom, type Observable } from 'rxjs';
import { TEST_CONFIG, fakeAuth0Client, fakeAuth0Providers } from '../../testing/fake-auth0-client';
import { accessTokenInterceptorFn } from './access-token-interceptor';
import { renewOnInvalidTokenFn } from './renew-on-invalid-token';

const API = 'http://localhost:3000';
const PROTECTED = `${API}/api/messages/protected`;
const MANAGEMENT_API = 'http://localhost:4000/api/v2/';
const NONCE_CHALLENGE =
  'DPoP error="use_dpop_nonce", error_description="Authorization server requires nonce in DPoP proof", algs="ES256"';

describe('accessTokenInterceptorFn', () => {
  function setUp(options: { useDpop: boolean; signedIn?: boolean; tokenType?: 'Bearer' | 'DPoP' }) {
    const client = fakeAuth0Client({
      signedIn: options.signedIn ?? true,
      token: 'access-token',
      tokenType: options.tokenType ?? (options.useDpop ? 'DPoP' : 'Bearer'),
    });
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([renewOnInvalidTokenFn, accessTokenInterceptorFn])),
        provideHttpClientTesting(),
        provideAuth0(),
        ...fakeAuth0Providers(client, { ...TEST_CONFIG, useDpop: options.useDpop }),
      ],
    });
    return { client, http: TestBed.inject(HttpClient), controller: TestBed.inject(HttpTestingController) };
  }

  /** Waits until the next request to `url` reaches the backend (the SDK gets tokens and proofs asynchronously). */
  async function next(controller: HttpTestingController, url: string): Promise<TestRequest> {
    for (let attempt = 0; attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve));
      const [request] = controller.match(url);
      if (request) return request;
    }
    throw new Error(`no request to ${url}`);
  }

  function unauthorized(request: TestRequest, challenge: string, headers: Record<string, string> = {}): void {
    request.flush(
      { status: 401, reason: 'use_dpop_nonce' },
      { status: 401, statusText: 'Unauthorized', headers: { 'WWW-Authenticate': challenge, ...headers } },
    );
  }

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  describe('with useDpop off (Bearer)', () => {
    it("leaves the API's calls to the SDK's interceptor: Bearer, no proof", async () => {
      const { http, controller, client } = setUp({ useDpop: false });
      const response = firstValueFrom(http.get(PROTECTED));
      const request = await next(controller, PROTECTED);
      expect(request.request.headers.get('Authorization')).toBe('Bearer access-token');
      expect(request.request.headers.has('DPoP')).toBe(false);
      request.flush({ text: 'protected' });
      await expect(response).resolves.toEqual({ text: 'protected' });
      expect(client.generateDpopProof).not.toHaveBeenCalled();
    });
  });

  describe('with useDpop on', () => {
    it.each([
      ['GET', '/api/messages/protected', `${API}/api/messages/protected`],
      ['GET', '/api/reports/2026?format=csv#top', `${API}/api/reports/2026`],
      ['PATCH', '/api/me/profile', `${API}/api/me/profile`],
    ])(
      'sends %s %s as Authorization: DPoP with a proof of that method and URL (no query or fragment)',
      async (method, path, htu) => {
        const { http, controller, client } = setUp({ useDpop: true });
        const response = firstValueFrom(http.request(method, `${API}${path}`, { body: {} }));
        const request = await next(controller, `${API}${path}`);
        expect(request.request.headers.get('Authorization')).toBe('DPoP access-token');
        expect(request.request.headers.get('DPoP')).toBe(`proof(${method} ${htu} nonce=none)`);
        expect(client.generateDpopProof).toHaveBeenCalledWith({
          url: htu,
          method,
          accessToken: 'access-token',
        });
        request.flush({});
        await response;
      },
    );

    it("gets the Management API's own token, for its audience, and proves it too", async () => {
      const { http, controller, client } = setUp({ useDpop: true });
      const url = `${MANAGEMENT_API}users/auth0%7Creader?fields=user_metadata`;
      const response = firstValueFrom(http.get(url));
      const request = await next(controller, url);
      expect(client.getTokenSilently).toHaveBeenCalledWith({
        authorizationParams: {
          audience: MANAGEMENT_API,
          scope: 'read:current_user update:current_user_metadata',
        },
        detailedResponse: true,
      });
      expect(request.request.headers.get('Authorization')).toBe('DPoP access-token');
      expect(request.request.headers.get('DPoP')).toBe(
        `proof(GET ${MANAGEMENT_API}users/auth0%7Creader nonce=none)`,
      );
      request.flush({});
      await response;
    });

    it.each([
      ['the config file', 'config.json'],
      ['the auth server', 'http://localhost:4000/userinfo'],
      ['another origin', 'https://evil.example.com/api/me'],
      ["the API's routes outside /api/", `${API}/health`],
    ])('sends neither a token nor a proof to %s', async (_what, url) => {
      const { http, controller, client } = setUp({ useDpop: true });
      const response = firstValueFrom(http.get(url));
      const request = await next(controller, url);
      expect(request.request.headers.has('Authorization')).toBe(false);
      expect(request.request.headers.has('DPoP')).toBe(false);
      request.flush({});
      await response;
      expect(client.getTokenSilently).not.toHaveBeenCalled();
      expect(client.generateDpopProof).not.toHaveBeenCalled();
    });

    it('stores the nonce of a use_dpop_nonce challenge for the API origin and retries once with it', async () => {
      const { http, controller, client } = setUp({ useDpop: true });
      const response = firstValueFrom(http.get(PROTECTED));
      unauthorized(await next(controller, PROTECTED), NONCE_CHALLENGE, { 'DPoP-Nonce': 'nonce-1' });

      const retry = await next(controller, PROTECTED);
      expect(retry.request.headers.get('Authorization')).toBe('DPoP access-token');
      expect(retry.request.headers.get('DPoP')).toBe(`proof(GET ${PROTECTED} nonce=nonce-1)`);
      retry.flush({ text: 'protected' });

      await expect(response).resolves.toEqual({ text: 'protected' });
      expect(client.setDpopNonce).toHaveBeenCalledWith('nonce-1', API);
      expect(client.generateDpopProof).toHaveBeenCalledTimes(2);
    });

    it('retries only once: a second use_dpop_nonce reaches the caller, and its nonce is kept', async () => {
      const { http, controller, client } = setUp({ useDpop: true });
      const response = firstValueFrom(http.get(PROTECTED));
      unauthorized(await next(controller, PROTECTED), NONCE_CHALLENGE, { 'DPoP-Nonce': 'nonce-1' });
      unauthorized(await next(controller, PROTECTED), NONCE_CHALLENGE, { 'DPoP-Nonce': 'nonce-2' });

      await expect(response).rejects.toMatchObject({ status: 401, error: { reason: 'use_dpop_nonce' } });
      controller.expectNone(PROTECTED);
      expect(client.setDpopNonce).toHaveBeenLastCalledWith('nonce-2', API);
    });

    it.each([
      ['another DPoP error', 'DPoP error="invalid_dpop_proof", algs="ES256"', { 'DPoP-Nonce': 'nonce-1' }],
      ['use_dpop_nonce without a DPoP-Nonce header', NONCE_CHALLENGE, {}],
      ['use_dpop_nonce in a Bearer challenge', 'Bearer error="use_dpop_nonce"', { 'DPoP-Nonce': 'nonce-1' }],
    ])('does not retry %s', async (_what, challenge, headers) => {
      const { http, controller } = setUp({ useDpop: true });
      const response = firstValueFrom(http.get(PROTECTED));
      unauthorized(await next(controller, PROTECTED), challenge, headers);
      await expect(response).rejects.toBeInstanceOf(HttpErrorResponse);
      controller.expectNone(PROTECTED);
    });

    it("puts the nonce of a successful answer in the next request's proof", async () => {
      const { http, controller } = setUp({ useDpop: true });
      const first = firstValueFrom(http.get(PROTECTED));
      (await next(controller, PROTECTED)).flush({}, { headers: { 'DPoP-Nonce': 'nonce-next' } });
      await first;

      const second = firstValueFrom(http.get(PROTECTED));
      const request = await next(controller, PROTECTED);
      expect(request.request.headers.get('DPoP')).toBe(`proof(GET ${PROTECTED} nonce=nonce-next)`);
      request.flush({});
      await second;
    });

    it('sends a token the auth server did not bind (token_type Bearer) as Bearer, without a proof', async () => {
      const { http, controller, client } = setUp({ useDpop: true, tokenType: 'Bearer' });
      const response = firstValueFrom(http.get(PROTECTED));
      const request = await next(controller, PROTECTED);
      expect(request.request.headers.get('Authorization')).toBe('Bearer access-token');
      expect(request.request.headers.has('DPoP')).toBe(false);
      expect(client.generateDpopProof).not.toHaveBeenCalled();
      request.flush({});
      await response;
    });

    it('signed out, calls the API without a token or a proof (allowAnonymous)', async () => {
      const { http, controller, client } = setUp({ useDpop: true, signedIn: false });
      const response = firstValueFrom(http.get(`${API}/api/messages/public`));
      const request = await next(controller, `${API}/api/messages/public`);
      expect(request.request.headers.has('Authorization')).toBe(false);
      expect(request.request.headers.has('DPoP')).toBe(false);
      request.flush({ text: 'public' });
      await response;
      expect(client.generateDpopProof).not.toHaveBeenCalled();
    });

    it('signed out, sends no Management API call: the SDK error reaches the caller', async () => {
      const { http, controller } = setUp({ useDpop: true, signedIn: false });
      const url = `${MANAGEMENT_API}users/auth0%7Creader`;
      await expect(firstValueFrom(http.get(url) as Observable<unknown>)).rejects.toMatchObject({
        error: 'login_required',
      });
      controller.expectNone(url);
    });

    it('renews the token on DPoP error="invalid_token" and retries once with a new token and proof', async () => {
      const { http, controller, client } = setUp({ useDpop: true });
      let current = 'stale-token';
      client.getTokenSilently.mockImplementation((options) => {
        if (options?.cacheMode === 'off') current = 'fresh-token';
        return Promise.resolve(
          options?.detailedResponse ? { access_token: current, token_type: 'DPoP', expires_in: 60 } : current,
        );
      });
      const response = firstValueFrom(http.get(PROTECTED));
      const first = await next(controller, PROTECTED);
      expect(first.request.headers.get('Authorization')).toBe('DPoP stale-token');
      unauthorized(first, 'DPoP error="invalid_token", error_description="jwt expired", algs="ES256"');

      const retry = await next(controller, PROTECTED);
      expect(retry.request.headers.get('Authorization')).toBe('DPoP fresh-token');
      expect(client.generateDpopProof).toHaveBeenLastCalledWith(
        expect.objectContaining({ accessToken: 'fresh-token' }),
      );
      retry.flush({ text: 'protected' });
      await expect(response).resolves.toEqual({ text: 'protected' });
    });
  });
});
