import { createServer, IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tenant } from './tenant/tenant';
import { Accounts, subjectOf } from './accounts/accounts';
import { AUTH0_LOGOUT_PATH, decideLogout } from './auth0/logout';
import { adaptTokenRequest, TOKEN_PATH } from './auth0/token-request';
import { createJwtUserinfo, USERINFO_PATH } from './auth0/userinfo';
import type { HostName } from './config/settings';
import { BodyTooLarge } from './http/body';
import { createHostCheck, sendHostRefusal } from './http/host-check';
import { sendHtml, sendJson } from './http/respond';
import { createLoginHandler, LOGIN_PATH } from './interactions/login';
import { LoginThrottle } from './interactions/login-throttle';
import { loadOrCreateDpopNonceSecret } from './keys/dpop-nonce-secret';
import { publicJwks, type SigningKey } from './keys/signing-keys';
import { managementApiAudience } from '@sample/contract';
import { withManagementApi } from './management-api/management-api';
import { RateLimiter, type RateLimitOptions } from './management-api/rate-limit';
import { UserStore } from './management-api/user-store';
import { createManagementApi } from './management-api/users-route';
import { avatarSvg } from './pages/avatar';
import { errorPage } from './pages/error-page';
import { createProvider } from './provider';
import { TenantDirectory } from './tenant/directory';

export interface AuthServerOptions {
  readonly tenant: Tenant;
  /** Signing keys, newest first (see keys/signing-keys.ts). */
  readonly keys: readonly SigningKey[];
  /** The data folder (AUTH_SERVER_DATA_DIR): the Management API keeps users' metadata there. */
  readonly dataDir: string;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** Public issuer URL; defaults to `http://localhost:<port>/`. */
  readonly issuer?: string;
  /** `Host` names served besides the issuer's and loopback (AUTH_SERVER_ALLOWED_HOSTS). */
  readonly allowedHosts?: readonly HostName[];
  /**
   * Epoch milliseconds, the clock of login throttling, the in-memory store and the Management API (token expiry,
   * rate limit, timestamps); `Date.now` by default (tests inject one).
   */
  readonly now?: () => number;
  /** The Management API's limit per caller; DEFAULT_MANAGEMENT_RATE_LIMIT by default (tests set a small one). */
  readonly managementRateLimit?: RateLimitOptions;
  /** Where server errors are reported; stderr by default. */
  readonly logError?: (message: string, error: unknown) => void;
}

export interface RunningAuthServer {
  readonly issuer: string;
  readonly port: number;
  close(): Promise<void>;
}

const AVATAR = /^\/avatars\/([A-Z0-9]{1,2})\.svg$/;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts the development authorization server: oidc-provider behind a few Auth0 adapters
 * (`/v2/logout`, JSON and `audience` at `/oauth/token`, JWT access tokens at `/userinfo`) and the login page.
 * @example const server = await startAuthServer({ tenant, keys, host: 'localhost', port: 0 });
 */
export async function startAuthServer(options: AuthServerOptions): Promise<RunningAuthServer> {
  const now = options.now ?? Date.now;
  // Read before listening: a corrupt users file stops the start with a message naming it.
  const store = await UserStore.open(options.dataDir, options.tenant.users.map(subjectOf), now);
  const dpopNonceSecret = await loadOrCreateDpopNonceSecret(options.dataDir);
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  // Set once oidc-provider exists; until then the server answers 503.
  const app: { handle?: (req: IncomingMessage, res: ServerResponse) => Promise<void> } = {};
  const server = createServer((req, res) => {
    if (!app.handle) {
      res.writeHead(503).end();
      return;
    }
    app.handle(req, res).catch((error: unknown) => {
      logError(`Unexpected error on ${req.method} ${req.url}:`, error);
      if (!res.headersSent)
        sendHtml(res, 500, errorPage('server_error', 'The server hit an unexpected error; see its log.'));
      else res.end();
    });
  });
  // The issuer may depend on the port picked, so oidc-provider is created once the server listens.
  await listen(server, options.port, options.host);
  const port = (server.address() as AddressInfo).port;
  const issuer = options.issuer ?? `http://localhost:${port}/`;

  let tenant: Tenant;
  try {
    tenant = withManagementApi(options.tenant, issuer);
  } catch (error) {
    server.close();
    throw error;
  }
  const directory = new TenantDirectory(tenant);
  const accounts = new Accounts(tenant, new URL('avatars/', issuer).href);
  const provider = createProvider({ issuer, now, keys: options.keys, accounts, directory, dpopNonceSecret });
  provider.on('server_error', (_ctx, error) => logError('oidc-provider server_error:', error));
  const callback = provider.callback();
  const throttle = new LoginThrottle({ now });
  const login = createLoginHandler({ provider, accounts, directory, throttle, now });
  const jwtUserinfo = createJwtUserinfo({ issuer, jwks: publicJwks(options.keys), accounts, directory });
  const managementApi = createManagementApi({
    issuer,
    audience: managementApiAudience(issuer),
    jwks: publicJwks(options.keys),
    accounts,
    directory,
    store,
    limiter: new RateLimiter(options.managementRateLimit, now),
    now,
  });
  const checkHost = createHostCheck({ issuer, listenPort: port, allowedHosts: options.allowedHosts });

  app.handle = async (req, res) => {
    const refusal = checkHost(req.headers.host);
    if (refusal) return sendHostRefusal(res, refusal);
    const url = new URL(req.url ?? '/', issuer);
    const path = url.pathname;
    if (path === LOGIN_PATH) {
      try {
        return await login(req, res, url);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        return sendHtml(res, 413, errorPage('invalid_request', error.message));
      }
    }
    if (path === AUTH0_LOGOUT_PATH && req.method === 'GET') {
      const decision = decideLogout(url, directory);
      if ('page' in decision) return sendHtml(res, decision.status, decision.page);
      req.url = decision.endSessionUrl;
    }
    if (path === USERINFO_PATH && (await jwtUserinfo(req, res))) return;
    if (await managementApi(req, res, path)) return;
    if (path === TOKEN_PATH && req.method === 'POST') {
      let adapted;
      try {
        adapted = await adaptTokenRequest(req);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        return sendJson(res, 413, { error: 'invalid_request', error_description: error.message });
      }
      if (!(adapted instanceof IncomingMessage)) return sendJson(res, adapted.status, adapted.body);
      req = adapted;
    }
    const avatar = AVATAR.exec(path);
    if (avatar?.[1] && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' });
      res.end(avatarSvg(avatar[1]));
      return;
    }
    return callback(req, res);
  };

  return {
    issuer,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
