import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** A signing key of the test issuer. */
export interface TestKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** Makes a key pair and its public JWK (with kid, alg, use). */
export async function createKey(kid: string, alg = 'RS256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk };
}

/** A TestIssuer serving one new RS256 key, `key-1`: the issuer most HTTP specs start with. */
export async function startIssuerWithKey(): Promise<{ readonly issuer: TestIssuer; readonly key: TestKey }> {
  const key = await createKey('key-1');
  return { issuer: await TestIssuer.start([key]), key };
}

/** How the JWKS endpoint behaves. */
export type JwksMode = { kind: 'up' } | { kind: 'error'; status: number } | { kind: 'slow'; delayMs: number };

/**
 * A local issuer for tests: GET /.well-known/jwks.json and /.well-known/openid-configuration (both counted),
 * on 127.0.0.1 and a port the OS picks.
 */
export class TestIssuer {
  jwksFetches = 0;
  discoveryFetches = 0;
  mode: JwksMode = { kind: 'up' };
  keys: TestKey[] = [];
  /** The issuer that the discovery document announces; defaults to the real one. */
  discoveryIssuer: string | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(private readonly server: Server) {}

  static async start(keys: TestKey[] = []): Promise<TestIssuer> {
    const server = createServer();
    const issuer = new TestIssuer(server);
    issuer.keys = keys;
    server.on('request', (request, response) => issuer.handle(request.url ?? '', response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return issuer;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The issuer identifier, with the trailing slash Auth0 uses. */
  get url(): string {
    return `${this.origin}/`;
  }

  private handle(url: string, response: import('node:http').ServerResponse): void {
    if (url === '/.well-known/openid-configuration') {
      this.discoveryFetches += 1;
      response.setHeader('Content-Type', 'application/json');
      response.end(
        JSON.stringify({
          issuer: this.discoveryIssuer ?? this.url,
          jwks_uri: `${this.url}.well-known/jwks.json`,
        }),
      );
      return;
    }
    if (url !== '/.well-known/jwks.json') {
      response.statusCode = 404;
      response.end();
      return;
    }
    this.jwksFetches += 1;
    const send = () => {
      if (this.mode.kind === 'error') {
        response.statusCode = this.mode.status;
        response.end('unavailable');
        return;
      }
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ keys: this.keys.map((key) => key.publicJwk) }));
    };
    if (this.mode.kind === 'slow') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!response.destroyed) send();
      }, this.mode.delayMs);
      this.timers.add(timer);
    } else {
      send();
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Options of mint(): claims to add or remove (undefined removes a default claim) and header fields. */
export interface MintOptions {
  readonly claims?: Record<string, unknown>;
  readonly header?: Record<string, unknown>;
}

/**
 * Signs an access token like Auth0's: iss, aud, sub, iat, exp (+10 min), azp, scope and permissions, unless
 * `claims` overrides them (a value of undefined drops the claim).
 */
export async function mint(
  key: TestKey,
  issuer: string,
  audience: string,
  options: MintOptions = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: issuer,
    aud: audience,
    sub: 'auth0|test-user',
    iat: now,
    exp: now + 600,
    azp: 'sample-spa',
    scope: 'openid profile read:messages',
    permissions: ['read:messages'],
    ...options.claims,
  };
  for (const name of Object.keys(claims)) if (claims[name] === undefined) delete claims[name];
  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...options.header } as { alg: string })
    .sign(key.privateKey);
}

/** base64url of a JSON value, to hand-craft tokens jose refuses to make. */
export function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
