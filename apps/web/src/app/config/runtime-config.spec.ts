import { HttpBackend, HttpClient, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ApplicationInitStatus } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { AuthClientConfig } from '@auth0/auth0-angular';
import { ALL_PERMISSIONS } from '@sample/contract';
import {
  CONFIG_URL,
  RuntimeConfig,
  loadSpaConfig,
  provideRuntimeConfig,
  type ConfigLoadResult,
} from './runtime-config';

/** What the SPA asks for when config.json names no scope: the OIDC scopes, then every API permission. */
const DEFAULT_SCOPE = ['openid', 'profile', 'email', ...ALL_PERMISSIONS].join(' ');

const valid = {
  domain: 'http://localhost:4000',
  clientId: 'sample-spa',
  audience: 'https://api.sample.local',
  apiUrl: 'http://localhost:3000/',
};

describe('runtime config', () => {
  let http: HttpClient;
  let controller: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = new HttpClient(TestBed.inject(HttpBackend));
    controller = TestBed.inject(HttpTestingController);
  });

  afterEach(() => controller.verify());

  async function load(respond: (controller: HttpTestingController) => void): Promise<ConfigLoadResult> {
    const pending = loadSpaConfig(http);
    respond(controller);
    return pending;
  }

  describe('loadSpaConfig', () => {
    it('fetches config.json and returns the validated config with defaults', async () => {
      const result = await load((c) => c.expectOne(CONFIG_URL).flush(JSON.stringify(valid)));
      expect(result).toEqual({
        ok: true,
        warnings: [],
        json: valid,
        config: expect.objectContaining({
          domain: 'http://localhost:4000',
          issuer: 'http://localhost:4000/',
          apiUrl: 'http://localhost:3000',
          scope: DEFAULT_SCOPE,
          useRefreshTokens: false,
        }),
      });
    });

    it('keeps the file as served, with keys the shared config does not know, for the features that own them', async () => {
      const served = { ...valid, featureFlag: true, featureSettings: { size: 3 } };
      const result = await load((c) => c.expectOne(CONFIG_URL).flush(JSON.stringify(served)));
      expect(result.ok && result.json).toEqual(served);
    });

    it('names every invalid field with the value it got and a good example', async () => {
      const result = await load((c) =>
        c
          .expectOne(CONFIG_URL)
          .flush(JSON.stringify({ ...valid, domain: 'https://x.auth0.com/path', audience: '' })),
      );
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problem.title).toBe('config.json has 2 invalid fields.');
      expect(result.problem.issues.map((issue) => issue.key)).toEqual(['domain', 'audience']);
      expect(result.problem.issues[0]?.message).toContain('(got "https://x.auth0.com/path")');
      expect(result.problem.issues[1]?.message).toBe(
        'audience is required: set it, for example audience=https://api.example.com (the API identifier)',
      );
      expect(result.problem.fix).toContain('apps/web/public/config.json');
    });

    it('explains a missing file served as index.html by the SPA fallback', async () => {
      const result = await load((c) => c.expectOne(CONFIG_URL).flush('<!doctype html><html></html>'));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problem.title).toContain('returned an HTML page, not JSON');
    });

    it('explains invalid JSON', async () => {
      const result = await load((c) => c.expectOne(CONFIG_URL).flush('{ "domain": '));
      expect(!result.ok && result.problem.title).toBe('config.json is not valid JSON.');
    });

    it('explains a 404', async () => {
      const result = await load((c) =>
        c.expectOne(CONFIG_URL).flush('nope', { status: 404, statusText: 'Not Found' }),
      );
      expect(!result.ok && result.problem).toEqual({
        title: 'config.json could not be fetched: the server answered 404 Not Found.',
        issues: [],
        fix: expect.stringContaining('Create apps/web/public/config.json') as string,
      });
    });

    it('explains an unreachable server', async () => {
      const result = await load((c) => c.expectOne(CONFIG_URL).error(new ProgressEvent('error')));
      expect(!result.ok && result.problem.title).toBe(
        'config.json could not be fetched: the server did not answer.',
      );
    });
  });
});

describe('provideRuntimeConfig', () => {
  function setUp() {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRuntimeConfig()],
    });
    const controller = TestBed.inject(HttpTestingController);
    return { controller, done: TestBed.inject(ApplicationInitStatus).donePromise };
  }

  it('hands a valid config to the SDK before the app starts', async () => {
    const { controller, done } = setUp();
    controller.expectOne(CONFIG_URL).flush(JSON.stringify(valid));
    await done;
    expect(TestBed.inject(RuntimeConfig).problem).toBeNull();
    expect(TestBed.inject(RuntimeConfig).json).toEqual(valid);
    expect(TestBed.inject(AuthClientConfig).get()).toEqual(
      expect.objectContaining({
        domain: 'http://localhost:4000',
        clientId: 'sample-spa',
        authorizationParams: {
          audience: 'https://api.sample.local',
          scope: DEFAULT_SCOPE,
          redirect_uri: 'http://localhost',
        },
      }),
    );
  });

  it('keeps the SDK unconfigured and records the problem when the config is invalid', async () => {
    const { controller, done } = setUp();
    controller.expectOne(CONFIG_URL).flush(JSON.stringify({}));
    await done;
    expect(TestBed.inject(RuntimeConfig).problem?.issues).toHaveLength(4);
    expect(TestBed.inject(AuthClientConfig).get()).toBeUndefined();
    expect(() => TestBed.inject(RuntimeConfig).config).toThrow('before a valid /config.json was loaded');
    expect(() => TestBed.inject(RuntimeConfig).json).toThrow('before a valid /config.json was loaded');
  });
});
