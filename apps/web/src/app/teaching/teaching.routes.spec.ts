import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { provideAuth0 } from '@auth0/auth0-angular';
import {
  TEST_CONFIG,
  TEST_CONFIG_JSON,
  fakeAuth0Client,
  fakeAuth0Providers,
  type FakeAuth0Client,
} from '../../testing/fake-auth0-client';
import { loadedRuntimeConfig } from '../../testing/loaded-runtime-config';
import { readableText } from '../../testing/readable-text';
import { routes } from '../app.routes';
import { RuntimeConfig } from '../config/runtime-config';
import { Shell } from '../shell/shell';

/** The app's routes (teaching routes included by app.routes.ts) with a config.json as served. */
async function setUp(
  signedIn: boolean,
  json: Readonly<Record<string, unknown>>,
): Promise<{ harness: RouterTestingHarness; client: FakeAuth0Client }> {
  return setUpWith(signedIn, loadedRuntimeConfig(json));
}

async function setUpWith(
  signedIn: boolean,
  runtime: RuntimeConfig,
): Promise<{ harness: RouterTestingHarness; client: FakeAuth0Client }> {
  const client = fakeAuth0Client({ signedIn });
  TestBed.configureTestingModule({
    providers: [
      provideRouter(routes),
      provideHttpClient(),
      provideHttpClientTesting(),
      provideAuth0(),
      ...fakeAuth0Providers(client),
      { provide: RuntimeConfig, useValue: runtime },
    ],
  });
  return { harness: await RouterTestingHarness.create(), client };
}

const LAB_ON = { ...TEST_CONFIG_JSON, breakItLab: true };

/** The main navigation's link texts. */
async function navLabels(): Promise<string[]> {
  const shell = TestBed.createComponent(Shell);
  await shell.whenStable();
  const nav = (shell.nativeElement as HTMLElement).querySelector('nav');
  return [...(nav?.querySelectorAll('a') ?? [])].map((a) => a.textContent?.trim() ?? '');
}

describe('teachingRoutes in the app', () => {
  it.each(['/tokens', '/lab'])('sends a signed-out visitor of %s to the login page and back', async (url) => {
    const { harness, client } = await setUp(false, LAB_ON);
    await harness.navigateByUrl(url);
    expect(client.loginWithRedirect).toHaveBeenCalledWith({ appState: { target: url } });
    expect(TestBed.inject(Router).url).not.toBe(url);
  });

  it('shows the token inspector to a signed-in user', async () => {
    const { harness } = await setUp(true, TEST_CONFIG_JSON);
    await harness.navigateByUrl('/tokens');
    expect(readableText(harness.routeNativeElement as HTMLElement)).toContain('Token inspector');
  });

  describe('the Break it lab', () => {
    it('does not exist for a config.json that never mentions it (a production config)', async () => {
      const { harness } = await setUp(true, TEST_CONFIG_JSON);
      await harness.navigateByUrl('/lab');
      expect(readableText(harness.routeNativeElement as HTMLElement)).toContain('Page not found');
      await harness.navigateByUrl('/');
      expect(readableText(harness.routeNativeElement as HTMLElement)).not.toContain('Break it lab');
      expect(await navLabels()).toEqual(['Home', 'Profile', 'Call the API', 'Token inspector']);
    });

    it('does not exist when config.json turns it off', async () => {
      const { harness } = await setUp(true, { ...TEST_CONFIG_JSON, breakItLab: false });
      await harness.navigateByUrl('/lab');
      expect(readableText(harness.routeNativeElement as HTMLElement)).toContain('Page not found');
    });

    it('stays off, saying why in the console, when breakItLab is not a boolean', async () => {
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      // The shared config ignores the lab's keys: only the teaching layer reads (and refuses) this value.
      const runtime = new RuntimeConfig();
      runtime.set({
        ok: true,
        config: TEST_CONFIG,
        json: { ...TEST_CONFIG_JSON, breakItLab: 'true' },
        warnings: [],
      });
      const { harness } = await setUpWith(true, runtime);
      await harness.navigateByUrl('/lab');
      expect(readableText(harness.routeNativeElement as HTMLElement)).toContain('Page not found');
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('breakItLab must be true or false (got "true")'),
      );
      warn.mockRestore();
    });

    it('opens, with its links in the navigation and on the home page, when config.json says true', async () => {
      const { harness } = await setUp(true, LAB_ON);
      await harness.navigateByUrl('/lab');
      expect(harness.routeNativeElement?.querySelector('h1')?.textContent).toBe('Break it lab');
      await harness.navigateByUrl('/');
      expect(readableText(harness.routeNativeElement as HTMLElement)).toContain(
        "Break it lab : send the wrong token on purpose and read the API's explanation.",
      );
      expect(await navLabels()).toEqual([
        'Home',
        'Profile',
        'Call the API',
        'Token inspector',
        'Break it lab',
      ]);
    });

    it('offers the audience experiments only when config.json names the audiences', async () => {
      const { harness } = await setUp(true, LAB_ON);
      await harness.navigateByUrl('/lab');
      const text = readableText(harness.routeNativeElement as HTMLElement);
      expect(text).toContain('Not available with this config: Set labOtherAudience in config.json');
      expect(text).toContain('Not available with this config: Set labShortLivedAudience in config.json');
      expect(text).toContain('Not available with this config: Set labRbacOffAudience in config.json');
    });
  });
});
