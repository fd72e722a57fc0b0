import { parseSpaConfig } from '@sample/contract';
import { RuntimeConfig } from '../app/config/runtime-config';
import { TEST_CONFIG_JSON } from './fake-auth0-client';

/**
 * A `RuntimeConfig` as the initializer leaves it after loading `json` (the local tenant's config by default).
 * @example { provide: RuntimeConfig, useValue: loadedRuntimeConfig({ ...TEST_CONFIG_JSON, breakItLab: true }) }
 */
export function loadedRuntimeConfig(
  json: Readonly<Record<string, unknown>> = TEST_CONFIG_JSON,
): RuntimeConfig {
  const runtime = new RuntimeConfig();
  const { config, warnings } = parseSpaConfig(json);
  runtime.set({ ok: true, config, json, warnings });
  return runtime;
}
