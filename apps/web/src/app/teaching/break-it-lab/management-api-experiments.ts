import { CURRENT_USER_SCOPES, managementApiAudience } from '@sample/contract';

/** The body the lab PATCHes: an empty `user_metadata` merge, so nothing would change even if it were accepted. */
export const HARMLESS_PATCH = { user_metadata: {} } as const;

/** What the Management API must answer, in Auth0's error shape (`statusCode`, `error`, `message`, `errorCode`). */
export interface ManagementApiExpectation {
  readonly status: number;
  /** Auth0's `message`, when the status alone does not tell this answer apart (Auth0 sends no code for it). */
  readonly message?: string;
  /** Auth0's `errorCode`, when it sends one. */
  readonly errorCode?: string;
  /** A scope the lab asks for that must be absent from the granted `scope` (the experiment is about the token). */
  readonly droppedScope?: string;
}

/** Which token the lab gets for a Management API experiment. */
export type ManagementApiToken =
  | { readonly kind: 'id_token' }
  | { readonly kind: 'access_token'; readonly audience: string; readonly scope?: string };

/** One mistake of the classic "call the Management API from the SPA" thread, reproduced against `<issuer>api/v2/`. */
export interface ManagementApiExperiment {
  /** Names the experiment; its button says "Reproduce <id>". */
  readonly id: string;
  readonly title: string;
  /** What the lab does wrong, in plain words. */
  readonly mistake: string;
  readonly token: ManagementApiToken;
  /** The request, on the signed-in user's own record (`users/<url-encoded sub>`). */
  readonly method: 'GET' | 'PATCH';
  readonly expected: ManagementApiExpectation;
  /** The expected answer in words, as the card shows it. */
  readonly expectedText: string;
  /** Why the Management API answers so, and what to change. */
  readonly lesson: string;
}

/** The Auth0 error fields of a Management API answer, read by shape (they may be absent). */
export interface Auth0ErrorBody {
  readonly statusCode?: number;
  readonly error?: string;
  readonly message?: string;
  readonly errorCode?: string;
}

/** Auth0's error fields of a response body, or null when it has none. */
export function auth0ErrorOf(body: unknown): Auth0ErrorBody | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === 'string' ? record[key] : undefined);
  const statusCode = typeof record['statusCode'] === 'number' ? record['statusCode'] : undefined;
  if (statusCode === undefined && text('message') === undefined) return null;
  return { statusCode, error: text('error'), message: text('message'), errorCode: text('errorCode') };
}

/** The user endpoint of the Management API for a token's `sub`: `<issuer>api/v2/users/auth0%7C...`. */
export function managementApiUserUrl(issuer: string, sub: string): string {
  return `${managementApiAudience(issuer)}users/${encodeURIComponent(sub)}`;
}

/** The space-separated scopes of a token's `scope` claim. */
function scopesOf(scope: unknown): string[] {
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}

/** Scopes the lab asked for (`openid` and the like aside) that the token's `scope` claim leaves out. */
export function droppedScopes(asked: string, grantedScope: unknown): string[] {
  const granted = new Set(scopesOf(grantedScope));
  return scopesOf(asked).filter((scope) => scope.includes(':') && !granted.has(scope));
}

/**
 * What the token shows about the scopes the lab asked for: asked, granted, and what was left out.
 * @example scopeFinding('read:current_user update:users', 'openid read:current_user')
 */
export function scopeFinding(asked: string, grantedScope: unknown): string {
  const dropped = droppedScopes(asked, grantedScope);
  const granted = typeof grantedScope === 'string' ? JSON.stringify(grantedScope) : 'absent';
  return (
    `Asked for scope ${JSON.stringify(asked)}; the token's scope is ${granted}` +
    (dropped.length > 0 ? `: ${dropped.join(', ')} left out, without an error.` : '.')
  );
}

/** True when the answer (and the token) is what the experiment must produce. */
export function meetsExpectation(
  expected: ManagementApiExpectation,
  status: number,
  body: unknown,
  grantedScope: unknown,
): boolean {
  if (status !== expected.status) return false;
  const error = auth0ErrorOf(body);
  if (expected.message !== undefined && error?.message !== expected.message) return false;
  if (expected.errorCode !== undefined && error?.errorCode !== expected.errorCode) return false;
  if (expected.droppedScope !== undefined) return !scopesOf(grantedScope).includes(expected.droppedScope);
  return true;
}

const [READ_CURRENT_USER, UPDATE_CURRENT_USER_METADATA] = CURRENT_USER_SCOPES;

/**
 * The Management API experiments, in the order the classic thread meets them: the ID token, a token without an
 * audience, a JWT without the scope, then `update:users`, which an SPA never gets.
 * @param issuer The tenant's issuer (`config.issuer`): the Management API's audience derives from it.
 */
export function managementApiExperimentsFor(issuer: string): ManagementApiExperiment[] {
  const audience = managementApiAudience(issuer);
  return [
    {
      id: 'management_id_token',
      title: 'PATCH your user with the ID token',
      mistake: `Sends the ID token (aud = the client id) to PATCH ${audience}users/{your id}.`,
      token: { kind: 'id_token' },
      method: 'PATCH',
      expected: { status: 401, message: 'Invalid token' },
      expectedText: '401 "Invalid token"',
      lesson: `The ID token is for this app (its aud is the client id), never for an API. The Management API takes an access token whose aud is ${audience}: request one with that audience.`,
    },
    {
      id: 'management_opaque_token',
      title: 'PATCH with a token requested without an audience',
      mistake:
        'Asks for an access token with an empty audience, so the auth server issues an opaque one, and sends it.',
      token: { kind: 'access_token', audience: '' },
      method: 'PATCH',
      expected: { status: 400, message: 'Bad HTTP authentication header format' },
      expectedText: '400 "Bad HTTP authentication header format"',
      lesson: `Without an audience Auth0 issues an opaque token for /userinfo only; the Management API cannot even read it as a JWT, hence a 400 rather than a 401. Request the token with audience ${audience}.`,
    },
    {
      id: 'management_insufficient_scope',
      title: `PATCH with a token that has only ${READ_CURRENT_USER}`,
      mistake: `Gets a JWT for ${audience} asking only for ${READ_CURRENT_USER}, then PATCHes your user_metadata with it.`,
      token: { kind: 'access_token', audience, scope: `openid ${READ_CURRENT_USER}` },
      method: 'PATCH',
      expected: { status: 403, errorCode: 'insufficient_scope' },
      expectedText: '403 insufficient_scope',
      lesson: `The token is right this time (a JWT for ${audience}), but PATCH needs ${UPDATE_CURRENT_USER_METADATA} in its scope. Ask for it: scope "openid ${READ_CURRENT_USER} ${UPDATE_CURRENT_USER_METADATA}" with that audience.`,
    },
    {
      id: 'management_update_users',
      title: 'Ask for update:users from the SPA',
      mistake: `Asks for a token for ${audience} with ${READ_CURRENT_USER} ${UPDATE_CURRENT_USER_METADATA} update:users, then reads your user with it.`,
      token: {
        kind: 'access_token',
        audience,
        scope: `openid ${READ_CURRENT_USER} ${UPDATE_CURRENT_USER_METADATA} update:users`,
      },
      method: 'GET',
      expected: { status: 200, droppedScope: 'update:users' },
      expectedText: 'update:users left out of the granted scope (and 200 for your own user)',
      lesson:
        'A token an SPA gets for the Management API carries only current_user scopes, for the signed-in user alone; ' +
        'anything else it asks for is left out without an error. Whatever needs more (another user, app_metadata, ' +
        "update:users) goes through a backend that holds client credentials: this app's PATCH /api/me/profile " +
        'calls the Management API with its machine-to-machine token.',
    },
  ];
}
