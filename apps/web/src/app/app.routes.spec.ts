import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { provideAuth0 } from '@auth0/auth0-angular';
import { fakeAuth0Client, fakeAuth0Providers, type FakeAuth0Client } from '../testing/fake-auth0-client';
import { loadedRuntimeConfig } from '../testing/loaded-runtime-config';
import { readableText } from '../testing/readable-text';
import { routes } from './app.routes';
import { RuntimeConfig } from './config/runtime-config';
import { Shell } from './shell/shell';

describe('routes', () => {
  async function setUp(
    signedIn: boolean,
  ): Promise<{ harness: RouterTestingHarness; client: FakeAuth0Client }> {
    const client = fakeAuth0Client({ signedIn });
    TestBed.configureTestingModule({
      providers: [
        provideRouter(routes),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAuth0(),
        ...fakeAuth0Providers(client),
        { provide: RuntimeConfig, useValue: loadedRuntimeConfig() },
      ],
    });
    return { harness: await RouterTestingHarness.create(), client };
  }

  describe('authGuardFn on the profile', () => {
    it('sends a signed-out visitor to the login page and back', async () => {
      const { harness, client } = await setUp(false);
      await harness.navigateByUrl('/profile');
      expect(client.loginWithRedirect).toHaveBeenCalledWith({ appState: { target: '/profile' } });
      // The guard cancelled the navigation: the guarded page never rendered.
      expect(TestBed.inject(Router).url).not.toBe('/profile');
      expect(harness.routeNativeElement?.querySelector('h1')).toBeFalsy();
    });

    it('shows the profile to a signed-in user', async () => {
      const { harness, client } = await setUp(true);
      await harness.navigateByUrl('/profile');
      await harness.fixture.whenStable();
      expect(client.loginWithRedirect).not.toHaveBeenCalled();
      const text = readableText(harness.routeNativeElement as HTMLElement);
      expect(text).toContain('Profile');
      expect(text).toContain('sub auth0|reader');
    });
  });

  it('lets anyone open the public pages', async () => {
    const { harness, client } = await setUp(false);
    await harness.navigateByUrl('/api');
    expect(readableText(harness.routeNativeElement as HTMLElement)).toContain('Call the API');
    expect(client.loginWithRedirect).not.toHaveBeenCalled();
  });

  it('shows the not-found page for unknown URLs', async () => {
    const { harness } = await setUp(false);
    await harness.navigateByUrl('/nope');
    expect(readableText(harness.routeNativeElement as HTMLElement)).toContain('Nothing lives at /nope');
  });

  it("links the shell's navigation and the home page to the pages whose routes declare a link", async () => {
    const { harness } = await setUp(false);
    const shell = TestBed.createComponent(Shell);
    await harness.navigateByUrl('/');
    await shell.whenStable();
    const nav = (shell.nativeElement as HTMLElement).querySelector('nav');
    const links = [...(nav?.querySelectorAll('a') ?? [])].map((a) => [
      a.textContent?.trim(),
      a.getAttribute('href'),
    ]);
    expect(links.slice(0, 3)).toEqual([
      ['Home', '/'],
      ['Profile', '/profile'],
      ['Call the API', '/api'],
    ]);
    const home = readableText(harness.routeNativeElement as HTMLElement);
    expect(home).toContain("Profile : the ID token's claims");
    expect(home).toContain('Call the API : public, protected, admin and /api/me');
  });
});
