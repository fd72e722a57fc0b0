import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { authHttpInterceptorFn, provideAuth0 } from '@auth0/auth0-angular';
import { fakeAuth0Client, fakeAuth0Providers } from '../../testing/fake-auth0-client';
import { loadedRuntimeConfig } from '../../testing/loaded-runtime-config';
import { readableText } from '../../testing/readable-text';
import { sentRequest } from '../../testing/sent-request';
import { settled } from '../../testing/settled';
import { RuntimeConfig } from '../config/runtime-config';
import { ApiConsole } from './api-console';

const API = 'http://localhost:3000';

describe('ApiConsole', () => {
  async function setUp(signedIn: boolean) {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authHttpInterceptorFn])),
        provideHttpClientTesting(),
        provideAuth0(),
        ...fakeAuth0Providers(fakeAuth0Client({ signedIn, token: 'access-token' })),
        { provide: RuntimeConfig, useValue: loadedRuntimeConfig() },
      ],
    });
    const fixture = TestBed.createComponent(ApiConsole);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    return { fixture, root, controller: TestBed.inject(HttpTestingController) };
  }

  function button(root: HTMLElement, name: string): HTMLButtonElement {
    const found = [...root.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === name);
    if (!found) throw new Error(`no button ${name}`);
    return found;
  }

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it("signed out, sends a protected call without a token and shows the API's 401 missing_token", async () => {
    const { fixture, root, controller } = await setUp(false);
    expect(readableText(root)).toContain('the API refuses the others with 401 missing_token');

    button(root, 'Call GET /api/messages/protected').click();
    const sent = await sentRequest(controller, `${API}/api/messages/protected`);
    expect(sent.request.headers.has('Authorization')).toBe(false);
    sent.flush(
      {
        type: 'about:blank',
        title: 'No access token',
        status: 401,
        detail: 'The request has no Authorization header.',
        reason: 'missing_token',
      },
      {
        status: 401,
        statusText: 'Unauthorized',
        headers: { 'Content-Type': 'application/problem+json', 'WWW-Authenticate': 'Bearer realm="api"' },
      },
    );
    await settled(fixture);
    expect(readableText(root)).toContain('401: No access token (missing_token).');
  });

  it('calls a typed path through the same interceptor: a token for any path under /api/', async () => {
    const { fixture, root, controller } = await setUp(true);
    const input = root.querySelector<HTMLInputElement>('#other-path');
    if (!input) throw new Error('no path field');
    input.value = 'api/added-later';
    input.dispatchEvent(new Event('input'));
    button(root, 'Call GET this path').click();

    const sent = await sentRequest(controller, `${API}/api/added-later`);
    expect(sent.request.headers.get('Authorization')).toBe('Bearer access-token');
    sent.flush({ text: 'new endpoint' });
    await settled(fixture);
    expect(readableText(root)).toContain('200 OK: the API accepted the request.');
  });
});
