import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { authHttpInterceptorFn, provideAuth0 } from '@auth0/auth0-angular';
import { DISPLAY_NAME_MAX_LENGTH } from '@sample/contract';
import { fakeAuth0Client, fakeAuth0Providers } from '../../testing/fake-auth0-client';
import { loadedRuntimeConfig } from '../../testing/loaded-runtime-config';
import { readableText } from '../../testing/readable-text';
import { RuntimeConfig } from '../config/runtime-config';
import { Profile } from './profile';

const MANAGEMENT_USER = 'http://localhost:4000/api/v2/users/auth0%7Creader';
const API_PROFILE = 'http://localhost:3000/api/me/profile';
const MANAGEMENT_TOKEN_OPTIONS = {
  authorizationParams: {
    audience: 'http://localhost:4000/api/v2/',
    scope: 'read:current_user update:current_user_metadata',
  },
};

type TokenOptions = { authorizationParams?: { audience?: string } } | undefined;

describe('Profile', () => {
  /**
   * The page with the SDK's real interceptor over a fake Auth0 client that hands out one token per audience.
   * @param managementToken What a silent token request for the Management API does (default: a token).
   */
  async function setUp(managementToken: () => Promise<string> = () => Promise.resolve('management-token')) {
    const client = fakeAuth0Client({ signedIn: true });
    client.getTokenSilently.mockImplementation((options: TokenOptions) =>
      options?.authorizationParams?.audience === 'http://localhost:4000/api/v2/'
        ? managementToken()
        : Promise.resolve('api-token'),
    );
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authHttpInterceptorFn])),
        provideHttpClientTesting(),
        provideAuth0(),
        ...fakeAuth0Providers(client),
        { provide: RuntimeConfig, useValue: loadedRuntimeConfig() },
      ],
    });
    const fixture = TestBed.createComponent(Profile);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    return { client, fixture, root, controller: TestBed.inject(HttpTestingController) };
  }

  /** Waits until the interceptor (which gets the token asynchronously) lets a request reach the backend. */
  async function request(
    controller: HttpTestingController,
    method: string,
    url: string,
  ): Promise<TestRequest> {
    for (let attempt = 0; attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve));
      const [found] = controller.match((candidate) => candidate.method === method && candidate.url === url);
      if (found) return found;
    }
    throw new Error(`no ${method} ${url}`);
  }

  /** Lets the awaited response reach the component, then its change detection run. */
  async function settled(fixture: ComponentFixture<Profile>): Promise<void> {
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  /** Answers both loads: the Management API's user object and the API's ProfileView. */
  async function answerLoads(
    fixture: ComponentFixture<Profile>,
    controller: HttpTestingController,
  ): Promise<void> {
    (await request(controller, 'GET', MANAGEMENT_USER)).flush({
      user_id: 'auth0|reader',
      email: 'reader@example.com',
      user_metadata: { displayName: 'Ada', theme: 'dark', favouriteColour: 'teal' },
    });
    (await request(controller, 'GET', API_PROFILE)).flush({
      userId: 'auth0|reader',
      displayName: 'Ada',
      theme: 'dark',
    });
    await settled(fixture);
  }

  function card(root: HTMLElement, heading: string): HTMLElement {
    const section = [...root.querySelectorAll('section')].find(
      (candidate) => candidate.querySelector('h2')?.textContent?.trim() === heading,
    );
    if (!section) throw new Error(`no card ${heading}`);
    return section;
  }

  function field<T extends HTMLElement>(root: HTMLElement, id: string): T {
    const found = root.querySelector<T>(`#${id}`);
    if (!found) throw new Error(`no field #${id}`);
    return found;
  }

  function type(input: HTMLInputElement, value: string): void {
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  function choose(select: HTMLSelectElement, value: string): void {
    select.value = value;
    select.dispatchEvent(new Event('change'));
  }

  function button(element: HTMLElement, name: string): HTMLButtonElement {
    const found = [...element.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
    if (!found) throw new Error(`no button ${name}`);
    return found;
  }

  const statusOf = (element: HTMLElement) => element.querySelector('[role="status"]')?.textContent?.trim();
  const alertOf = (element: HTMLElement) => {
    const alert = element.querySelector('.banner[role="alert"]');
    return alert ? readableText(alert) : null;
  };

  afterEach(() => {
    TestBed.inject(HttpTestingController).verify();
    delete document.documentElement.dataset['theme'];
  });

  describe('straight to the Management API', () => {
    it("reads the user's own record with a token for the Management API audience", async () => {
      const { fixture, root, controller, client } = await setUp();
      const get = await request(controller, 'GET', MANAGEMENT_USER);
      expect(get.request.headers.get('Authorization')).toBe('Bearer management-token');
      expect(client.getTokenSilently).toHaveBeenCalledWith(MANAGEMENT_TOKEN_OPTIONS);
      get.flush({
        user_id: 'auth0|reader',
        // A value the contract does not allow (written by another app, say) is ignored.
        user_metadata: { displayName: 'Ada', theme: 'purple' },
      });
      (await request(controller, 'GET', API_PROFILE)).flush({
        userId: 'auth0|reader',
        displayName: 'Ada',
        theme: null,
      });
      await settled(fixture);

      const management = card(root, 'Straight to the Management API');
      expect(field<HTMLInputElement>(management, 'management-display-name').value).toBe('Ada');
      expect(field<HTMLSelectElement>(management, 'management-theme').value).toBe('');
      expect(statusOf(management)).toBe('Loaded: display name "Ada", no theme.');
    });

    it('saves with PATCH { user_metadata }, null deleting a key, and announces the result', async () => {
      const { fixture, root, controller } = await setUp();
      await answerLoads(fixture, controller);
      const management = card(root, 'Straight to the Management API');
      type(field(management, 'management-display-name'), '  Grace Hopper ');
      choose(field(management, 'management-theme'), '');
      button(management, 'Save through the Management API').click();

      const patch = await request(controller, 'PATCH', MANAGEMENT_USER);
      expect(patch.request.headers.get('Authorization')).toBe('Bearer management-token');
      expect(patch.request.body).toEqual({ user_metadata: { displayName: 'Grace Hopper', theme: null } });
      patch.flush({ user_id: 'auth0|reader', user_metadata: { displayName: 'Grace Hopper' } });
      await settled(fixture);

      expect(statusOf(management)).toBe('Saved: display name "Grace Hopper", no theme.');
      expect(alertOf(management)).toBeNull();
    });

    it('on consent_required, sends nothing and offers the pop-up; the token it brings loads the profile', async () => {
      let consented = false;
      const consentRequired = Object.assign(new Error('Consent required'), { error: 'consent_required' });
      const { fixture, root, controller, client } = await setUp(() =>
        consented ? Promise.resolve('management-token') : Promise.reject(consentRequired),
      );
      (await request(controller, 'GET', API_PROFILE)).flush({
        userId: 'auth0|reader',
        displayName: null,
        theme: null,
      });
      await settled(fixture);
      controller.expectNone(MANAGEMENT_USER);
      const management = card(root, 'Straight to the Management API');
      expect(alertOf(management)).toContain(
        'No token for the Management API without your help (consent_required).',
      );
      expect(statusOf(management)).toBe('Could not load your profile.');

      client.getTokenWithPopup.mockImplementation(() => {
        consented = true;
        return Promise.resolve('management-token');
      });
      button(management, 'Grant access in a pop-up').click();
      // Called within the click itself: a pop-up opened after an await would be blocked.
      expect(client.getTokenWithPopup).toHaveBeenCalledWith(MANAGEMENT_TOKEN_OPTIONS);

      const get = await request(controller, 'GET', MANAGEMENT_USER);
      expect(get.request.headers.get('Authorization')).toBe('Bearer management-token');
      get.flush({ user_id: 'auth0|reader', user_metadata: { theme: 'light' } });
      await settled(fixture);
      expect(statusOf(management)).toBe('Loaded: no display name, theme light.');
      expect(alertOf(management)).toBeNull();
    });

    it.each(['login_required', 'interaction_required', 'missing_refresh_token'])(
      'offers the pop-up on %s too',
      async (code) => {
        const error = Object.assign(new Error(code), { error: code });
        const { fixture, root, controller } = await setUp(() => Promise.reject(error));
        (await request(controller, 'GET', API_PROFILE)).flush({
          userId: 'auth0|reader',
          displayName: null,
          theme: null,
        });
        await settled(fixture);
        const management = card(root, 'Straight to the Management API');
        expect(alertOf(management)).toContain(`(${code})`);
        expect(button(management, 'Grant access in a pop-up').disabled).toBe(false);
      },
    );

    it('says so when the pop-up cannot open, and keeps the button', async () => {
      const consentRequired = Object.assign(new Error('Consent required'), { error: 'consent_required' });
      const { fixture, root, controller, client } = await setUp(() => Promise.reject(consentRequired));
      (await request(controller, 'GET', API_PROFILE)).flush({
        userId: 'auth0|reader',
        displayName: null,
        theme: null,
      });
      await settled(fixture);
      const management = card(root, 'Straight to the Management API');
      client.getTokenWithPopup.mockRejectedValue(
        Object.assign(new Error('Unable to open a popup'), { error: 'popup_open' }),
      );
      button(management, 'Grant access in a pop-up').click();
      await settled(fixture);
      expect(alertOf(management)).toContain(
        'No token from the pop-up (popup_open). The browser blocked the pop-up: allow pop-ups for this site, then try again.',
      );
      expect(statusOf(management)).toBe('Access not granted.');
      expect(button(management, 'Grant access in a pop-up').disabled).toBe(false);
      controller.expectNone(MANAGEMENT_USER);
    });

    it("shows Auth0's error: status, message and errorCode", async () => {
      const { fixture, root, controller } = await setUp();
      (await request(controller, 'GET', MANAGEMENT_USER)).flush(
        {
          statusCode: 403,
          error: 'Forbidden',
          message: 'Insufficient scope, expected any of: read:users,read:current_user',
          errorCode: 'insufficient_scope',
        },
        { status: 403, statusText: 'Forbidden' },
      );
      (await request(controller, 'GET', API_PROFILE)).flush({
        userId: 'auth0|reader',
        displayName: null,
        theme: null,
      });
      await settled(fixture);
      expect(alertOf(card(root, 'Straight to the Management API'))).toBe(
        '403 Forbidden: Insufficient scope, expected any of: read:users,read:current_user Code: insufficient_scope',
      );
    });
  });

  describe("through this app's API", () => {
    it("reads and saves /api/me/profile with the API's own token and a ProfilePatch body", async () => {
      const { fixture, root, controller } = await setUp();
      await answerLoads(fixture, controller);
      const api = card(root, "Through this app's API");
      expect(field<HTMLInputElement>(api, 'api-display-name').value).toBe('Ada');
      expect(field<HTMLSelectElement>(api, 'api-theme').value).toBe('dark');
      expect(document.documentElement.dataset['theme']).toBe('dark');

      choose(field(api, 'api-theme'), 'light');
      button(api, "Save through this app's API").click();
      const patch = await request(controller, 'PATCH', API_PROFILE);
      expect(patch.request.headers.get('Authorization')).toBe('Bearer api-token');
      expect(patch.request.body).toEqual({ displayName: 'Ada', theme: 'light' });
      patch.flush({ userId: 'auth0|reader', displayName: 'Ada', theme: 'light' });
      await settled(fixture);

      expect(statusOf(api)).toBe('Saved: display name "Ada", theme light.');
      expect(document.documentElement.dataset['theme']).toBe('light');
    });

    it('shows a 403 insufficient_permission by its reason and detail (a user without edit:profile)', async () => {
      const { fixture, root, controller } = await setUp();
      (await request(controller, 'GET', MANAGEMENT_USER)).flush({
        user_id: 'auth0|reader',
        user_metadata: {},
      });
      (await request(controller, 'GET', API_PROFILE)).flush(
        {
          type: 'about:blank',
          title: 'Missing permission',
          status: 403,
          detail: 'The token lacks edit:profile.',
          reason: 'insufficient_permission',
        },
        {
          status: 403,
          statusText: 'Forbidden',
          headers: { 'Content-Type': 'application/problem+json' },
        },
      );
      await settled(fixture);
      const api = card(root, "Through this app's API");
      expect(alertOf(api)).toBe(
        '403: Missing permission (insufficient_permission). The token lacks edit:profile. Code: insufficient_permission',
      );
      expect(statusOf(card(root, 'Straight to the Management API'))).toBe(
        'Loaded: no display name, no theme.',
      );
    });

    it.each([
      ['management_not_configured', 'Set MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET.', {}],
      ['management_rate_limited', 'The Management API is rate limiting this API.', { 'Retry-After': '30' }],
    ])('shows a 503 %s with its detail', async (reason, detail, headers: Record<string, string>) => {
      const { fixture, root, controller } = await setUp();
      (await request(controller, 'GET', MANAGEMENT_USER)).flush({
        user_id: 'auth0|reader',
        user_metadata: {},
      });
      // A problem body that arrives as text is read too.
      (await request(controller, 'GET', API_PROFILE)).flush(
        JSON.stringify({ type: 'about:blank', title: 'Profile unavailable', status: 503, detail, reason }),
        {
          status: 503,
          statusText: 'Service Unavailable',
          headers: { 'Content-Type': 'application/problem+json', ...headers },
        },
      );
      await settled(fixture);
      const alert = alertOf(card(root, "Through this app's API"));
      expect(alert).toContain(`503: Profile unavailable (${reason}). ${detail}`);
      expect(alert).toContain(`Code: ${reason}`);
      if (headers['Retry-After']) expect(alert).toContain('Try again in 30 s.');
    });
  });

  describe('the form', () => {
    it('refuses a display name longer than the contract allows, naming the rule, and sends nothing', async () => {
      const { fixture, root, controller } = await setUp();
      await answerLoads(fixture, controller);
      const api = card(root, "Through this app's API");
      const name = field<HTMLInputElement>(api, 'api-display-name');
      type(name, 'x'.repeat(DISPLAY_NAME_MAX_LENGTH + 1));
      button(api, "Save through this app's API").click();
      await settled(fixture);

      const error = field(api, 'api-display-name-error');
      expect(error.getAttribute('role')).toBe('alert');
      expect(error.textContent?.trim()).toBe(
        `displayName must be at most ${DISPLAY_NAME_MAX_LENGTH} characters`,
      );
      expect(name.getAttribute('aria-invalid')).toBe('true');
      expect(name.getAttribute('aria-describedby')).toBe('api-display-name-hint api-display-name-error');
      expect(statusOf(api)).toBe('Not saved: check the highlighted field.');
      controller.expectNone((candidate) => candidate.method === 'PATCH');
    });

    it('labels every field, and offers the themes of the contract', async () => {
      const { fixture, root, controller } = await setUp();
      await answerLoads(fixture, controller);
      for (const prefix of ['management', 'api']) {
        expect(root.querySelector(`label[for="${prefix}-display-name"]`)?.textContent?.trim()).toBe(
          'Display name',
        );
        expect(root.querySelector(`label[for="${prefix}-theme"]`)?.textContent?.trim()).toBe('Theme');
        const options = [...field<HTMLSelectElement>(root, `${prefix}-theme`).options].map((o) => o.value);
        expect(options).toEqual(['', 'system', 'light', 'dark']);
      }
    });
  });
});
