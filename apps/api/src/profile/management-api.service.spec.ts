import { Logger } from '@nestjs/common';
import { parseApiSettings } from '../config/api-settings';
import { DEFAULT_RETRY_AFTER_MS, ManagementApiService, type Fetch } from './management-api.service';
import { ProfileProblemException } from './profile-problem.exception';

const SECRET = 'unit-test-secret-0123456789abcdef';
const BASE = 'https://tenant.example.com/';

const configured = parseApiSettings({
  AUTH_ISSUER_URL: BASE,
  AUTH_AUDIENCE: 'https://api.example.com',
  MANAGEMENT_CLIENT_ID: 'm2m-client',
  MANAGEMENT_CLIENT_SECRET: SECRET,
}).config;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const tokenAnswer = (n: number, expiresIn = 3600) =>
  json(200, { access_token: `token-${n}`, expires_in: expiresIn, token_type: 'Bearer' });
const user = (id = 'auth0|u1') => json(200, { user_id: id, user_metadata: { theme: 'dark' } });

/** What one fetch call was: method, URL and, for the token endpoint, the form fields. */
interface Sent {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly form: Record<string, string> | undefined;
  readonly body: string | undefined;
}

/**
 * A fetch double (the network edge): answers token requests and users calls from the given functions and records
 * every call.
 */
function fakeFetch(answers: {
  token?: (n: number) => Response | Promise<Response>;
  users?: (n: number) => Response | Promise<Response>;
}) {
  const sent: Sent[] = [];
  let tokens = 0;
  let users = 0;
  const fetchFn = jest.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const headers = new Headers(init?.headers);
    const isToken = url.endsWith('/oauth/token');
    sent.push({
      method: init?.method ?? 'GET',
      url,
      authorization: headers.get('authorization') ?? undefined,
      form: isToken && body !== undefined ? Object.fromEntries(new URLSearchParams(body)) : undefined,
      body: isToken ? undefined : body,
    });
    if (isToken) return (answers.token ?? tokenAnswer)(++tokens);
    return (answers.users ?? (() => user()))(++users);
  });
  return { fetchFn: fetchFn as unknown as Fetch, sent, calls: () => fetchFn.mock.calls.length };
}

async function problem(promise: Promise<unknown>): Promise<ProfileProblemException> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileProblemException);
    return error as ProfileProblemException;
  }
  throw new Error('expected a ProfileProblemException');
}

describe('ManagementApiService', () => {
  let now: number;
  const clock = () => now;
  let logged: string[];

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1);
    logged = [];
    for (const level of ['error', 'warn', 'log'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logged.push(String(args[0]));
      });
    }
  });

  afterEach(() => jest.restoreAllMocks());

  describe('requests', () => {
    it('gets a token with form-encoded client credentials, then calls the users endpoint with the id encoded', async () => {
      const { fetchFn, sent } = fakeFetch({});
      const service = new ManagementApiService(configured, clock, fetchFn);
      expect(await service.getUser('auth0|u1')).toEqual({
        user_id: 'auth0|u1',
        user_metadata: { theme: 'dark' },
      });
      expect(sent).toEqual([
        {
          method: 'POST',
          url: `${BASE}oauth/token`,
          authorization: undefined,
          form: {
            grant_type: 'client_credentials',
            client_id: 'm2m-client',
            client_secret: SECRET,
            audience: `${BASE}api/v2/`,
          },
          body: undefined,
        },
        {
          method: 'GET',
          url: `${BASE}api/v2/users/auth0%7Cu1`,
          authorization: 'Bearer token-1',
          form: undefined,
          body: undefined,
        },
      ]);
    });

    it('sends a user_metadata change as JSON', async () => {
      const { fetchFn, sent } = fakeFetch({});
      const service = new ManagementApiService(configured, clock, fetchFn);
      await service.updateUserMetadata('auth0|u1', { theme: 'light', displayName: null });
      expect(sent[1]).toMatchObject({
        method: 'PATCH',
        body: JSON.stringify({ user_metadata: { theme: 'light', displayName: null } }),
      });
    });

    it('fails with management_not_configured without MANAGEMENT_CLIENT_ID, sending nothing', async () => {
      const { fetchFn, calls } = fakeFetch({});
      const settings = { ...configured, management: undefined };
      const service = new ManagementApiService(settings, clock, fetchFn);
      expect(service.configured).toBe(false);
      expect((await problem(service.getUser('auth0|u1'))).reason).toBe('management_not_configured');
      expect(calls()).toBe(0);
    });
  });

  describe('token cache', () => {
    it('keeps the token until 60 s before it expires, then fetches a new one', async () => {
      const { fetchFn, sent } = fakeFetch({});
      const service = new ManagementApiService(configured, clock, fetchFn);
      await service.getUser('auth0|u1');
      now += 3_539_000;
      await service.getUser('auth0|u1');
      expect(sent.filter((call) => call.form !== undefined)).toHaveLength(1);
      now += 2_000;
      await service.getUser('auth0|u1');
      expect(sent.filter((call) => call.form !== undefined)).toHaveLength(2);
      expect(sent.at(-1)?.authorization).toBe('Bearer token-2');
    });

    it('renews a short-lived token at 90% of its life', async () => {
      const { fetchFn, sent } = fakeFetch({ token: (n) => tokenAnswer(n, 100) });
      const service = new ManagementApiService(configured, clock, fetchFn);
      await service.getUser('auth0|u1');
      now += 89_000;
      await service.getUser('auth0|u1');
      expect(sent.filter((call) => call.form !== undefined)).toHaveLength(1);
      now += 2_000;
      await service.getUser('auth0|u1');
      expect(sent.filter((call) => call.form !== undefined)).toHaveLength(2);
    });

    it('shares one token request among concurrent callers', async () => {
      let release: (response: Response) => void = () => undefined;
      const { fetchFn, sent } = fakeFetch({
        token: (n) => new Promise<Response>((resolve) => (release = () => resolve(tokenAnswer(n)))),
      });
      const service = new ManagementApiService(configured, clock, fetchFn);
      const calls = Array.from({ length: 5 }, (_, i) => service.getUser(`auth0|u${i}`));
      await new Promise((resolve) => setImmediate(resolve));
      release(tokenAnswer(1));
      await Promise.all(calls);
      expect(sent.filter((call) => call.form !== undefined)).toHaveLength(1);
      expect(sent.filter((call) => call.form === undefined).map((call) => call.authorization)).toEqual(
        Array(5).fill('Bearer token-1'),
      );
    });

    it('asks again after a failed token request (the failure is not cached)', async () => {
      const { fetchFn, sent } = fakeFetch({
        token: (n) => (n === 1 ? json(503, {}) : tokenAnswer(n)),
      });
      const service = new ManagementApiService(configured, clock, fetchFn);
      expect((await problem(service.getUser('auth0|u1'))).reason).toBe('management_unavailable');
      await service.getUser('auth0|u1');
      expect(sent.filter((call) => call.form !== undefined)).toHaveLength(2);
    });
  });

  describe('401 from the Management API', () => {
    it('drops the token and retries once with a new one', async () => {
      const { fetchFn, sent } = fakeFetch({
        users: (n) => (n === 1 ? json(401, { statusCode: 401 }) : user()),
      });
      const service = new ManagementApiService(configured, clock, fetchFn);
      expect(await service.getUser('auth0|u1')).toMatchObject({ user_id: 'auth0|u1' });
      expect(sent.map((call) => call.authorization ?? 'token request')).toEqual([
        'token request',
        'Bearer token-1',
        'token request',
        'Bearer token-2',
      ]);
    });

    it('fails with management_rejected when the new token is refused too, and does not loop', async () => {
      const { fetchFn, calls } = fakeFetch({
        users: () => json(401, { statusCode: 401, message: 'Invalid token' }),
      });
      const service = new ManagementApiService(configured, clock, fetchFn);
      expect((await problem(service.getUser('auth0|u1'))).reason).toBe('management_rejected');
      expect(calls()).toBe(4);
      expect(logged.join('\n')).toContain('MANAGEMENT_AUDIENCE');
    });
  });

  describe('429', () => {
    it("honours the Management API's Retry-After: no upstream call until it passes", async () => {
      const { fetchFn, calls } = fakeFetch({
        users: (n) => (n === 1 ? json(429, {}, { 'retry-after': '30' }) : user()),
      });
      const service = new ManagementApiService(configured, clock, fetchFn);
      const first = await problem(service.getUser('auth0|u1'));
      expect(first).toMatchObject({ reason: 'management_rate_limited', retryAfterSeconds: 30 });
      const before = calls();
      now += 29_500;
      expect(await problem(service.getUser('auth0|u1'))).toMatchObject({ retryAfterSeconds: 1 });
      expect(calls()).toBe(before);
      now += 500;
      await service.getUser('auth0|u1');
      expect(calls()).toBe(before + 1);
    });

    it("honours the token endpoint's 429, with an HTTP-date Retry-After", async () => {
      const { fetchFn, calls } = fakeFetch({
        token: (n) =>
          n === 1 ? json(429, {}, { 'retry-after': new Date(now + 120_000).toUTCString() }) : tokenAnswer(n),
      });
      const service = new ManagementApiService(configured, clock, fetchFn);
      expect(await problem(service.getUser('auth0|u1'))).toMatchObject({
        reason: 'management_rate_limited',
        retryAfterSeconds: 120,
      });
      now += 60_000;
      await problem(service.getUser('auth0|u1'));
      expect(calls()).toBe(1);
    });

    it("falls back to Auth0's x-ratelimit-reset, then to a default", async () => {
      const reset = fakeFetch({
        users: () => json(429, {}, { 'x-ratelimit-reset': String(Math.floor(now / 1000) + 7) }),
      });
      const withReset = new ManagementApiService(configured, clock, reset.fetchFn);
      expect(await problem(withReset.getUser('auth0|u1'))).toMatchObject({ retryAfterSeconds: 7 });

      const bare = fakeFetch({ users: () => json(429, {}) });
      const withNothing = new ManagementApiService(configured, clock, bare.fetchFn);
      expect(await problem(withNothing.getUser('auth0|u1'))).toMatchObject({
        retryAfterSeconds: DEFAULT_RETRY_AFTER_MS / 1000,
      });
    });
  });

  describe('other failures', () => {
    it.each([
      [404, 'profile_not_found'],
      [403, 'management_rejected'],
      [400, 'management_rejected'],
      [500, 'management_unavailable'],
      [503, 'management_unavailable'],
    ])('maps a Management API %i to %s', async (status, reason) => {
      const { fetchFn } = fakeFetch({ users: () => json(status, { statusCode: status }) });
      const service = new ManagementApiService(configured, clock, fetchFn);
      expect((await problem(service.getUser('auth0|u1'))).reason).toBe(reason);
    });

    it('says in the log how to fix a refused client, and never the secret', async () => {
      const { fetchFn } = fakeFetch({ token: () => json(401, { error: 'invalid_client' }) });
      const service = new ManagementApiService(configured, clock, fetchFn);
      const refused = await problem(service.getUser('auth0|u1'));
      expect(refused.reason).toBe('management_rejected');
      expect(refused.detail).not.toContain(SECRET);
      const log = logged.join('\n');
      expect(log).toContain('invalid_client');
      expect(log).toContain('MANAGEMENT_CLIENT_SECRET');
      expect(log).not.toContain(SECRET);
    });

    it('names the missing grant when the tenant refuses the audience', async () => {
      const { fetchFn } = fakeFetch({ token: () => json(403, { error: 'access_denied' }) });
      const service = new ManagementApiService(configured, clock, fetchFn);
      expect((await problem(service.getUser('auth0|u1'))).reason).toBe('management_rejected');
      expect(logged.join('\n')).toContain('read:users and update:users');
    });

    it('maps a deadline to management_timeout and a network error to management_unavailable', async () => {
      const timeout = jest.fn(() => Promise.reject(new DOMException('timed out', 'TimeoutError')));
      const slow = new ManagementApiService(configured, clock, timeout as unknown as Fetch);
      expect((await problem(slow.getUser('auth0|u1'))).reason).toBe('management_timeout');

      const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
      const down = new ManagementApiService(configured, clock, (() => Promise.reject(refused)) as Fetch);
      expect((await problem(down.getUser('auth0|u1'))).reason).toBe('management_unavailable');
      expect(logged.join('\n')).toContain('ECONNREFUSED');
    });

    it('passes the deadline to fetch as an AbortSignal', async () => {
      const { fetchFn } = fakeFetch({});
      const service = new ManagementApiService(configured, clock, fetchFn);
      await service.getUser('auth0|u1');
      const init = (fetchFn as unknown as jest.Mock).mock.calls[0][1] as RequestInit;
      expect(init.signal).toBeInstanceOf(AbortSignal);
    });

    it('maps a token answer without access_token or a body that is not JSON to management_unavailable', async () => {
      const noToken = fakeFetch({ token: () => json(200, { token_type: 'Bearer' }) });
      const service = new ManagementApiService(configured, clock, noToken.fetchFn);
      expect((await problem(service.getUser('auth0|u1'))).reason).toBe('management_unavailable');

      const html = fakeFetch({ users: () => new Response('<html>', { status: 200 }) });
      const other = new ManagementApiService(configured, clock, html.fetchFn);
      expect((await problem(other.getUser('auth0|u1'))).reason).toBe('management_unavailable');
    });
  });
});
