// Benchmark of the built API (dist/apps/api/main.js) against two in-repo baselines, in one run on one machine:
// a bare NestJS app with one GET route, and the textbook passport-jwt + jwks-rsa app (baselines/). Prints req/s,
// the ratio to bare NestJS, the server's CPU time per request, p50/p99 latency, non-2xx answers, JWKS fetches
// and access-log lines per request; then the API's RSS while it verifies many distinct tokens.
// It is a benchmark, not a test: it asserts no timing. Localhost only (ephemeral 127.0.0.1 ports); stops by itself.
//
//   npm run bench:api                      build, then 3 rounds of 5 s per variant (about 5 minutes)
//   npm run bench:api -- --quick           1 round of 2 s, 2,000 tokens in the RSS step (under a minute)
//   npm run bench:api -- --ladder          what each layer of the API (helmet, CORS, pino-http...) costs
//   npm run bench:api -- --profile         where the time goes, from V8 CPU profiles
//   node apps/api/bench/bench.mjs --help   every option (the build must exist)
import autocannon from 'autocannon';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { startLocalIssuer } from './local-issuer.mjs';
import { printProfiles, summarise } from './profile-report.mjs';
import { pinning, pinSelfToLoadCore, startServer, stopAllServers } from './servers.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const apiMain = join(here, '../../../dist/apps/api/main.js');
const profileDir = join(here, '../../../tmp/bench-profiles');
const AUDIENCE = 'https://api.sample.local';
// What the API is told its public URL is: DPoP proofs name it in htu (the servers themselves listen on 127.0.0.1).
const API_PUBLIC_URL = 'https://api.bench.example';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    'log-level': { type: 'string' },
    'rss-tokens': { type: 'string' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    ladder: { type: 'boolean', default: false },
    rate: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  console.log(`Usage: node apps/api/bench/bench.mjs [options]   (npm run bench:api -- [options] builds the API first)
  --quick             1 round of 2 s, 0.5 s warm-up, 2,000 tokens in the RSS step (a CI smoke run)
  --rounds N          rounds per variant, median shown (default 3; env BENCH_ROUNDS)
  --duration S        seconds per variant per round (default 5; env BENCH_DURATION)
  --warmup S          seconds of warm-up per variant before the rounds (default 2; env BENCH_WARMUP)
  --connections N     autocannon connections (default 50; env BENCH_CONNECTIONS)
  --log-level L       the API's LOG_LEVEL (default info, what production runs; env BENCH_LOG_LEVEL)
  --rss-tokens N      distinct tokens sent to a fresh API in the RSS step, 0 to skip (default 100000; env BENCH_RSS_TOKENS)
  --profile           one window per variant under V8's sampling profiler (no RSS step), then where the time goes;
                      the .cpuprofile files stay in tmp/bench-profiles/ (open them in Chrome DevTools)
  --ladder            instead of the rows above: bare NestJS plus one layer of the API at a time (helmet, CORS,
                      body parsers, guards, pino-http at info and warn, Swagger), all of them, and the API's
                      public route: what each layer costs per request at one fixed rate (baselines/bare-nest-plus.mjs);
                      a second bare process is the control row
  --rate N            send N req/s to each server (autocannon overallRate) instead of as many as the server takes: CPU
                      µs/request then compares code paths at one request rate (default: saturate; --ladder: 1000)
  --only a,b          run only these variants (bare always runs): bare, floor-new, textbook-same, textbook-new, api-public, api-dpop,
                      api-same, api-new, api-public-level; with --ladder: bare+nothing (control), bare+helmet, ..., bare+all
Exit code 1 only when a server answered non-2xx or a request failed: no timing is ever asserted.`);
  process.exit(0);
}

function numberOption(flag, envName, fallback, quickValue) {
  const raw = flags[flag] ?? process.env[envName];
  if (raw === undefined || raw === '') return flags.quick && quickValue !== undefined ? quickValue : fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${flag} must be a number (got ${raw})`);
  return value;
}

const options = {
  rounds: flags.profile ? 1 : Math.max(1, Math.round(numberOption('rounds', 'BENCH_ROUNDS', 3, 1))),
  duration: numberOption('duration', 'BENCH_DURATION', 5, 2),
  warmup: numberOption('warmup', 'BENCH_WARMUP', 2, 0.5),
  connections: Math.max(1, Math.round(numberOption('connections', 'BENCH_CONNECTIONS', 50))),
  rssTokens:
    flags.profile || flags.ladder
      ? 0
      : Math.round(numberOption('rss-tokens', 'BENCH_RSS_TOKENS', 100_000, 2_000)),
  rate: numberOption('rate', 'BENCH_RATE', flags.ladder ? 1000 : 0) || undefined,
  logLevel: flags['log-level'] ?? process.env.BENCH_LOG_LEVEL ?? 'info',
};
if (!LOG_LEVELS.includes(options.logLevel))
  throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
// The comparison row runs the public route at the other level: what the access log costs.
const otherLevel = options.logLevel === 'info' ? 'warn' : 'info';

if (Number(process.versions.node.split('.')[0]) < 24) {
  console.error(`Node ${process.version}: the API needs Node 24 (tools/node24 npm run bench:api)`);
  process.exit(1);
}
if (!existsSync(apiMain)) {
  console.error(
    `${apiMain} is missing: build first (tools/node24 npx nx run api:build), or use npm run bench:api`,
  );
  process.exit(1);
}

/** The rows, in their first-round order; later rounds rotate it. */
const VARIANTS = [
  {
    id: 'bare',
    label: 'bare NestJS 12, one GET route',
    server: 'bare',
    path: '/api/messages/public',
    token: 'none',
  },
  {
    id: 'floor-new',
    label: 'floor: bare NestJS + one RS256 signature check, new token each request',
    server: 'floor',
    path: '/api/messages/protected',
    token: 'fresh',
  },
  {
    id: 'textbook-same',
    label: 'textbook passport-jwt + jwks-rsa, same token',
    server: 'textbook',
    path: '/api/messages/protected',
    token: 'same',
  },
  {
    id: 'textbook-new',
    label: 'textbook passport-jwt + jwks-rsa, new token each request',
    server: 'textbook',
    path: '/api/messages/protected',
    token: 'fresh',
  },
  {
    id: 'api-public',
    label: 'this API, public route',
    server: 'api',
    path: '/api/messages/public',
    token: 'none',
  },
  {
    id: 'api-same',
    label: 'this API, protected, same token',
    server: 'api',
    path: '/api/messages/protected',
    token: 'same',
  },
  {
    id: 'api-dpop',
    label: 'this API, protected, DPoP: same bound token, new proof each request',
    server: 'api',
    path: '/api/messages/protected',
    token: 'dpop',
  },
  {
    id: 'api-new',
    label: 'this API, protected, new token each request',
    server: 'api',
    path: '/api/messages/protected',
    token: 'fresh',
  },
  {
    id: 'api-public-level',
    label: `this API, public route, LOG_LEVEL=${otherLevel}`,
    server: 'api',
    logLevel: otherLevel,
    path: '/api/messages/public',
    token: 'none',
  },
];
/** The ladder: bare NestJS plus the API's layers, one at a time, then all, then the API itself. */
const LADDER_STEPS = [
  ['nothing', ''],
  ['helmet', 'helmet'],
  ['cors', 'cors'],
  ['no-body-parsers', 'no-body-parsers'],
  ['guards', 'guards'],
  ['pino-info', 'pino-info'],
  ['pino-warn', 'pino-warn'],
  ['swagger', 'swagger'],
  ['all', 'helmet,body-parsers-16kb,cors,guards,pino-info,swagger'],
];
const LADDER = [
  VARIANTS[0],
  ...LADDER_STEPS.map(([id, layers]) => ({
    id: `bare+${id}`,
    label:
      id === 'all'
        ? `bare NestJS + all of them (${layers})`
        : id === 'nothing'
          ? 'bare NestJS again, a second process (control)'
          : `bare NestJS + ${id}`,
    server: 'bare-plus',
    layers,
    path: '/api/messages/public',
    token: 'none',
  })),
  VARIANTS.find((v) => v.id === 'api-public'),
];
const only = flags.only?.split(',').map((id) => id.trim());
const variants = (flags.ladder ? LADDER : VARIANTS).filter(
  (v) => v.id === 'bare' || only === undefined || only.includes(v.id),
);

// Bounded in time: a stuck server or load run cannot keep the benchmark going.
const perVariant = options.warmup + options.rounds * (options.duration + 1) + 2;
const budgetMs = (120 + variants.length * perVariant * 2 + (options.rssTokens > 0 ? 300 : 0)) * 1000;
const budget = setTimeout(() => {
  console.error(`bench: still running after ${Math.round(budgetMs / 1000)} s, stopping`);
  void stopAllServers().finally(() => process.exit(2));
}, budgetMs);
budget.unref();

const startedAt = performance.now();
const progress = (text) =>
  process.stderr.write(
    `bench ${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s: ${text}\n`,
  );
const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// --- machine -------------------------------------------------------------------------------------------------
const cpuModel =
  /model name\s*:\s*(.+)/.exec(
    existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '',
  )?.[1] ??
  cpus()[0]?.model ??
  'unknown CPU';
const loadBefore = loadavg().map((n) => n.toFixed(2));
const coresAvailable = availableParallelism(); // before pinning narrows it to one

// --- issuer and tokens -----------------------------------------------------------------------------------------
const issuer = await startLocalIssuer({ audience: AUDIENCE });
const sameToken = issuer.token('auth0|bench-same');
// Every server process draws fresh tokens from one pool with its own cursor: a server never sees a token twice.
// The pool covers the RSS step and the fresh-token rows up to FRESH_RATE_CAP verifications/s (the floor, which
// caches nothing, may outrun it and wrap at no saving; the API's new-token row reaches about 6k/s here).
const FRESH_RATE_CAP = 8_000;
const freshPerProcess =
  Math.ceil(FRESH_RATE_CAP * (options.warmup + options.rounds * options.duration)) + 1_000;
const poolSize =
  Math.max(options.rssTokens, variants.some((v) => v.token === 'fresh') ? freshPerProcess : 0) + 100;
const mintStart = performance.now();
const pool = await issuer.mint(poolSize);
progress(
  `minted ${pool.length} distinct RS256 tokens in ${((performance.now() - mintStart) / 1000).toFixed(1)} s`,
);
const cursors = new Map();
let repeatedTokens = 0;
function freshToken(serverName) {
  const i = cursors.get(serverName) ?? 0;
  cursors.set(serverName, i + 1);
  // Only the API keeps verified tokens (the newest 1,000): a repeat after the whole pool never hits that cache, and
  // the floor and the textbook app cache no token, so a repeat costs them a full check as well. Counted for the API.
  if (i >= pool.length && serverName.startsWith('api')) repeatedTokens += 1;
  return pool[i % pool.length];
}

// --- DPoP: one ES256 key (the "browser's"), a token bound to it, proofs minted right before each window -------
const dpopKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const dpopPublicJwk = dpopKey.publicKey.export({ format: 'jwk' });
const dpopThumbprint = createHash('sha256')
  .update(JSON.stringify({ crv: dpopPublicJwk.crv, kty: 'EC', x: dpopPublicJwk.x, y: dpopPublicJwk.y }))
  .digest('base64url');
const boundToken = issuer.token('auth0|bench-dpop', { cnf: { jkt: dpopThumbprint } });
let proofs = [];
let proofCursor = 0;
let reusedProofs = 0;
/** `count` fresh proofs for GET /api/messages/protected, signed in a worker thread; replaces the pool. */
async function mintProofs(count) {
  proofs = await new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./dpop-proof-worker.mjs', import.meta.url), {
      workerData: {
        privateJwk: dpopKey.privateKey.export({ format: 'jwk' }),
        htu: `${API_PUBLIC_URL}/api/messages/protected`,
        accessToken: boundToken,
        count,
      },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  proofCursor = 0;
}
function nextProof() {
  if (proofCursor >= proofs.length) reusedProofs += 1;
  return proofs[proofCursor++ % proofs.length];
}

pinSelfToLoadCore();

// --- servers ---------------------------------------------------------------------------------------------------
function serverSpec(variant) {
  const jwksUri = issuer.jwksUri(variant.id);
  switch (variant.server) {
    case 'bare':
      return {
        script: join(here, 'baselines/bare-nest.mjs'),
        env: { NODE_ENV: 'production' },
        readyPath: variant.path,
      };
    case 'bare-plus':
      return {
        script: join(here, 'baselines/bare-nest-plus.mjs'),
        env: { NODE_ENV: 'production', BENCH_LAYERS: variant.layers },
        readyPath: variant.path,
      };
    case 'floor':
      return {
        script: join(here, 'baselines/bare-nest-verify.mjs'),
        env: { NODE_ENV: 'production', AUTH_JWKS_URI: jwksUri },
        readyPath: '/api/messages/protected',
      };
    case 'textbook':
      return {
        script: join(here, 'baselines/textbook-passport-jwt.mjs'),
        env: {
          NODE_ENV: 'production',
          AUTH0_ISSUER_URL: issuer.issuerUrl,
          AUTH0_AUDIENCE: AUDIENCE,
          AUTH0_JWKS_URI: jwksUri,
        },
        readyPath: variant.path,
      };
    default:
      return {
        script: apiMain,
        env: apiEnv(jwksUri, variant.logLevel ?? options.logLevel),
        readyPath: '/health',
      };
  }
}

/** What the API needs (the variable names of apps/api/.env.serve), as a production deployment would set it. */
function apiEnv(jwksUri, logLevel) {
  return {
    NODE_ENV: 'production',
    AUTH_ISSUER_URL: issuer.issuerUrl,
    AUTH_AUDIENCE: AUDIENCE,
    AUTH_JWKS_URI: jwksUri,
    CORS_ORIGINS: 'https://app.example.com',
    API_PUBLIC_URL,
    LOG_LEVEL: logLevel,
  };
}

// One process per row: its CPU time, JWKS fetches and log lines belong to that row alone.
const servers = new Map();
try {
  for (const variant of variants) {
    servers.set(
      variant.id,
      await startServer({ name: variant.id, profile: flags.profile, ...serverSpec(variant) }),
    );
  }
} catch (error) {
  console.error(String(error.message ?? error));
  await stopAllServers();
  process.exit(1);
}
progress(`started ${servers.size} servers (${pinning.why})`);

// --- load ------------------------------------------------------------------------------------------------------
/** One autocannon run against a variant: for `seconds`, or until `amount` responses (stopped after maxSeconds). */
function load(variant, { seconds, amount, maxSeconds, rate, server = servers.get(variant.id) }) {
  const request = { url: `${server.url}${variant.path}`, connections: options.connections, pipelining: 1 };
  if (rate !== undefined) request.overallRate = rate;
  if (amount === undefined) request.duration = seconds;
  else request.amount = amount;
  if (variant.token === 'same') request.headers = { authorization: `Bearer ${sameToken}` };
  if (variant.token === 'dpop') {
    request.requests = [
      {
        setupRequest: (req) => ({
          ...req,
          headers: { ...req.headers, authorization: `DPoP ${boundToken}`, dpop: nextProof() },
        }),
      },
    ];
  }
  if (variant.token === 'fresh') {
    request.requests = [
      {
        setupRequest: (req) => ({
          ...req,
          headers: { ...req.headers, authorization: `Bearer ${freshToken(server.name)}` },
        }),
      },
    ];
  }
  return new Promise((resolve, reject) => {
    const run = autocannon(request, (error, result) => (error ? reject(error) : resolve(result)));
    if (maxSeconds !== undefined) setTimeout(() => run.stop(), maxSeconds * 1000).unref();
  });
}

async function measure(variant, seconds, { profileFile, rate = options.rate } = {}) {
  const server = servers.get(variant.id);
  // Enough proofs for the window at a rate no server here reaches; minted before the CPU clock starts.
  if (variant.token === 'dpop') await mintProofs(Math.ceil(12_000 * seconds));
  if (profileFile !== undefined) await server.startProfile();
  const cpuBefore = server.cpuMs();
  const linesBefore = server.stdoutLines();
  const result = await load(variant, { seconds, rate });
  const cpuMs = server.cpuMs() - cpuBefore;
  if (profileFile !== undefined) await server.stopProfile(profileFile);
  // Let the last access-log lines through the pipe before counting them.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const requests = result.requests.total;
  return {
    requests,
    rps: requests / result.duration,
    cpuUs: (cpuMs * 1000) / requests,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    logLines: (server.stdoutLines() - linesBefore) / requests,
  };
}

if (options.warmup > 0) {
  progress(`warm-up: ${options.warmup} s per variant`);
  // As many requests as each server takes, whatever --rate says: the JIT needs thousands to settle.
  for (const variant of variants) await measure(variant, options.warmup, { rate: undefined });
}

if (flags.profile) mkdirSync(profileDir, { recursive: true });
const results = new Map(variants.map((v) => [v.id, []]));
const compared = (own, bare) => ({
  ...own,
  ratio: own.rps / bare.rps,
  cpuRatio: bare.cpuUs / own.cpuUs,
  cpuDelta: own.cpuUs - bare.cpuUs,
});
for (let round = 0; round < options.rounds; round += 1) {
  // Rotate the order, so no variant always runs first or right after the same neighbour.
  const order = variants.map((_, i) => variants[(i + round) % variants.length]);
  progress(`round ${round + 1}/${options.rounds}: ${order.map((v) => v.id).join(', ')}`);
  const byId = {};
  for (const variant of order) {
    const profileFile = flags.profile ? join(profileDir, `${variant.id}.cpuprofile`) : undefined;
    byId[variant.id] = await measure(variant, options.duration, { profileFile });
  }
  for (const variant of variants) results.get(variant.id).push(compared(byId[variant.id], byId.bare));
}
const loadAfter = loadavg().map((n) => n.toFixed(2));

// --- RSS after many distinct tokens (a fresh API process, a bounded step) ----------------------------------------
let rss;
if (options.rssTokens > 0 && variants.some((v) => v.server === 'api')) {
  const variant = { id: 'api-rss', server: 'api', path: '/api/messages/protected', token: 'fresh' };
  const server = await startServer({ name: variant.id, ...serverSpec(variant) });
  await load({ ...variant, path: '/api/messages/public', token: 'none' }, { seconds: 1, server });
  // In quarters: a bounded cache shows as RSS that stops growing.
  const quarters = [1, 2, 3, 4].map((q) => Math.floor((options.rssTokens * q) / 4));
  const steps = [{ tokens: 0, rssKb: server.rssKb() }];
  const started = performance.now();
  let non2xx = 0;
  let sent = 0;
  for (const target of quarters) {
    const amount = target - sent;
    if (amount < options.connections) continue;
    progress(`RSS step: ${target} of ${options.rssTokens} distinct tokens`);
    const result = await load(variant, { amount, maxSeconds: 60, server });
    sent += result.requests.total;
    non2xx += result.non2xx + result.errors + result.timeouts;
    steps.push({ tokens: sent, rssKb: server.rssKb() });
  }
  rss = { steps, non2xx, seconds: (performance.now() - started) / 1000, fetches: issuer.fetches(variant.id) };
}

await stopAllServers();
await issuer.close();
clearTimeout(budget);

// --- report ----------------------------------------------------------------------------------------------------
const fixed = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const rows = variants.map((variant) => {
  const list = results.get(variant.id);
  return {
    variant,
    rps: median(list.map((r) => r.rps)),
    ratio: median(list.map((r) => r.ratio)),
    cpuUs: median(list.map((r) => r.cpuUs)),
    cpuDelta: median(list.map((r) => r.cpuDelta)),
    cpuRatio: median(list.map((r) => r.cpuRatio)),
    p50: median(list.map((r) => r.p50)),
    p99: median(list.map((r) => r.p99)),
    non2xx: list.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    jwks: variant.server === 'bare' || variant.server === 'bare-plus' ? null : issuer.fetches(variant.id),
    logLines: median(list.map((r) => r.logLines)),
  };
});

console.log(`
Machine: ${cpuModel}, ${cpus().length} cores (${coresAvailable} available), Linux ${release()}; Node ${process.version}
Pinning: ${pinning.on ? pinning.why : `off (${pinning.why})`}; load average before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')}
autocannon -c ${options.connections}${options.rate === undefined ? '' : ` at ${options.rate} req/s per server (fixed rate)`}; run took ${fixed((performance.now() - startedAt) / 1000)} s; ${options.rounds} round(s) of ${options.duration} s per variant after ${options.warmup} s of warm-up, order rotating; medians shown
("vs bare": req/s ÷ bare's req/s; "vs bare by CPU": bare's CPU µs/request ÷ the row's, the req/s ratio each would
reach with a core to itself, steadier when other processes share the cores; both, and "Δ µs", are medians of
per-round comparisons with the bare app of the same round)
${flags.ladder ? 'Ladder: the control row (a second bare process) shows how far two identical servers differ in this run.\n' : ''}${flags.profile ? 'Under the sampling profiler (100 µs interval): slower than without it.\n' : ''}API: dist/apps/api/main.js, NODE_ENV=production, LOG_LEVEL=${options.logLevel}${options.logLevel === 'info' ? ' (the production default: one JSON access-log line per request, to a pipe)' : ''}
`);
console.log(
  '| variant | req/s | vs bare | server CPU µs/req | Δ µs vs bare | vs bare by CPU | p50 ms | p99 ms | non-2xx | JWKS fetches | log lines/req |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  console.log(
    `| ${row.variant.label} | ${fixed(row.rps)} | ${fixed(row.ratio, 2)} | ${fixed(row.cpuUs)} | ${row.variant.id === 'bare' ? '-' : `${row.cpuDelta >= 0 ? '+' : ''}${fixed(row.cpuDelta)}`} | ${fixed(row.cpuRatio, 2)} | ${fixed(row.p50)} | ${fixed(row.p99)} | ${row.non2xx} | ${row.jwks ?? '-'} | ${fixed(row.logLines, 2)} |`,
  );
}

const row = (id) => rows.find((r) => r.variant.id === id);
const [atLevel, atOther] = [row('api-public'), row('api-public-level')];
if (atLevel !== undefined && atOther !== undefined) {
  const [info, warn] = options.logLevel === 'info' ? [atLevel, atOther] : [atOther, atLevel];
  console.log(
    `\nAccess log: the public route at info costs ${fixed(info.cpuUs - warn.cpuUs)} µs CPU/request more than at warn (req/s info/warn ${fixed(info.rps / warn.rps, 2)}).`,
  );
}
if (rss !== undefined) {
  const mb = (kb) => fixed(kb / 1024, 1);
  console.log(
    `API RSS with distinct tokens (fresh process, one JWKS fetch expected: ${rss.fetches}): ${rss.steps
      .map((s) => `${mb(s.rssKb)} MB after ${s.tokens}`)
      .join(', ')} (${fixed(rss.seconds)} s, non-2xx/errors ${rss.non2xx}).`,
  );
}
if (rss !== undefined && rss.non2xx > 0) process.exitCode = 1;
const viaDiscovery = issuer.fetches('discovery');
if (viaDiscovery > 0) console.log(`JWKS fetches through the discovery document's jwks_uri: ${viaDiscovery}.`);
if (repeatedTokens > 0) {
  console.log(
    `Warning: ${repeatedTokens} of the API's fresh-token requests reused a token (the pool of ${pool.length} ran out).`,
  );
}
if (reusedProofs > 0) {
  console.log(
    `Warning: ${reusedProofs} DPoP requests reused a proof (refused as replays): raise the mint rate.`,
  );
}
const dpopRow = row('api-dpop');
const bearerRow = row('api-same');
if (dpopRow !== undefined && bearerRow !== undefined) {
  console.log(
    `DPoP: a request with a bound token and its proof costs ${fixed(dpopRow.cpuUs - bearerRow.cpuUs)} µs CPU more than the same token as Bearer (req/s DPoP/Bearer ${fixed(dpopRow.rps / bearerRow.rps, 2)}).`,
  );
}
const failed = rows.filter((r) => r.non2xx > 0);
if (failed.length > 0) {
  console.log(
    `Warning: non-2xx answers or errors in ${failed.map((r) => r.variant.id).join(', ')}: figures are not comparable.`,
  );
  // A failure of function, not of speed: a valid token must be accepted.
  process.exitCode = 1;
}

if (flags.profile) {
  printProfiles(
    variants.map((variant) => ({
      id: variant.id,
      summary: summarise(
        join(profileDir, `${variant.id}.cpuprofile`),
        results.get(variant.id)[0].requests,
        results.get(variant.id)[0].cpuUs,
      ),
    })),
  );
  console.log(`\nProfiles: ${profileDir}/<variant>.cpuprofile`);
}
