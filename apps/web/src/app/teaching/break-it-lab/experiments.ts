import type { ReasonCode } from '@sample/contract';
import type { LabSettings } from './lab-settings';

/** One deliberate mistake the lab reproduces, and the API reason it must produce. */
export interface Experiment {
  /** The `reason` the API must answer with. */
  readonly expected: ReasonCode;
  readonly title: string;
  /** What the lab does wrong, in plain words. */
  readonly mistake: string;
  /** The API path it calls (under `apiUrl`). */
  readonly path: string;
  /** Why it cannot run with this config, or null. */
  readonly unavailable: string | null;
}

/** The lab's experiments, in the order a reader meets these mistakes. */
export function experimentsFor(config: LabSettings): Experiment[] {
  return [
    {
      expected: 'id_token_used',
      title: 'Send the ID token to the API',
      mistake:
        'Puts the ID token (aud = the client id) in the Authorization header instead of the access token.',
      path: '/api/messages/protected',
      unavailable: null,
    },
    {
      expected: 'opaque_token',
      title: 'Get a token without an audience',
      mistake: 'Asks the auth server for an access token with an empty audience, so it issues an opaque one.',
      path: '/api/messages/protected',
      unavailable: null,
    },
    {
      expected: 'audience_mismatch',
      title: 'Get a token for another API',
      mistake: `Asks for an access token for ${config.labOtherAudience ?? 'another API'} and sends it to this one.`,
      path: '/api/messages/protected',
      unavailable: config.labOtherAudience
        ? null
        : 'Set labOtherAudience in config.json to the identifier of another API in your tenant.',
    },
    {
      expected: 'insufficient_permission',
      title: 'Call the admin endpoint without the permission',
      mistake: 'Sends a valid access token that lacks read:admin-messages to /api/messages/admin.',
      path: '/api/messages/admin',
      unavailable: null,
    },
    {
      expected: 'invalid_signature',
      title: 'Tamper with the token',
      mistake:
        'Edits the access token payload (adds read:admin-messages, extends exp by a year) and keeps the original signature.',
      path: '/api/messages/admin',
      unavailable: null,
    },
    {
      expected: 'token_expired',
      title: 'Send an expired token',
      mistake: `Gets a token for ${config.labShortLivedAudience ?? 'a short-lived API'} (it lives seconds), waits until it has expired, then sends it.`,
      path: '/api/messages/protected',
      unavailable: config.labShortLivedAudience
        ? null
        : 'Set labShortLivedAudience in config.json to an API whose tokens live a few seconds.',
    },
  ];
}
