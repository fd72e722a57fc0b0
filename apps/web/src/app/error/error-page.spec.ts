import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { AuthService, AuthenticationError, provideAuth0 } from '@auth0/auth0-angular';
import { firstValueFrom } from 'rxjs';
import { fakeAuth0Client, fakeAuth0Providers, type FakeAuth0Client } from '../../testing/fake-auth0-client';
import { ErrorPage } from './error-page';

describe('ErrorPage', () => {
  let client: FakeAuth0Client;

  function setUp(url: string) {
    window.history.pushState({}, '', url);
    client = fakeAuth0Client({ signedIn: false });
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'error', component: ErrorPage }]),
        provideAuth0(),
        ...fakeAuth0Providers(client),
      ],
    });
  }

  async function shownText(): Promise<string> {
    const fixture = TestBed.createComponent(ErrorPage);
    await fixture.whenStable();
    return ((fixture.nativeElement as HTMLElement).textContent ?? '').replace(/\s+/g, ' ');
  }

  afterEach(() => window.history.pushState({}, '', '/'));

  it('shows the error and description the auth server sent back to the redirect, with what to do', async () => {
    setUp('/?error=access_denied&error_description=User%20is%20blocked&state=s1');
    client.handleRedirectCallback.mockRejectedValue(
      new AuthenticationError('access_denied', 'User is blocked', 's1'),
    );
    // The SDK handles the callback when AuthService starts, and publishes the failure on error$.
    const error = await firstValueFrom(TestBed.inject(AuthService).error$);
    expect(error).toBeInstanceOf(AuthenticationError);
    const text = await shownText();
    // errorPath: the SDK itself sent the app to the error page.
    expect(TestBed.inject(Router).url).toBe('/error');
    expect(text).toContain('Sign-in failed: access_denied');
    expect(text).toContain('User is blocked');
    expect(text).toContain('What to do: The user or a rule refused the login');
  });

  it('explains a redirect that came back with a state this app never sent', async () => {
    setUp('/?code=abc&state=unknown');
    client.handleRedirectCallback.mockRejectedValue(
      Object.assign(new Error('Invalid state'), {
        error: 'missing_transaction',
        error_description: 'Invalid state',
      }),
    );
    await firstValueFrom(TestBed.inject(AuthService).error$);
    expect(await shownText()).toContain('Sign-in failed: missing_transaction');
  });

  it('does not call a silent token failure (login_required) a failed sign-in', async () => {
    setUp('/error');
    const auth = TestBed.inject(AuthService);
    await expect(firstValueFrom(auth.getAccessTokenSilently())).rejects.toMatchObject({
      error: 'login_required',
    });
    expect(await shownText()).toContain('No sign-in error was recorded in this page load.');
  });
});
