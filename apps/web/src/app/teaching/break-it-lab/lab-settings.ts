import { Injectable, inject } from '@angular/core';
import { ConfigError } from '@sample/contract';
import * as z from 'zod/mini';
import { RuntimeConfig } from '../../config/runtime-config';

/** The lab's keys in `/config.json`; the shared `SpaConfig` does not know them, the app's core ignores them. */
export interface LabSettings {
  /** Show the lab. Off unless config.json says `"breakItLab": true`: a production config never exposes it. */
  readonly breakItLab: boolean;
  /** Identifier of another API in the tenant; its tokens get `audience_mismatch`. Unset: that experiment is off. */
  readonly labOtherAudience?: string;
  /** Identifier of an API whose tokens live seconds; the lab waits for `token_expired`. Unset: off. */
  readonly labShortLivedAudience?: string;
  /**
   * Identifier of an API with Auth0's RBAC off: a user's token for it carries every scope the app asks for and no
   * `permissions` claim (why the API authorizes users by `permissions` only). Unset: that experiment is off.
   */
  readonly labRbacOffAudience?: string;
}

/** An optional non-empty string; the message names the key, the value it got and a good one. */
function optionalAudience(key: string, example: string) {
  const message = (input: unknown) =>
    `${key} must be an API identifier like "${example}" (got ${JSON.stringify(input)})`;
  return z.optional(
    z
      .string({ error: (issue) => message(issue.input) })
      .check(z.trim(), z.minLength(1, { error: (issue) => message(issue.input) })),
  );
}

const labSettingsSchema = z.object({
  breakItLab: z._default(
    z.boolean({
      error: (issue) => `breakItLab must be true or false (got ${JSON.stringify(issue.input)})`,
    }),
    false,
  ),
  labOtherAudience: optionalAudience('labOtherAudience', 'https://other-api.sample.local'),
  labShortLivedAudience: optionalAudience('labShortLivedAudience', 'https://short-lived-api.sample.local'),
  labRbacOffAudience: optionalAudience('labRbacOffAudience', 'https://rbac-off-api.sample.local'),
});

/**
 * Reads the lab's keys from the `/config.json` object; every other key is left to the app.
 * @throws ConfigError listing every bad lab key, each with the value it got.
 * @example parseLabSettings({ breakItLab: true }) // { breakItLab: true }
 */
export function parseLabSettings(json: Readonly<Record<string, unknown>>): LabSettings {
  const result = labSettingsSchema.safeParse(json);
  if (!result.success) {
    throw new ConfigError(
      '/config.json (lab settings)',
      result.error.issues.map((issue) => ({ key: issue.path.join('.'), message: issue.message })),
    );
  }
  return result.data;
}

/** The lab settings of the loaded config.json, read once. Invalid ones keep the lab off and say why in the console. */
@Injectable({ providedIn: 'root' })
export class LabConfig {
  readonly settings: LabSettings = settingsOrOff(inject(RuntimeConfig).json);
}

function settingsOrOff(json: Readonly<Record<string, unknown>>): LabSettings {
  try {
    return parseLabSettings(json);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.warn(`config.json: the Break it lab stays off. ${error.message}`);
    return { breakItLab: false };
  }
}

/**
 * True when config.json turns the lab on. Used as the lab route's `canMatch` (off: its URL is not found) and as
 * its navigation link's `shown`. Runs in an injection context.
 */
export function breakItLabOn(): boolean {
  return inject(LabConfig).settings.breakItLab;
}
