import { Permission, type ReasonCode } from '@sample/contract';
import type { LabSettings } from './lab-settings';

/** The experiment with a token from an API whose RBAC is off. */
export const RBAC_OFF_EXPERIMENT = 'rbac_off_scope';

/** One deliberate mistake the lab reproduces, and the API reason it must produce. */
export interface Experiment {
  /** Names the experiment (its button says "Reproduce <id>"): the expected reason, unless two share one. */
  readonly id: string;
  /** The `reason` the API must answer with. */
  readonly expected: ReasonCode;
  readonly title: string;
  /** What the lab does wrong, in plain words. */
  readonly mistake: string;
  /** What to take away once it ran, when the reason's usual fix is not the point; null otherwise. */
  readonly lesson: string | null;
  /** The API path it calls (under `apiUrl`). */
  readonly path: string;
  /** Why it cannot run with this config, or null. */
  readonly unavailable: string | null;
}

/** The lab's experiments, in the order a reader meets these mistakes. */
export function experimentsFor(config: LabSettings): Experiment[] {
  return [
    {
      id: 'id_token_used',
      expected: 'id_token_used',
      title: 'Send the ID token to the API',
      mistake:
        'Puts the ID token (aud = the client id) in the Authorization header instead of the access token.',
      path: '/api/messages/protected',
      lesson: null,
      unavailable: null,
    },
    {
      id: 'opaque_token',
      expected: 'opaque_token',
      title: 'Get a token without an audience',
      mistake: 'Asks the auth server for an access token with an empty audience, so it issues an opaque one.',
      path: '/api/messages/protected',
      lesson: null,
      unavailable: null,
    },
    {
      id: 'audience_mismatch',
      expected: 'audience_mismatch',
      title: 'Get a token for another API',
      mistake: `Asks for an access token for ${config.labOtherAudience ?? 'another API'} and sends it to this one.`,
      path: '/api/messages/protected',
      unavailable: config.labOtherAudience
        ? null
        : 'Set labOtherAudience in config.json to the identifier of another API in your tenant.',
      lesson: null,
    },
    {
      id: 'insufficient_permission',
      expected: 'insufficient_permission',
      title: 'Call the admin endpoint without the permission',
      mistake: 'Sends a valid access token that lacks read:admin-messages to /api/messages/admin.',
      path: '/api/messages/admin',
      lesson: null,
      unavailable: null,
    },
    {
      id: 'invalid_signature',
      expected: 'invalid_signature',
      title: 'Tamper with the token',
      mistake:
        'Edits the access token payload (adds read:admin-messages, extends exp by a year) and keeps the original signature.',
      path: '/api/messages/admin',
      lesson: null,
      unavailable: null,
    },
    {
      id: 'token_expired',
      expected: 'token_expired',
      title: 'Send an expired token',
      mistake: `Gets a token for ${config.labShortLivedAudience ?? 'a short-lived API'} (it lives seconds), waits until it has expired, then sends it.`,
      path: '/api/messages/protected',
      unavailable: config.labShortLivedAudience
        ? null
        : 'Set labShortLivedAudience in config.json to an API whose tokens live a few seconds.',
      lesson: null,
    },
    {
      id: RBAC_OFF_EXPERIMENT,
      expected: 'audience_mismatch',
      title: 'Trust scope from an API with RBAC off',
      mistake: `Asks for a token for ${config.labRbacOffAudience ?? 'an API with RBAC off'} with ${Permission.ReadAdminMessages} in its scope, as you, whatever your roles. With RBAC off the auth server puts every scope the app asks for into scope, and adds no permissions claim.`,
      lesson: `This API authorizes users by their permissions claim only. With RBAC off, scope holds whatever the app asked for (this SPA asks for ${Permission.ReadAdminMessages} for every user), so an API that trusted scope would serve the admin message to everyone. This token is for the other API, so this API stops at its audience (audience_mismatch) before it looks at permissions. To a token for itself carrying the permission in scope only, it answers 403 insufficient_permission, saying that scope is not permissions and to turn on "Enable RBAC" and "Add Permissions in the Access Token" (the API's HTTP tests prove it). Only a client-credentials token may be authorized by its scope: that is its client grant.`,
      path: '/api/messages/admin',
      unavailable: config.labRbacOffAudience
        ? null
        : 'Set labRbacOffAudience in config.json to the identifier of an API with RBAC off in your tenant.',
    },
  ];
}

/**
 * What a token's claims say about the admin permission: in `scope`, in `permissions`, or neither.
 * @example permissionFinding({ scope: 'openid read:admin-messages' }) // 'scope "openid read:admin-messages" lists ...'
 */
export function permissionFinding(payload: Readonly<Record<string, unknown>>): string {
  const permission = Permission.ReadAdminMessages;
  const scope = typeof payload['scope'] === 'string' ? payload['scope'] : null;
  const inScope = scope?.split(' ').includes(permission) ?? false;
  const permissions = payload['permissions'];
  const scopePart =
    scope === null
      ? 'The token has no scope'
      : `Its scope ${JSON.stringify(scope)} ${inScope ? 'lists' : 'does not list'} ${permission}`;
  const permissionsPart =
    permissions === undefined
      ? 'the permissions claim is absent'
      : `the permissions claim is ${JSON.stringify(permissions)}`;
  return `${scopePart}; ${permissionsPart}.`;
}

/**
 * Why an experiment that sends its token as Bearer got a DPoP answer instead of its own, or null. With useDpop on,
 * the SDK's tokens are bound to its key, and the API refuses a bound token as Bearer before it looks any further.
 */
export function keyBindingNote(expected: ReasonCode, received: ReasonCode): string | null {
  if (received === expected) return null;
  if (received === 'key_bound_token') {
    return `The token is bound to this browser's DPoP key (useDpop is on), and this experiment sends it as Bearer, so the API stopped at key_bound_token before it could answer ${expected}. The DPoP section below is about that; turn useDpop off in config.json to see this experiment's own answer.`;
  }
  if (received === 'dpop_required') {
    return `The API requires DPoP (AUTH_DPOP=required), and this experiment sends its token as Bearer, so it stopped at dpop_required before it could answer ${expected}. Run this experiment against an API with AUTH_DPOP=allowed.`;
  }
  return null;
}
