import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { provideAuth0 } from '@auth0/auth0-angular';
import type { SpaConfig } from '@sample/contract';
import {
  TEST_CONFIG,
  fakeAuth0Client,
  fakeAuth0Providers,
  type FakeAuth0Client,
} from '../testing/fake-auth0-client';
import { readableText } from '../testing/readable-text';
import { routes } from './app.routes';
import { RuntimeConfig } from './config/runtime-config';

describe('routes', () => {
  async function setUp(
    signedIn: boolean,
    config: SpaConfig = TEST_CONFIG,
  ): Promise<{ harness: RouterTestingHarness; client: FakeAuth0Client }> {
    const client = fakeAuth0Client({ signedIn });
    const runtime = new RuntimeConfig();
    runtime.set({ ok: true, config, warnings: [] });
    TestBed.configureTestingModule({
      providers: [
        provideRouter(routes),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAuth0(),
        ...fakeAuth0Providers(client, config),
        { provide: RuntimeConfig, useValue: runtime },
      ],
    });
    return { harness: await RouterTestingHarness.create(), client };
  }

  describe('authGuardFn on the guarded pages', () => {
    it.each(['/profile', '/tokens', '/lab'])(
      'sends a signed-out visitor of %s to the login page and back',
      async (url) => {
        const { harness, client } = await setUp(false);
        await harness.navigateByUrl(url);
        expect(client.loginWithRedirect).toHaveBeenCalledWith({ appState: { target: url } });
        // The guard cancelled the navigation: the guarded page never rendered.
        expect(TestBed.inject(Router).url).not.toBe(url);
        expect(harness.routeNativeElement?.querySelector('h1')).toBeFalsy();
      },
    );

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

  it('treats the lab as not found when config.json turns it off', async () => {
    const { harness } = await setUp(true, { ...TEST_CONFIG, breakItLab: false });
    await harness.navigateByUrl('/lab');
    expect(readableText(harness.routeNativeElement as HTMLElement)).toContain('Page not found');
  });

  it('shows the not-found page for unknown URLs', async () => {
    const { harness } = await setUp(false);
    await harness.navigateByUrl('/nope');
    expect(readableText(harness.routeNativeElement as HTMLElement)).toContain('Nothing lives at /nope');
  });
});
