import { HttpClient, HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { authHttpInterceptorFn, provideAuth0 } from '@auth0/auth0-angular';
import { firstValueFrom } from 'rxjs';
import { fakeAuth0Client, fakeAuth0Providers } from '../../testing/fake-auth0-client';
import { renewOnInvalidTokenFn } from './renew-on-invalid-token';

const URL = 'http://localhost:3000/api/messages/protected';
const EXPIRED = 'Bearer realm="api", error="invalid_token", error_description="jwt expired"';

describe('renewOnInvalidTokenFn', () => {
  function setUp() {
    const client = fakeAuth0Client({ signedIn: true });
    // The cache holds a token the API refuses; cacheMode 'off' gets a fresh one from the auth server.
    let current = 'stale-token';
    client.getTokenSilently.mockImplementation((options?: { cacheMode?: string }) => {
      if (options?.cacheMode === 'off') current = 'fresh-token';
      return Promise.resolve(current);
    });
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([renewOnInvalidTokenFn, authHttpInterceptorFn])),
        provideHttpClientTesting(),
        provideAuth0(),
        ...fakeAuth0Providers(client),
      ],
    });
    return { client, http: TestBed.inject(HttpClient), controller: TestBed.inject(HttpTestingController) };
  }

  async function next(controller: HttpTestingController): Promise<TestRequest> {
    for (let attempt = 0; attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve));
      const [request] = controller.match(URL);
      if (request) return request;
    }
    throw new Error('no request');
  }

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('renews the token once and retries when the API answers 401 invalid_token', async () => {
    const { http, controller, client } = setUp();
    const response = firstValueFrom(http.get(URL));

    const first = await next(controller);
    expect(first.request.headers.get('Authorization')).toBe('Bearer stale-token');
    first.flush(
      { reason: 'token_expired' },
      { status: 401, statusText: 'Unauthorized', headers: { 'WWW-Authenticate': EXPIRED } },
    );

    const retry = await next(controller);
    expect(retry.request.headers.get('Authorization')).toBe('Bearer fresh-token');
    retry.flush({ text: 'protected' });

    await expect(response).resolves.toEqual({ text: 'protected' });
    expect(client.getTokenSilently).toHaveBeenCalledWith(expect.objectContaining({ cacheMode: 'off' }));
  });

  it('retries only once: a second invalid_token reaches the caller', async () => {
    const { http, controller } = setUp();
    const response = firstValueFrom(http.get(URL));
    const headers = { 'WWW-Authenticate': EXPIRED };
    (await next(controller)).flush({}, { status: 401, statusText: 'Unauthorized', headers });
    (await next(controller)).flush(
      { reason: 'audience_mismatch' },
      { status: 401, statusText: 'Unauthorized', headers },
    );
    await expect(response).rejects.toMatchObject({ status: 401, error: { reason: 'audience_mismatch' } });
  });

  it.each([
    ['a 403 insufficient_scope', 403, 'Bearer error="insufficient_scope", scope="read:admin-messages"'],
    ['a 401 without a token error (missing token)', 401, 'Bearer realm="api"'],
  ])('does not retry %s', async (_what, status, challenge) => {
    const { http, controller, client } = setUp();
    const response = firstValueFrom(http.get(URL));
    (await next(controller)).flush(
      {},
      { status, statusText: 'Refused', headers: { 'WWW-Authenticate': challenge } },
    );
    await expect(response).rejects.toBeInstanceOf(HttpErrorResponse);
    expect(client.getTokenSilently).not.toHaveBeenCalledWith(expect.objectContaining({ cacheMode: 'off' }));
  });

  it('passes the original error on when the renewal fails', async () => {
    const { http, controller, client } = setUp();
    const response = firstValueFrom(http.get(URL));
    const first = await next(controller);
    client.getTokenSilently.mockRejectedValue(
      Object.assign(new Error('Login required'), { error: 'login_required' }),
    );
    first.flush(
      { reason: 'token_expired' },
      { status: 401, statusText: 'Unauthorized', headers: { 'WWW-Authenticate': EXPIRED } },
    );
    await expect(response).rejects.toMatchObject({ status: 401, error: { reason: 'token_expired' } });
  });
});
