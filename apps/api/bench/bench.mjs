// Benchmark of the built API (dist/apps/api/main.js): req/s and latency of the public route against the
// protected route with a valid token, in one run, against a local JWKS that counts its fetches.
// Localhost only; stops by itself. Run with `npm run bench:api` (builds first).
// Routes are measured in short interleaved rounds and the median round is reported, so a burst of load from
// other processes on the machine skews one round, not one route.
// Knobs: BENCH_DURATION (seconds per round, default 3), BENCH_CONNECTIONS (default 50), BENCH_ROUNDS (default 6),
// BENCH_LOG_LEVEL (the API's LOG_LEVEL, default warn: no access log line per request, like the anchors).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const main = join(root, 'dist/apps/api/main.js');
const duration = Number(process.env.BENCH_DURATION ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
const audience = 'https://api.sample.local';

if (!existsSync(main)) {
  console.error(`${main} is missing: build first (nx run api:build), or use npm run bench:api`);
  process.exit(1);
}

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

async function freePort() {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// The local issuer: one RS256 key, JWKS and discovery document.
const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-key', alg: 'RS256', use: 'sig' };
let jwksFetches = 0;
const issuerServer = createServer((request, response) => {
  response.setHeader('Content-Type', 'application/json');
  if (request.url === '/.well-known/jwks.json') {
    jwksFetches += 1;
    response.end(JSON.stringify({ keys: [jwk] }));
  } else if (request.url === '/.well-known/openid-configuration') {
    response.end(JSON.stringify({ issuer: issuerUrl }));
  } else {
    response.statusCode = 404;
    response.end('{}');
  }
});
const issuerUrl = `http://127.0.0.1:${await listen(issuerServer)}/`;

const apiPort = await freePort();
const api = spawn(process.execPath, [main], {
  env: {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORT: String(apiPort),
    AUTH_ISSUER_URL: issuerUrl,
    AUTH_AUDIENCE: audience,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const stopApi = () => {
  if (api.exitCode === null) api.kill('SIGTERM');
};
process.on('exit', stopApi);

const base = `http://127.0.0.1:${apiPort}`;
for (let attempt = 0; ; attempt += 1) {
  try {
    if ((await fetch(`${base}/health`)).ok) break;
  } catch {
    // not listening yet
  }
  if (attempt > 100 || api.exitCode !== null) throw new Error('the API did not start');
  await new Promise((resolve) => setTimeout(resolve, 100));
}

const mint = (subject) =>
  new SignJWT({ scope: 'read:messages', permissions: ['read:messages'], azp: 'bench' })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench-key', typ: 'at+jwt' })
    .setIssuer(issuerUrl)
    .setAudience(audience)
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
const token = await mint('auth0|bench');
// Twice as many distinct tokens as the API's verified-token cache holds, used in turn: every request misses
// the cache, so this row shows the cost of a full verification (passport-jwt + jsonwebtoken + cached KeyObject).
const fresh = await Promise.all(Array.from({ length: 2000 }, (_, i) => mint(`auth0|bench-${i}`)));
let next = 0;

const routes = {
  public: { url: `${base}/api/messages/public`, headers: {} },
  protected: { url: `${base}/api/messages/protected`, headers: { authorization: `Bearer ${token}` } },
  'protected, new token each request': { url: `${base}/api/messages/protected` },
};

const run = (route, seconds) =>
  autocannon({
    url: route.url,
    connections,
    duration: seconds,
    pipelining: 1,
    ...(route.headers === undefined
      ? {
          requests: [
            {
              setupRequest: (request) => ({
                ...request,
                headers: { ...request.headers, authorization: `Bearer ${fresh[next++ % fresh.length]}` },
              }),
            },
          ],
        }
      : { headers: route.headers }),
  });

// CPU time the API process spent (user + system, ms), from /proc on Linux: per request, it is far less
// sensitive than req/s to other processes competing for the cores.
const ticksPerMs = 100 / 1000;
function apiCpuMs() {
  try {
    const fields = readFileSync(`/proc/${api.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
  } catch {
    return Number.NaN;
  }
}

const loadBefore = loadavg()[0].toFixed(1);

// Warm-up: JIT, the first JWKS fetch, the first verification.
await run(routes.public, 2);
await run(routes.protected, 2);
await run(routes['protected, new token each request'], 2);

const results = Object.fromEntries(Object.keys(routes).map((name) => [name, []]));
for (let round = 0; round < rounds; round += 1) {
  // Alternate the order, so neither route always runs first.
  const names = Object.keys(routes);
  for (const name of round % 2 === 0 ? names : names.reverse()) {
    const cpuBefore = apiCpuMs();
    const result = await run(routes[name], duration);
    result.cpuMs = apiCpuMs() - cpuBefore;
    if (result.non2xx > 0 || result.errors > 0) {
      console.error(`${name}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
      process.exitCode = 1;
    }
    results[name].push(result);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const summary = Object.fromEntries(
  Object.entries(results).map(([name, list]) => [
    name,
    {
      'req/s': Math.round(median(list.map((r) => r.requests.average))),
      'p50 ms': median(list.map((r) => r.latency.p50)),
      'p99 ms': median(list.map((r) => r.latency.p99)),
      requests: list.reduce((sum, r) => sum + r.requests.total, 0),
      'API CPU µs/req': Math.round(median(list.map((r) => (1000 * r.cpuMs) / r.requests.total))),
    },
  ]),
);
const ratio = summary.protected['req/s'] / summary.public['req/s'];

console.log(
  `\nNode ${process.version}, autocannon -c ${connections}, ${rounds} interleaved rounds of ${duration} s per route (median shown), API LOG_LEVEL=${process.env.BENCH_LOG_LEVEL ?? 'warn'}, load average before: ${loadBefore}`,
);
console.table(summary);
console.log(`protected / public: ${ratio.toFixed(2)} (target >= 0.85)`);
const uncached = summary['protected, new token each request']['req/s'] / summary.public['req/s'];
console.log(`protected with a new token each request / public: ${uncached.toFixed(2)}`);
const cpuRatio = summary.public['API CPU µs/req'] / summary.protected['API CPU µs/req'];
if (Number.isFinite(cpuRatio)) console.log(`public / protected API CPU per request: ${cpuRatio.toFixed(2)}`);
console.log(`JWKS fetches: ${jwksFetches} (target 1)`);

stopApi();
issuerServer.close();
