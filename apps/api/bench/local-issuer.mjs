// The benchmark's issuer: one RS256 key made at start (never written to disk), its discovery document and JWKS on
// an ephemeral loopback port, and Auth0-shaped access tokens. Every server gets its own JWKS path, so the
// fetches of each one are counted apart.
import { createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * One signed access token for `subject`, valid for an hour from now (a `jti` makes every token distinct); `claims`
 * adds to the payload (the DPoP row's `cnf`).
 */
export function signToken(privateKey, kid, { issuerUrl, audience, subject, claims = {} }) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url({ alg: 'RS256', typ: 'JWT', kid });
  const payload = base64url({
    iss: issuerUrl,
    sub: subject,
    aud: [audience, `${issuerUrl}userinfo`],
    iat: now,
    exp: now + 3600,
    scope: 'openid profile email read:messages',
    azp: 'bench-spa-client',
    permissions: ['read:messages'],
    jti: randomUUID(),
    ...claims,
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/**
 * Starts the issuer on 127.0.0.1, port chosen by the system.
 * @returns issuerUrl, jwksUri(name) for a server's own JWKS path, fetches(name), token(subject, claims?), mint(count),
 * close().
 */
export async function startLocalIssuer({ audience }) {
  const kid = `bench-${randomUUID().slice(0, 8)}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = JSON.stringify({
    keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }],
  });
  const fetches = new Map();
  let issuerUrl = '';

  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0];
    response.setHeader('Content-Type', 'application/json');
    const jwksName =
      /^\/jwks\/([\w-]+)\.json$/.exec(path)?.[1] ?? (path === '/.well-known/jwks.json' ? 'discovery' : null);
    if (jwksName !== null) {
      fetches.set(jwksName, (fetches.get(jwksName) ?? 0) + 1);
      response.end(jwks);
    } else if (path === '/.well-known/openid-configuration') {
      response.end(
        JSON.stringify({
          issuer: issuerUrl,
          jwks_uri: `${issuerUrl}.well-known/jwks.json`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else {
      response.statusCode = 404;
      response.end('{}');
    }
  });
  // Servers keep their JWKS connection open; do not let that hold the benchmark's exit.
  server.keepAliveTimeout = 1_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuerUrl = `http://127.0.0.1:${server.address().port}/`;
  const base = { issuerUrl, audience };
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' });

  /** `count` distinct tokens, signed in worker threads (one per core). */
  async function mint(count, prefix = 'fresh') {
    const workers = Math.max(1, Math.min(availableParallelism(), 4));
    const share = Math.ceil(count / workers);
    const slices = await Promise.all(
      Array.from({ length: workers }, (_, index) => {
        const from = index * share;
        const size = Math.max(0, Math.min(share, count - from));
        return new Promise((resolve, reject) => {
          const worker = new Worker(new URL('./mint-worker.mjs', import.meta.url), {
            workerData: { privatePem, kid, ...base, prefix, from, count: size },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
        });
      }),
    );
    return slices.flat();
  }

  return {
    issuerUrl,
    jwksUri: (name) => `${issuerUrl}jwks/${name}.json`,
    fetches: (name) => fetches.get(name) ?? 0,
    token: (subject, extra) =>
      signToken(createPrivateKey(privatePem), kid, { ...base, subject, claims: extra }),
    mint,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
