import { HttpBackend, HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject, provideAppInitializer, type EnvironmentProviders } from '@angular/core';
import { AuthClientConfig } from '@auth0/auth0-angular';
import {
  ConfigError,
  parseSpaConfig,
  type ConfigIssue,
  type ConfigWarning,
  type SpaConfig,
} from '@sample/contract';
import { firstValueFrom } from 'rxjs';
import { auth0ConfigFor } from '../auth/auth0-config';

/** Where the runtime config is served from (relative to `<base href>`, so `/config.json` in the default setup). */
export const CONFIG_URL = 'config.json';

/** Why the app cannot start: rendered by `ConfigProblemPage` instead of a blank page. */
export interface ConfigProblem {
  /** One sentence: what went wrong. */
  readonly title: string;
  /** Each bad field with the value it got and an example of a good one (from the shared contract). */
  readonly issues: readonly ConfigIssue[];
  /** What to do about it. */
  readonly fix: string;
}

/** The outcome of loading `/config.json`: a validated config, or a problem to show. */
export type ConfigLoadResult =
  | {
      readonly ok: true;
      readonly config: SpaConfig;
      /** The file as served: features parse the keys they own from it (`SpaConfig` keeps only the shared ones). */
      readonly json: Readonly<Record<string, unknown>>;
      readonly warnings: readonly ConfigWarning[];
    }
  | { readonly ok: false; readonly problem: ConfigProblem };

const WHERE = 'apps/web/public/config.json (or the config.json your server serves next to index.html)';

/**
 * Fetches and validates the runtime config. Never throws: every failure becomes a `ConfigProblem`.
 * @param http An `HttpClient` on `HttpBackend`, so no interceptor runs before the config exists.
 */
export async function loadSpaConfig(http: HttpClient, url = CONFIG_URL): Promise<ConfigLoadResult> {
  let text: string;
  try {
    text = await firstValueFrom(
      http.get(url, { responseType: 'text', headers: { Accept: 'application/json' } }),
    );
  } catch (error) {
    return { ok: false, problem: unreachable(url, error) };
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const html = /^\s*</.test(text);
    return {
      ok: false,
      problem: {
        title: html
          ? `${url} returned an HTML page, not JSON: the file is missing, so the server answered with index.html.`
          : `${url} is not valid JSON.`,
        issues: [],
        fix: `Create ${WHERE} with domain, clientId, audience and apiUrl (see apps/web/README.md).`,
      },
    };
  }

  try {
    const { config, warnings } = parseSpaConfig(json);
    return { ok: true, config, json: isJsonObject(json) ? json : {}, warnings };
  } catch (error) {
    if (error instanceof ConfigError) {
      return {
        ok: false,
        problem: {
          title: `${url} has ${error.issues.length} invalid field${error.issues.length === 1 ? '' : 's'}.`,
          issues: error.issues,
          fix: `Correct the fields below in ${WHERE}, then reload this page.`,
        },
      };
    }
    throw error;
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unreachable(url: string, error: unknown): ConfigProblem {
  const status = error instanceof HttpErrorResponse ? error.status : 0;
  return {
    title:
      status === 0
        ? `${url} could not be fetched: the server did not answer.`
        : `${url} could not be fetched: the server answered ${status}${error instanceof HttpErrorResponse && error.statusText ? ` ${error.statusText}` : ''}.`,
    issues: [],
    fix:
      status === 404
        ? `Create ${WHERE}.`
        : 'Check that the web server is running (npm start serves it on http://localhost:4200), then reload.',
  };
}

/** Holds the outcome of the config initializer; components read `config` once the app runs. */
@Injectable({ providedIn: 'root' })
export class RuntimeConfig {
  private result: ConfigLoadResult | null = null;

  /** Stores the loaded config (called once, by the initializer). */
  set(result: ConfigLoadResult): void {
    this.result = result;
  }

  /** Why the app cannot start, or null when the config is valid. */
  get problem(): ConfigProblem | null {
    return this.result && !this.result.ok ? this.result.problem : null;
  }

  /** Likely mistakes in a valid config (shown on the home page). */
  get warnings(): readonly ConfigWarning[] {
    return this.result?.ok ? this.result.warnings : [];
  }

  /** The validated config. Only the shell and its pages read it: they exist only when the config is valid. */
  get config(): SpaConfig {
    if (!this.result?.ok) {
      throw new Error('RuntimeConfig.config read before a valid /config.json was loaded');
    }
    return this.result.config;
  }

  /**
   * The valid `/config.json` as served, for a feature that reads keys of its own (and validates them itself).
   * @example parseMyFeatureSettings(inject(RuntimeConfig).json)
   */
  get json(): Readonly<Record<string, unknown>> {
    if (!this.result?.ok) {
      throw new Error('RuntimeConfig.json read before a valid /config.json was loaded');
    }
    return this.result.json;
  }
}

/**
 * Loads `/config.json` before the root component starts, validates it with the shared contract and hands
 * it to the Auth0 SDK through `AuthClientConfig` (read by `provideAuth0()`'s client factory on first use).
 *
 * @example
 * providers: [provideHttpClient(withInterceptors([authHttpInterceptorFn])), provideAuth0(), provideRuntimeConfig()]
 */
export function provideRuntimeConfig(url = CONFIG_URL): EnvironmentProviders {
  return provideAppInitializer(async () => {
    // Built on HttpBackend: the auth interceptor must not run, it needs the config this request loads.
    const http = new HttpClient(inject(HttpBackend));
    const runtime = inject(RuntimeConfig);
    const sdkConfig = inject(AuthClientConfig);

    const result = await loadSpaConfig(http, url);
    runtime.set(result);
    if (result.ok) {
      sdkConfig.set(auth0ConfigFor(result.config, window.location.origin));
      for (const warning of result.warnings) console.warn(`config.json: ${warning.message}`);
    }
  });
}
