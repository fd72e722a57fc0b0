import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A users call the fake Management API received. */
export interface UsersCall {
  readonly method: string;
  /** The user id, URL-decoded. */
  readonly userId: string;
  readonly body: unknown;
}

/** An answer the fake gives instead of its own, once. */
export interface ForcedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

interface StoredUser {
  user_id: string;
  email: string;
  user_metadata: Record<string, unknown>;
}

/**
 * A small stand-in for an Auth0 tenant's `POST /oauth/token` (client credentials, form-encoded) and Management API
 * `GET`/`PATCH /api/v2/users/{id}`, on 127.0.0.1 and a port the OS picks: the network edge of the profile tests.
 * It checks the client's credentials and audience, accepts only tokens it issued, merges user_metadata like Auth0
 * (null deletes a key) and records every call.
 */
export class FakeManagementApi {
  readonly clientId = 'test-m2m-client';
  readonly clientSecret = 'test-m2m-secret-never-logged-7f3a9c';
  /** Form fields of each token request (the secret among them, for the assertions). */
  readonly tokenRequests: Array<Record<string, string>> = [];
  readonly usersCalls: UsersCall[] = [];
  readonly users = new Map<string, StoredUser>();
  /** Answers for the next token requests, in order. */
  readonly forcedToken: ForcedAnswer[] = [];
  /** Answers for the next users calls, in order. */
  readonly forcedUsers: ForcedAnswer[] = [];
  expiresIn = 86_400;
  private readonly issued = new Set<string>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeManagementApi> {
    const server = createServer();
    const fake = new FakeManagementApi(server);
    server.on('request', (request, response) => void fake.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Base URL, with the trailing slash (MANAGEMENT_API_URL). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** The audience it issues tokens for (MANAGEMENT_AUDIENCE): the public tenant URL, as in compose. */
  readonly audience = 'https://tenant.test.local/api/v2/';

  /** The env of an API that uses this fake. */
  env(): Record<string, string> {
    return {
      MANAGEMENT_CLIENT_ID: this.clientId,
      MANAGEMENT_CLIENT_SECRET: this.clientSecret,
      MANAGEMENT_AUDIENCE: this.audience,
      MANAGEMENT_API_URL: this.url,
    };
  }

  /** Adds a user with the given user_metadata. */
  addUser(userId: string, metadata: Record<string, unknown> = {}): void {
    this.users.set(userId, {
      user_id: userId,
      email: `${userId}@example.com`,
      user_metadata: { ...metadata },
    });
  }

  /** Forgets every token issued so far: the next users call gets 401. */
  revokeTokens(): void {
    this.issued.clear();
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = (request.url ?? '').split('?', 1)[0] ?? '';
    if (request.method === 'POST' && path === '/oauth/token') return this.token(request, text, response);
    const match = /^\/api\/v2\/users\/([^/]+)$/.exec(path);
    if (match?.[1] !== undefined && (request.method === 'GET' || request.method === 'PATCH')) {
      return this.user(request, decodeURIComponent(match[1]), text, response);
    }
    send(response, { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'Not found' } });
  }

  private token(request: IncomingMessage, text: string, response: ServerResponse): void {
    const form = Object.fromEntries(new URLSearchParams(text));
    this.tokenRequests.push(form);
    const forced = this.forcedToken.shift();
    if (forced !== undefined) return send(response, forced);
    if (request.headers['content-type'] !== 'application/x-www-form-urlencoded') {
      return send(response, { status: 400, body: { error: 'invalid_request' } });
    }
    if (form['client_id'] !== this.clientId || form['client_secret'] !== this.clientSecret) {
      return send(response, {
        status: 401,
        body: { error: 'invalid_client', error_description: 'client authentication failed' },
      });
    }
    if (form['grant_type'] !== 'client_credentials' || form['audience'] !== this.audience) {
      return send(response, { status: 403, body: { error: 'access_denied', error_description: 'no grant' } });
    }
    const token = `mgmt-token-${this.tokenRequests.length}`;
    this.issued.add(token);
    send(response, {
      status: 200,
      body: {
        access_token: token,
        token_type: 'Bearer',
        expires_in: this.expiresIn,
        scope: 'read:users update:users',
      },
    });
  }

  private user(request: IncomingMessage, userId: string, text: string, response: ServerResponse): void {
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    this.usersCalls.push({ method: request.method ?? '', userId, body });
    const forced = this.forcedUsers.shift();
    if (forced !== undefined) return send(response, forced);
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token === undefined || !this.issued.has(token)) {
      return send(response, {
        status: 401,
        body: { statusCode: 401, error: 'Unauthorized', message: 'Invalid token' },
      });
    }
    const user = this.users.get(userId);
    if (user === undefined) {
      return send(response, {
        status: 404,
        body: {
          statusCode: 404,
          error: 'Not Found',
          message: 'The user does not exist.',
          errorCode: 'inexistent_user',
        },
      });
    }
    if (request.method === 'PATCH') {
      const change = (body as { user_metadata?: Record<string, unknown> }).user_metadata ?? {};
      for (const [key, value] of Object.entries(change)) {
        if (value === null) delete user.user_metadata[key];
        else user.user_metadata[key] = value;
      }
    }
    send(response, { status: 200, body: user });
  }
}

function send(response: ServerResponse, answer: ForcedAnswer): void {
  response.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
  response.setHeader('Content-Type', 'application/json');
  response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
}
