import { Inject, Injectable, Logger } from '@nestjs/common';
import { API_SETTINGS, type ApiSettings, type ManagementSettings } from '../config/api-settings';
import { CLOCK, type Clock } from '../config/config.module';
import { ProfileProblemException } from './profile-problem.exception';
import type { ManagementUser, UserMetadataChange } from './profile-view';

/** The fetch the Management API client sends with: the network edge (a DI token; the global fetch by default). */
export const MANAGEMENT_FETCH = Symbol('api.management-fetch');

/** The signature of the global fetch. */
export type Fetch = typeof fetch;

/** A token is renewed this long before it expires at most (and at 90% of its life when that comes sooner). */
export const TOKEN_REFRESH_MARGIN_MS = 60_000;
/** How long to hold back after a 429 that says nothing usable about when to come back. */
export const DEFAULT_RETRY_AFTER_MS = 5_000;
/** Longest hold-back a 429 can impose, whatever its headers say. */
export const MAX_RETRY_AFTER_MS = 600_000;

/**
 * True for an error of that name. fetch, Response.json and AbortSignal come from Node's own realm, so `instanceof`
 * fails wherever code runs in another one (Jest's vm context); the name is what fetch's contract specifies.
 */
function isErrorNamed(error: unknown, name: 'TypeError' | 'SyntaxError' | 'TimeoutError'): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

interface CachedToken {
  readonly value: string;
  /** When to fetch a new one (clock time, ms). */
  readonly refreshAt: number;
}

/** What a Management API error body (Auth0's `{ statusCode, error, message, errorCode }`) or an OAuth one carries. */
interface UpstreamError {
  readonly error?: unknown;
  readonly errorCode?: unknown;
  readonly message?: unknown;
  readonly error_description?: unknown;
}

/** What to change when the token endpoint refuses the client, by its OAuth `error` code. */
const TOKEN_ERROR_FIXES: Record<string, string> = {
  invalid_client:
    'check MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET (or the file MANAGEMENT_CLIENT_SECRET_FILE names) against the machine-to-machine application in the tenant',
  unauthorized_client:
    'enable the Client Credentials grant of the machine-to-machine application (Applications > the application > Advanced Settings > Grant Types)',
  access_denied:
    'authorize the machine-to-machine application for the Auth0 Management API (Applications > APIs > Auth0 Management API > Machine To Machine Applications) with read:users and update:users, and check MANAGEMENT_AUDIENCE',
  invalid_request:
    'check MANAGEMENT_AUDIENCE: it must be https://<canonical tenant domain>/api/v2/ (never a custom domain)',
};

/**
 * Calls the Auth0 Management API's users endpoints as this API's machine-to-machine client (client credentials).
 * One token is cached until shortly before it expires and fetched once for all concurrent callers; a 429 holds
 * every upstream call back until its Retry-After; a 401 drops the token and retries once. Failures become
 * ProfileProblemExceptions whose details name no secret and no internal URL; the log says what to fix.
 */
@Injectable()
export class ManagementApiService {
  private readonly logger = new Logger('ManagementApi');
  private cached: CachedToken | undefined;
  private pending: Promise<string> | undefined;
  private blockedUntil = 0;

  constructor(
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(MANAGEMENT_FETCH) private readonly fetchFn: Fetch,
  ) {}

  /** False without MANAGEMENT_CLIENT_ID: every call then fails with management_not_configured. */
  get configured(): boolean {
    return this.settings.management !== undefined;
  }

  /** `GET /api/v2/users/{id}`. */
  getUser(userId: string): Promise<ManagementUser> {
    return this.callUser('GET', userId);
  }

  /** `PATCH /api/v2/users/{id}` with `{ user_metadata: change }` (top-level keys merged, `null` deletes one). */
  updateUserMetadata(userId: string, change: UserMetadataChange): Promise<ManagementUser> {
    return this.callUser('PATCH', userId, { user_metadata: change });
  }

  private managementSettings(): ManagementSettings {
    const management = this.settings.management;
    if (management === undefined) {
      throw new ProfileProblemException(
        'management_not_configured',
        'This API has no Management API client: set MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET (or MANAGEMENT_CLIENT_SECRET_FILE) and restart it.',
      );
    }
    return management;
  }

  private async callUser(method: 'GET' | 'PATCH', userId: string, body?: object): Promise<ManagementUser> {
    const management = this.managementSettings();
    const url = new URL(`api/v2/users/${encodeURIComponent(userId)}`, management.apiUrl);
    const send = async (token: string) =>
      this.send(management, url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const token = await this.accessToken(management);
    let response = await send(token);
    if (response.status === 401) {
      // The token was revoked or its signing key rotated out: a new one, once.
      await response.body?.cancel();
      this.forget(token);
      response = await send(await this.accessToken(management));
    }
    return this.readUser(response, method, url, management);
  }

  /** A cached token while it has more than its margin left, else one fetch shared by every caller waiting. */
  private accessToken(management: ManagementSettings): Promise<string> {
    if (this.cached !== undefined && this.clock() < this.cached.refreshAt)
      return Promise.resolve(this.cached.value);
    this.pending ??= this.requestToken(management).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private forget(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async requestToken(management: ManagementSettings): Promise<string> {
    const tokenUrl = new URL('oauth/token', management.apiUrl);
    const response = await this.send(management, tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: management.clientId,
        client_secret: management.clientSecret.reveal(),
        audience: management.audience,
      }).toString(),
    });
    if (response.status === 200) {
      const body = await this.readJson(response, tokenUrl, management);
      const token = body as { access_token?: unknown; expires_in?: unknown } | undefined;
      if (
        typeof token?.access_token === 'string' &&
        token.access_token !== '' &&
        typeof token.expires_in === 'number' &&
        token.expires_in > 0
      ) {
        const lifeMs = token.expires_in * 1000;
        const refreshAt = this.clock() + lifeMs - Math.min(TOKEN_REFRESH_MARGIN_MS, lifeMs / 10);
        this.cached = { value: token.access_token, refreshAt };
        return token.access_token;
      }
      throw this.unavailable(
        `${tokenUrl.href} answered 200 without an access_token and a positive expires_in`,
      );
    }
    const upstream = await this.readError(response);
    if (response.status >= 400 && response.status < 500) {
      const code = typeof upstream.error === 'string' ? upstream.error : '';
      const fix =
        TOKEN_ERROR_FIXES[code] ??
        'check MANAGEMENT_CLIENT_ID, MANAGEMENT_CLIENT_SECRET and MANAGEMENT_AUDIENCE against the tenant';
      this.logger.error(
        `the token endpoint ${tokenUrl.href} refused the Management API client ${JSON.stringify(management.clientId)} for audience ${JSON.stringify(management.audience)}: HTTP ${response.status}${code === '' ? '' : ` ${code}`}${typeof upstream.error_description === 'string' ? ` (${upstream.error_description})` : ''}. Fix: ${fix}.`,
      );
      throw this.rejected();
    }
    throw this.unavailable(`${tokenUrl.href} answered HTTP ${response.status}`);
  }

  private async readUser(
    response: Response,
    method: string,
    url: URL,
    management: ManagementSettings,
  ): Promise<ManagementUser> {
    if (response.status === 200) {
      const user = await this.readJson(response, url, management);
      if (typeof user === 'object' && user !== null && !Array.isArray(user)) return user as ManagementUser;
      throw this.unavailable(`${method} ${url.href} answered 200 without a user object`);
    }
    const upstream = await this.readError(response);
    const said = [upstream.errorCode, upstream.message].filter((part) => typeof part === 'string').join(': ');
    if (response.status === 404) {
      this.logger.warn(`${method} ${url.href}: HTTP 404${said === '' ? '' : ` (${said})`}`);
      throw new ProfileProblemException(
        'profile_not_found',
        "The tenant has no user with your token's sub: it may have been deleted. Sign in again.",
      );
    }
    if (response.status === 401 || response.status === 403 || response.status === 400) {
      const fix =
        response.status === 403
          ? `grant the machine-to-machine application ${JSON.stringify(management.clientId)} the Management API scopes read:users and update:users (Applications > APIs > Auth0 Management API > Machine To Machine Applications)`
          : response.status === 401
            ? `a fresh token was refused too: check that MANAGEMENT_AUDIENCE ${JSON.stringify(management.audience)} is the Management API's audience of this tenant (its canonical domain, never a custom domain)`
            : 'the request this API sent was refused: see the message, and check the user_metadata limits of the tenant';
      this.logger.error(
        `${method} ${url.href} refused the Management API client: HTTP ${response.status}${said === '' ? '' : ` (${said})`}. Fix: ${fix}.`,
      );
      throw this.rejected();
    }
    throw this.unavailable(
      `${method} ${url.href} answered HTTP ${response.status}${said === '' ? '' : ` (${said})`}`,
    );
  }

  /**
   * One upstream request, unless a 429 holds calls back; with the MANAGEMENT_TIMEOUT_MS deadline (the body is
   * read under it too). Network failures and timeouts become problems; a 429 sets the hold-back and is one.
   */
  private async send(management: ManagementSettings, url: URL, init: RequestInit): Promise<Response> {
    const now = this.clock();
    if (now < this.blockedUntil) throw this.rateLimited(this.blockedUntil - now);
    let response: Response;
    try {
      response = await this.fetchFn(url, { ...init, signal: AbortSignal.timeout(management.timeoutMs) });
    } catch (error) {
      throw this.failure(error, `${init.method ?? 'GET'} ${url.href}`, management);
    }
    if (response.status === 429) {
      await response.body?.cancel();
      const waitMs = this.retryAfterMs(response);
      this.blockedUntil = Math.max(this.blockedUntil, this.clock() + waitMs);
      this.logger.warn(
        `${init.method ?? 'GET'} ${url.href}: HTTP 429, no Management API call for ${Math.ceil(waitMs / 1000)} s`,
      );
      throw this.rateLimited(waitMs);
    }
    return response;
  }

  /** Retry-After (seconds or an HTTP date), else Auth0's x-ratelimit-reset (epoch seconds), else a default. */
  private retryAfterMs(response: Response): number {
    const now = this.clock();
    const retryAfter = response.headers.get('retry-after')?.trim() ?? '';
    const reset = response.headers.get('x-ratelimit-reset')?.trim() ?? '';
    let waitMs = DEFAULT_RETRY_AFTER_MS;
    if (/^\d+$/.test(retryAfter)) waitMs = Number(retryAfter) * 1000;
    else if (retryAfter !== '' && !Number.isNaN(Date.parse(retryAfter)))
      waitMs = Date.parse(retryAfter) - now;
    else if (/^\d+$/.test(reset)) waitMs = Number(reset) * 1000 - now;
    return Math.min(Math.max(waitMs, 1000), MAX_RETRY_AFTER_MS);
  }

  private async readJson(response: Response, url: URL, management: ManagementSettings): Promise<unknown> {
    try {
      return await response.json();
    } catch (error) {
      if (isErrorNamed(error, 'SyntaxError'))
        throw this.unavailable(`${url.href} answered a body that is not JSON`);
      throw this.failure(error, url.href, management);
    }
  }

  /** The error body, when it is JSON; `{}` otherwise (it only goes to the log). */
  private async readError(response: Response): Promise<UpstreamError> {
    try {
      const body: unknown = await response.json();
      return typeof body === 'object' && body !== null ? (body as UpstreamError) : {};
    } catch {
      return {};
    }
  }

  /** A thrown fetch error, by type: the deadline, or the network (fetch's TypeError); anything else is a bug. */
  private failure(error: unknown, what: string, management: ManagementSettings): unknown {
    if (isErrorNamed(error, 'TimeoutError')) {
      this.logger.warn(`${what}: no answer within MANAGEMENT_TIMEOUT_MS (${management.timeoutMs} ms)`);
      return new ProfileProblemException(
        'management_timeout',
        'The Management API did not answer in time. Try again in a moment.',
      );
    }
    if (isErrorNamed(error, 'TypeError')) {
      const cause = (error as { cause?: { code?: unknown } }).cause;
      return this.unavailable(
        `${what} failed${typeof cause?.code === 'string' ? ` (${cause.code})` : ''}: check MANAGEMENT_API_URL and the network`,
      );
    }
    return error;
  }

  private unavailable(logDetail: string): ProfileProblemException {
    this.logger.warn(`Management API unavailable: ${logDetail}`);
    return new ProfileProblemException(
      'management_unavailable',
      'The Management API could not be reached or failed. Try again in a moment.',
    );
  }

  private rejected(): ProfileProblemException {
    return new ProfileProblemException(
      'management_rejected',
      "The tenant refused this API's Management API client: its configuration needs fixing (the API log says what to change).",
    );
  }

  private rateLimited(waitMs: number): ProfileProblemException {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return new ProfileProblemException(
      'management_rate_limited',
      `The Management API's rate limit was reached. Try again in ${seconds} s.`,
      seconds,
    );
  }
}
