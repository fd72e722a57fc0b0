import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONWebKeySet } from 'jose';
import type { Accounts } from '../accounts/accounts';
import { BodyTooLarge, mediaType, readBody } from '../http/body';
import { sendJson } from '../http/respond';
import type { TenantDirectory } from '../tenant/directory';
import { createManagementAuthenticator, type ManagementCaller } from './authenticate';
import { insufficientScope, ManagementApiError, sendManagementError } from './errors';
import { checkMetadataSize, mergeMetadata, parseUserPatch } from './metadata';
import type { RateLimiter } from './rate-limit';
import type { StoredUser, UserStore } from './user-store';

/** Every Management API route starts here (the audience's path). */
export const MANAGEMENT_API_PATH = '/api/v2/';
const USER_PATH = /^\/api\/v2\/users\/([^/]+)$/;

const READ_SCOPES = ['read:users', 'read:current_user'];
/** Any of these lets a caller reach PATCH; which fields it may change is checked next. */
const PATCH_SCOPES = [
  'update:users',
  'update:users_app_metadata',
  'update:current_user_metadata',
  'create:current_user_metadata',
];
const USER_METADATA_SCOPES = ['update:users', 'update:current_user_metadata', 'create:current_user_metadata'];
const APP_METADATA_SCOPES = ['update:users', 'update:users_app_metadata'];
// WWW-Authenticate carries the DPoP challenge; DPoP-Nonce is exposed as at the token endpoint (none is asked here yet).
const EXPOSED_HEADERS =
  'x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, retry-after, www-authenticate, dpop-nonce';

/** What the Management API's routes need from the server. */
export interface ManagementApiDependencies {
  readonly issuer: string;
  /** The Management API's audience, `<issuer>api/v2/`. */
  readonly audience: string;
  readonly jwks: JSONWebKeySet;
  readonly accounts: Accounts;
  readonly directory: TenantDirectory;
  readonly store: UserStore;
  readonly limiter: RateLimiter;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

/** The scopes that count for this user id: a user's token acts on its own user only (the current_user scopes). */
function scopesFor(caller: ManagementCaller, userId: string): Set<string> {
  const own = caller.isUser && caller.subject === userId;
  return new Set([...caller.scopes].filter((scope) => own || !scope.includes(':current_user')));
}

/** 403 unless one of `expected` counts; a user's token on another user is told why its current_user scope does not. */
function requireAny(caller: ManagementCaller, userId: string, expected: readonly string[]): void {
  const scopes = scopesFor(caller, userId);
  if (expected.some((scope) => scopes.has(scope))) return;
  const otherUser = expected.some((scope) => caller.scopes.has(scope));
  throw insufficientScope(
    expected,
    otherUser
      ? ` (a user's token acts on its own user only: this one is for ${caller.subject}, not ${userId})`
      : '',
  );
}

/**
 * `GET` and `PATCH /api/v2/users/{id}` of Auth0's Management API, on the tenant's users, with Auth0's token checks
 * (DPoP-bound tokens with a proof), scopes, errors, metadata merge rules, rate-limit headers and CORS for the SPAs'
 * Allowed Web Origins.
 * @returns false when the path is not the Management API's, for the next handler.
 */
export function createManagementApi(deps: ManagementApiDependencies) {
  const authenticate = createManagementAuthenticator(deps);
  const webOrigins = new Set(
    deps.directory.tenant.clients.flatMap((client) => (client.type === 'spa' ? client.webOrigins : [])),
  );

  const corsHeaders = (origin: string | undefined): Record<string, string> =>
    origin !== undefined && webOrigins.has(origin)
      ? {
          'access-control-allow-origin': origin,
          'access-control-expose-headers': EXPOSED_HEADERS,
          vary: 'Origin',
        }
      : { vary: 'Origin' };

  const userView = (userId: string, stored: StoredUser, caller: ManagementCaller) => {
    const claims = deps.accounts.claims(userId);
    return {
      user_id: userId,
      email: claims['email'],
      email_verified: claims['email_verified'],
      name: claims['name'],
      nickname: claims['nickname'],
      picture: claims['picture'],
      identities: [
        {
          connection: 'Username-Password-Authentication',
          provider: 'auth0',
          user_id: userId.replace(/^auth0\|/, ''),
          isSocial: false,
        },
      ],
      user_metadata: stored.user_metadata,
      // Auth0 shows app_metadata to whoever may read every user; a user's own token gets user_metadata only.
      ...(scopesFor(caller, userId).has('read:users') && { app_metadata: stored.app_metadata }),
      created_at: stored.created_at,
      updated_at: stored.updated_at,
    };
  };

  const storedUser = (userId: string): StoredUser => {
    const stored = deps.accounts.user(userId) ? deps.store.get(userId) : undefined;
    if (!stored) throw new ManagementApiError(404, 'The user does not exist.', 'inexistent_user');
    return stored;
  };

  const readPatchBody = async (req: IncomingMessage): Promise<unknown> => {
    if (mediaType(req) !== 'application/json') {
      throw new ManagementApiError(415, 'Unsupported Media Type: send the body as application/json');
    }
    let text: string;
    try {
      text = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) throw new ManagementApiError(413, error.message);
      throw error;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ManagementApiError(400, 'Invalid request payload JSON format', 'invalid_body');
    }
  };

  const answer = async (req: IncomingMessage, userId: string, caller: ManagementCaller) => {
    if (req.method === 'GET') {
      requireAny(caller, userId, READ_SCOPES);
      return userView(userId, storedUser(userId), caller);
    }
    requireAny(caller, userId, PATCH_SCOPES);
    const patch = parseUserPatch(await readPatchBody(req));
    if (patch.user_metadata) requireAny(caller, userId, USER_METADATA_SCOPES);
    if (patch.app_metadata) requireAny(caller, userId, APP_METADATA_SCOPES);
    storedUser(userId);
    const updated = await deps.store.update(userId, (current) => {
      const user_metadata = patch.user_metadata
        ? mergeMetadata(current.user_metadata, patch.user_metadata)
        : current.user_metadata;
      const app_metadata = patch.app_metadata
        ? mergeMetadata(current.app_metadata, patch.app_metadata)
        : current.app_metadata;
      checkMetadataSize('user_metadata', user_metadata);
      checkMetadataSize('app_metadata', app_metadata);
      return { user_metadata, app_metadata };
    });
    return userView(userId, updated, caller);
  };

  return async function handleManagementApi(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<boolean> {
    if (!path.startsWith(MANAGEMENT_API_PATH)) return false;
    let headers = corsHeaders(req.headers.origin);
    if (req.method === 'OPTIONS') {
      if (!headers['access-control-allow-origin']) {
        sendJson(res, 403, { statusCode: 403, error: 'Forbidden', message: 'Origin not allowed' }, headers);
        return true;
      }
      res
        .writeHead(204, {
          ...headers,
          'access-control-allow-methods': 'GET, PATCH',
          'access-control-allow-headers': 'authorization, content-type, dpop',
          'access-control-max-age': '600',
        })
        .end();
      return true;
    }
    try {
      const match = USER_PATH.exec(path);
      if (!match?.[1]) {
        throw new ManagementApiError(
          404,
          'Not Found: this emulation of the Management API serves GET and PATCH /api/v2/users/{id} only',
        );
      }
      const method = req.method;
      if (method !== 'GET' && method !== 'PATCH') {
        throw new ManagementApiError(
          405,
          `Method ${method ?? ''} not allowed here: use GET or PATCH`,
          undefined,
          {
            allow: 'GET, PATCH, OPTIONS',
          },
        );
      }
      let userId: string;
      try {
        userId = decodeURIComponent(match[1]);
      } catch {
        throw new ManagementApiError(404, 'The user does not exist.', 'inexistent_user');
      }
      const caller = await authenticate({
        authorization: req.headers.authorization,
        dpop: req.headersDistinct['dpop'],
        method,
        // The path as received (still percent-encoded), under the audience the issuer spells: the proof's htu.
        url: `${deps.audience}users/${match[1]}`,
      });
      const limit = deps.limiter.take(caller.subject);
      headers = { ...headers, ...limit.headers };
      if (!limit.allowed) {
        throw new ManagementApiError(
          429,
          'Too many requests for this token: wait the seconds retry-after says',
          'too_many_requests',
        );
      }
      sendJson(res, 200, await answer(req, userId, caller), headers);
    } catch (error) {
      if (!(error instanceof ManagementApiError)) throw error;
      sendManagementError(res, error, headers);
    }
    return true;
  };
}
