import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import {
  Auth0ClientService,
  AuthClientConfig,
  authHttpInterceptorFn,
  provideAuth0,
  type GetTokenSilentlyOptions,
} from '@auth0/auth0-angular';
import { firstValueFrom } from 'rxjs';
import { auth0ConfigFor, managementApiTokenOptions } from '../../auth/auth0-config';
import { RuntimeConfig } from '../../config/runtime-config';
import { TEST_CONFIG, fakeAuth0Client } from '../../../testing/fake-auth0-client';
import { loadedRuntimeConfig } from '../../../testing/loaded-runtime-config';
import { sentRequest } from '../../../testing/sent-request';
import { settled } from '../../../testing/settled';
import { fakeJwt } from '../testing/fake-jwt';
import { cardText, reproduce } from '../testing/lab-experiment';
import { ManagementApiLab } from './management-api-lab';

const MANAGEMENT_API = 'http://localhost:4000/api/v2/';
const USER_URL = `${MANAGEMENT_API}users/auth0%7Cdemo-reader`;
const ID_TOKEN = fakeJwt({ sub: 'auth0|demo-reader', aud: 'sample-spa' });
const API_TOKEN = 'token-for-the-api';

/** The token the fake SDK hands out for the options the lab asks with (the auth server's answer, reduced). */
function tokenFor(options: GetTokenSilentlyOptions = {}): string {
  const { audience, scope } = options.authorizationParams ?? {};
  if (audience === '') return 'opaque-token-without-an-audience';
  if (audience !== MANAGEMENT_API) return API_TOKEN;
  // As Auth0 does for an SPA: current_user scopes only, the rest silently left out.
  const granted = (scope ?? '').split(' ').filter((s) => s === 'openid' || s.includes(':current_user'));
  return fakeJwt({ sub: 'auth0|demo-reader', aud: [MANAGEMENT_API], scope: granted.join(' ') });
}

describe('ManagementApiLab', () => {
  let client: ReturnType<typeof fakeAuth0Client>;

  async function setUp() {
    client = fakeAuth0Client({ signedIn: true });
    client.getIdTokenClaims.mockResolvedValue({ sub: 'auth0|demo-reader', __raw: ID_TOKEN });
    client.getTokenSilently.mockImplementation(async (options?: GetTokenSilentlyOptions) =>
      tokenFor(options),
    );
    // The SPA's own allowedList, which holds the Management API for the Profile page's direct call.
    const sdkConfig = auth0ConfigFor(TEST_CONFIG, 'http://localhost:4200');
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authHttpInterceptorFn])),
        provideHttpClientTesting(),
        provideAuth0(),
        { provide: Auth0ClientService, useValue: client },
        { provide: AuthClientConfig, useValue: new AuthClientConfig(sdkConfig) },
        { provide: RuntimeConfig, useValue: loadedRuntimeConfig() },
      ],
    });
    const fixture = TestBed.createComponent(ManagementApiLab);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    return { fixture, root, controller: TestBed.inject(HttpTestingController) };
  }

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it("PATCHes the user's own record with the ID token and confirms Auth0's 401 Invalid token", async () => {
    const { fixture, root, controller } = await setUp();
    reproduce(root, 'management_id_token');
    const sent = await sentRequest(controller, USER_URL);
    expect(sent.request.method).toBe('PATCH');
    expect(sent.request.headers.get('Authorization')).toBe(`Bearer ${ID_TOKEN}`);
    expect(sent.request.body).toEqual({ user_metadata: {} });
    sent.flush(
      { statusCode: 401, error: 'Unauthorized', message: 'Invalid token' },
      { status: 401, statusText: 'Unauthorized' },
    );
    await settled(fixture);
    const text = cardText(root, 'management_id_token');
    expect(text).toContain('As expected: 401 "Invalid token".');
    expect(text).toContain('its aud is the client id');
  });

  it('keeps its own token where the SDK interceptor would attach one (the Management API is in allowedList)', async () => {
    const { fixture, root, controller } = await setUp();
    // The control: a call through the app's HttpClient gets the interceptor's Management API token for this URL.
    const viaApp = firstValueFrom(TestBed.inject(HttpClient).get(USER_URL));
    const intercepted = await sentRequest(controller, USER_URL);
    const interceptorToken = tokenFor(managementApiTokenOptions(TEST_CONFIG));
    expect(intercepted.request.headers.get('Authorization')).toBe(`Bearer ${interceptorToken}`);
    intercepted.flush({});
    await viaApp;

    reproduce(root, 'management_opaque_token');
    const sent = await sentRequest(controller, USER_URL);
    expect(sent.request.headers.get('Authorization')).toBe('Bearer opaque-token-without-an-audience');
    sent.flush(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Bad HTTP authentication header format',
        errorCode: 'Bearer',
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settled(fixture);
    expect(cardText(root, 'management_opaque_token')).toContain(
      'As expected: 400 "Bad HTTP authentication header format".',
    );
    expect(client.getTokenSilently).toHaveBeenCalledWith(
      expect.objectContaining({ authorizationParams: { audience: '' }, cacheMode: 'off' }),
    );
  });

  it('asks the Management API audience for read:current_user only and confirms the 403 insufficient_scope', async () => {
    const { fixture, root, controller } = await setUp();
    reproduce(root, 'management_insufficient_scope');
    const sent = await sentRequest(controller, USER_URL);
    expect(client.getTokenSilently).toHaveBeenCalledWith(
      expect.objectContaining({
        authorizationParams: { audience: MANAGEMENT_API, scope: 'openid read:current_user' },
        cacheMode: 'off',
      }),
    );
    expect(sent.request.method).toBe('PATCH');
    sent.flush(
      {
        statusCode: 403,
        error: 'Forbidden',
        message: 'Insufficient scope, expected any of: update:users,update:current_user_metadata',
        errorCode: 'insufficient_scope',
      },
      { status: 403, statusText: 'Forbidden' },
    );
    await settled(fixture);
    const text = cardText(root, 'management_insufficient_scope');
    expect(text).toContain('As expected: 403 insufficient_scope.');
    expect(text).toContain('errorCode insufficient_scope');
  });

  it('shows update:users asked for and left out of the granted scope, and the backend as the way', async () => {
    const { fixture, root, controller } = await setUp();
    reproduce(root, 'management_update_users');
    const sent = await sentRequest(controller, USER_URL);
    expect(sent.request.method).toBe('GET');
    sent.flush({ user_id: 'auth0|demo-reader', user_metadata: {} });
    await settled(fixture);
    const text = cardText(root, 'management_update_users');
    expect(text).toContain(
      'Asked for scope "openid read:current_user update:current_user_metadata update:users"; ' +
        'the token\'s scope is "openid read:current_user update:current_user_metadata": update:users left out, without an error.',
    );
    expect(text).toContain('As expected: update:users left out of the granted scope');
    expect(text).toContain('PATCH /api/me/profile');
  });

  it('says what it expected when the Management API answers otherwise', async () => {
    const { fixture, root, controller } = await setUp();
    reproduce(root, 'management_id_token');
    (await sentRequest(controller, USER_URL)).flush({ user_id: 'auth0|demo-reader' });
    await settled(fixture);
    const text = cardText(root, 'management_id_token');
    expect(text).not.toContain('As expected');
    expect(text).toContain('Expected 401 "Invalid token"; got 200.');
  });

  it('says why when a bound token sent as Bearer gets key_bound_token (useDpop on)', async () => {
    const { fixture, root, controller } = await setUp();
    reproduce(root, 'management_insufficient_scope');
    (await sentRequest(controller, USER_URL)).flush(
      {
        statusCode: 401,
        error: 'Unauthorized',
        message: 'The access token is DPoP-bound (cnf.jkt) and was sent as Bearer.',
        errorCode: 'key_bound_token',
      },
      { status: 401, statusText: 'Unauthorized' },
    );
    await settled(fixture);
    const text = cardText(root, 'management_insufficient_scope');
    expect(text).not.toContain('As expected');
    expect(text).toContain('Expected 403 insufficient_scope; got 401 key_bound_token. With useDpop on');
    expect(text).toContain('Turn useDpop off in config.json');
  });

  it('names the missing login instead of sending anything', async () => {
    const { fixture, root } = await setUp();
    client.getIdTokenClaims.mockResolvedValue(undefined);
    reproduce(root, 'management_id_token');
    await settled(fixture);
    await settled(fixture);
    expect(cardText(root, 'management_id_token')).toContain(
      'Could not get the token for this experiment: No ID token: log in first.',
    );
  });
});
