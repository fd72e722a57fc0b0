// Fault-and-load run of the built API (dist/apps/api/main.js): mixed traffic (valid tokens, new tokens, expired,
// forged signatures, random kids, a key the issuer retires) while the JWKS goes down (HTTP 503, reset connections,
// no answer), comes back, and the issuer rotates its keys. A benchmark-style run, not a unit test: localhost only,
// ephemeral ports, bounded in time, stops by itself. Run with `npm run fault:api` (builds first), or
// `npm run fault:api -- --short` for a quick one.
// It prints requests by category, expected and actual status, the 5xx count, valid requests refused outside what
// the outage explains, JWKS fetches and the API's RSS at start and end; exit code 1 when an invariant fails:
//   - no 5xx and no request left unanswered;
//   - no valid token refused, except with unknown_signing_key for a key the issuer published while its JWKS was
//     down, before a JWKS answer carrying that key reached the API;
//   - no token of the retired key accepted once the API had time to refetch (its verified-token cache included).
// Knobs: FAULT_DURATION (seconds, default 60; --short: 15), FAULT_CONNECTIONS (concurrent requests, default 32).
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist/apps/api/main.js');
const short = process.argv.includes('--short');
const durationS = Number(process.env.FAULT_DURATION ?? (short ? 15 : 60));
const connections = Number(process.env.FAULT_CONNECTIONS ?? 32);
if (!(durationS >= 5 && durationS <= 600) || !(connections >= 1 && connections <= 256)) {
  console.error('FAULT_DURATION must be 5 to 600 seconds and FAULT_CONNECTIONS 1 to 256');
  process.exit(2);
}
if (!existsSync(main)) {
  console.error(`${main} is missing: build first (nx run api:build), or use npm run fault:api`);
  process.exit(2);
}

const durationMs = durationS * 1000;
// The API's JWKS timing, scaled to the run so each phase sees several refetches.
const cooldownMs = Math.round(Math.min(2_000, Math.max(300, durationMs / 30)));
const maxAgeMs = Math.max(1_000, 2 * cooldownMs);
const jwksTimeoutMs = 1_000;
/** How long after the retirement of a key the API may still accept its cached tokens: two refetch windows. */
const retireGraceMs = 2 * Math.min(cooldownMs, maxAgeMs) + 1_000;
const audience = 'https://api.sample.local';
const PROTECTED = '/api/messages/protected';
/** A request the API has not answered by then counts as unanswered. */
const ANSWER_WITHIN_MS = 10_000;

// Bounded in time whatever happens: the run stops itself.
const hardStop = setTimeout(
  () => {
    console.error(`fault run: still running ${durationS + 60} s after the start; stopping`);
    process.exit(3);
  },
  (durationS + 60) * 1000,
);
hardStop.unref();

/** The run clock, in ms: zero when the traffic starts. */
let startedAt = performance.now();
const now = () => performance.now() - startedAt;

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

async function freePort() {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// --- The local issuer: keys, JWKS modes, and the record of what the API was served ---------------------------

async function makeKey(kid) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

const keys = { a: await makeKey('key-a'), b: await makeKey('key-b'), c: await makeKey('key-c') };
const issuer = {
  /** Keys in the JWKS. */
  published: [keys.a],
  /** The key new tokens are signed with. */
  signing: keys.a,
  /** up | http503 | reset | hang */
  mode: 'up',
  /** Kids published while the JWKS was down: the only keys whose refusal the outage explains. */
  publishedDuringOutage: new Set(),
  /** kid -> performance.now() of the first successful JWKS answer that carried it. */
  firstServed: new Map([]),
  fetches: { total: 0, served: 0, failed: 0 },
  held: new Set(),
};

let issuerUrl = '';
const issuerServer = createServer((request, response) => {
  if (request.url === '/.well-known/openid-configuration') {
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ issuer: issuerUrl, jwks_uri: `${issuerUrl}.well-known/jwks.json` }));
    return;
  }
  if (request.url !== '/.well-known/jwks.json') {
    response.statusCode = 404;
    response.end();
    return;
  }
  issuer.fetches.total += 1;
  switch (issuer.mode) {
    case 'http503':
      issuer.fetches.failed += 1;
      response.statusCode = 503;
      response.end('unavailable');
      return;
    case 'reset':
      issuer.fetches.failed += 1;
      request.socket.destroy();
      return;
    case 'hang':
      // No answer: the API's deadline (AUTH_JWKS_TIMEOUT_MS) ends it; the socket is dropped when the mode changes.
      issuer.fetches.failed += 1;
      issuer.held.add(response);
      return;
    default: {
      const kids = issuer.published.map((key) => key.kid);
      response.on('finish', () => {
        issuer.fetches.served += 1;
        const at = performance.now();
        for (const kid of kids) if (!issuer.firstServed.has(kid)) issuer.firstServed.set(kid, at);
      });
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ keys: issuer.published.map((key) => key.jwk) }));
    }
  }
});
issuerUrl = `http://127.0.0.1:${await listen(issuerServer)}/`;

function setMode(mode) {
  issuer.mode = mode;
  if (mode !== 'hang') {
    for (const response of issuer.held) response.socket?.destroy();
    issuer.held.clear();
  }
}

function publish(key) {
  issuer.published = [...issuer.published, key];
  if (issuer.mode !== 'up') issuer.publishedDuringOutage.add(key.kid);
}

// --- The API -----------------------------------------------------------------------------------------------------

const apiPort = await freePort();
if ([3000, 4000, 4200].includes(apiPort)) throw new Error(`got port ${apiPort}, which the dev servers use`);
// --trace-gc: each full GC prints the live heap, which tells a leak from V8 keeping the memory it grew into.
const api = spawn(process.execPath, ['--trace-gc', main], {
  env: {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORT: String(apiPort),
    AUTH_ISSUER_URL: issuerUrl,
    AUTH_AUDIENCE: audience,
    AUTH_JWKS_COOLDOWN_MS: String(cooldownMs),
    AUTH_JWKS_MAX_AGE_MS: String(maxAgeMs),
    AUTH_JWKS_TIMEOUT_MS: String(jwksTimeoutMs),
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
// The API's JSON log lines (warn and above): counted by level, the last error ones kept for the report.
const apiLog = { warn: 0, error: 0, lastErrors: [] };
/** Live heap (MB) after each full GC (V8's Mark-Compact), with the run clock. */
const fullGcs = [];
const FULL_GC = /Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/;
let pending = '';
api.stdout.setEncoding('utf8');
api.stdout.on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const gc = FULL_GC.exec(line);
    if (gc !== null) {
      fullGcs.push({ at: performance.now(), liveMb: Number(gc[1]), heapMb: Number(gc[2]) });
      continue;
    }
    try {
      const { level, msg, req, res } = JSON.parse(line);
      if (level >= 50) {
        apiLog.error += 1;
        const where = req === undefined ? '' : ` (${req.path} ${res?.statusCode})`;
        apiLog.lastErrors = [...apiLog.lastErrors, `${msg}${where}`].slice(-3);
      } else if (level >= 40) apiLog.warn += 1;
    } catch {
      // not a log line
    }
  }
});
const stopApi = () => {
  if (api.exitCode === null) api.kill('SIGTERM');
};
process.on('exit', stopApi);

const base = `http://127.0.0.1:${apiPort}`;
for (let attempt = 0; ; attempt += 1) {
  try {
    if ((await fetch(`${base}/health/ready`)).ok) break;
  } catch {
    // not listening yet
  }
  if (attempt > 150 || api.exitCode !== null) throw new Error('the API did not start');
  await new Promise((resolve) => setTimeout(resolve, 100));
}

/** CPU time (user + system, s) the API process used so far, from /proc (Linux). */
function apiCpuS() {
  try {
    const fields = readFileSync(`/proc/${api.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The API's resident set size in MB, from /proc (Linux). */
function apiRssMb(field = 'VmRSS') {
  try {
    const line = readFileSync(`/proc/${api.pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`));
    return Number(line.split(/\s+/)[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

// --- Tokens ------------------------------------------------------------------------------------------------------

const nowS = () => Math.floor(Date.now() / 1000);
const sign = (key, claims = {}, iat = nowS(), exp = iat + 3600) =>
  new SignJWT({ scope: 'read:messages', permissions: ['read:messages'], azp: 'fault-run', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' })
    .setIssuer(issuerUrl)
    .setAudience(audience)
    .setSubject(`auth0|fault-${randomUUID()}`)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Per signing key: reused valid tokens (the verified-token cache answers) and expired ones. */
const pools = new Map();
async function poolFor(key) {
  if (!pools.has(key.kid)) {
    const valid = await Promise.all(Array.from({ length: 20 }, () => sign(key)));
    const expired = await Promise.all(
      Array.from({ length: 10 }, () => sign(key, {}, nowS() - 3600, nowS() - 600)),
    );
    pools.set(key.kid, { valid, expired });
  }
  return pools.get(key.kid);
}
await Promise.all(Object.values(keys).map(poolFor));
/** Tokens of key A reused all along: valid until the issuer retires A, refused once the API has refetched. */
const oldKeyTokens = await Promise.all(Array.from({ length: 10 }, () => sign(keys.a)));
const pick = (list) => list[Math.floor(Math.random() * list.length)];

/** A category of request, its share of the traffic, and how to make its token. */
const CATEGORIES = [
  {
    name: 'valid (reused token)',
    weight: 35,
    valid: true,
    token: async (key) => pick((await poolFor(key)).valid),
  },
  { name: 'valid (new token)', weight: 15, valid: true, token: (key) => sign(key) },
  { name: 'expired', weight: 10, token: async (key) => pick((await poolFor(key)).expired) },
  {
    name: 'forged signature',
    weight: 10,
    token: async (key) => {
      const [header, payload] = pick((await poolFor(key)).valid).split('.');
      return `${header}.${payload}.${randomBytes(256).toString('base64url')}`;
    },
  },
  {
    name: 'random kid',
    weight: 15,
    token: () =>
      `${b64({ alg: 'RS256', kid: `random-${randomUUID()}`, typ: 'at+jwt' })}.${b64({ iss: issuerUrl, aud: audience, sub: 'x', iat: nowS(), exp: nowS() + 600 })}.${randomBytes(256).toString('base64url')}`,
  },
  { name: 'retired key (key-a)', weight: 15, oldKey: true, token: () => pick(oldKeyTokens) },
];
const totalWeight = CATEGORIES.reduce((sum, c) => sum + c.weight, 0);
function category() {
  let roll = Math.random() * totalWeight;
  for (const c of CATEGORIES) {
    roll -= c.weight;
    if (roll < 0) return c;
  }
  return CATEGORIES[0];
}

// --- The timeline ------------------------------------------------------------------------------------------------

const timeline = [];
let retiredAt = Number.POSITIVE_INFINITY;
const at = (fraction, what, action) => ({ ms: Math.round(fraction * durationMs), what, action });
const events = [
  at(0.15, 'JWKS down: HTTP 503', () => setMode('http503')),
  at(0.25, 'JWKS down: connections reset', () => setMode('reset')),
  at(0.3, 'issuer rotates while its JWKS is down: publishes key-b and signs with it', () => {
    publish(keys.b);
    issuer.signing = keys.b;
  }),
  at(0.35, `JWKS down: no answer (the API gives up after ${jwksTimeoutMs} ms)`, () => setMode('hang')),
  at(0.45, 'JWKS back up (key-a, key-b)', () => setMode('up')),
  at(0.65, 'issuer publishes key-c ahead of use', () => publish(keys.c)),
  at(0.75, 'issuer signs with key-c', () => {
    issuer.signing = keys.c;
  }),
  at(0.82, 'issuer retires key-a (JWKS: key-b, key-c)', () => {
    issuer.published = issuer.published.filter((key) => key.kid !== 'key-a');
    retiredAt = now();
  }),
];

// --- Traffic -----------------------------------------------------------------------------------------------------

/** `${category}\t${expected}\t${actual}\t${reason}` -> count */
const tally = new Map();
const count = (key) => tally.set(key, (tally.get(key) ?? 0) + 1);
const totals = {
  requests: 0,
  server5xx: 0,
  noAnswer: 0,
  firstNoAnswer: undefined,
  validRefused: 0,
  explained: 0,
  unexplained: [],
};
const oldKey = {
  acceptedBeforeRetire: 0,
  withinGrace: { accepted: 0, refused: 0 },
  afterGrace: { accepted: 0, refused: 0 },
};

/** What the request should get, knowing when it was sent and when its answer came. */
function expectedFor(c, sentAt, answeredAt) {
  if (c.oldKey) {
    if (answeredAt < retiredAt) return '200';
    return sentAt < retiredAt + retireGraceMs ? '200 or 401' : '401';
  }
  return c.valid ? '200' : '401';
}

async function send(c) {
  const key = issuer.signing;
  const token = await c.token(key);
  const sentAbs = performance.now();
  const sentAt = sentAbs - startedAt;
  let actual = 'no answer';
  let reason = '';
  try {
    const response = await fetch(`${base}${PROTECTED}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    actual = String(response.status);
    const body = await response.text();
    if (response.status !== 200) {
      try {
        reason = JSON.parse(body).reason ?? '';
      } catch {
        reason = '(no problem body)';
      }
    }
  } catch (error) {
    totals.noAnswer += 1;
    totals.firstNoAnswer ??= `${error.name}: ${error.message}${error.cause ? ` (${error.cause.code ?? error.cause.message})` : ''}`;
  }
  const expected = expectedFor(c, sentAt, now());
  totals.requests += 1;
  if (actual.startsWith('5')) totals.server5xx += 1;
  count(`${c.name}\t${expected}\t${actual}\t${reason}`);

  if (c.valid && actual !== '200') {
    totals.validRefused += 1;
    // The outage explains only this: a key published while the JWKS was down, not yet served to the API.
    const served = issuer.firstServed.get(key.kid);
    const explained =
      actual === '401' &&
      reason === 'unknown_signing_key' &&
      issuer.publishedDuringOutage.has(key.kid) &&
      (served === undefined || served > sentAbs);
    if (explained) totals.explained += 1;
    else
      totals.unexplained.push(
        `${c.name} at ${(sentAt / 1000).toFixed(1)} s: ${actual} ${reason} (${key.kid})`,
      );
  }
  if (c.oldKey) {
    const accepted = actual === '200';
    if (expected === '200') oldKey.acceptedBeforeRetire += accepted ? 1 : 0;
    else if (expected === '401') oldKey.afterGrace[accepted ? 'accepted' : 'refused'] += 1;
    else oldKey.withinGrace[accepted ? 'accepted' : 'refused'] += 1;
    if (expected === '200' && !accepted)
      totals.unexplained.push(`retired key before retirement: ${actual} ${reason}`);
  }
}

async function worker(stopAt) {
  while (now() < stopAt) await send(category());
}

/** Readiness probes once a second, as an orchestrator would send them; reported, not part of the invariants. */
const probes = new Map();
async function prober(stopAt) {
  while (now() < stopAt) {
    const mode = issuer.mode;
    let status = 'no answer';
    try {
      status = String((await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(5_000) })).status);
    } catch {
      // counted as no answer
    }
    const key = `JWKS ${mode === 'up' ? 'up' : 'down'}: ${status}`;
    probes.set(key, (probes.get(key) ?? 0) + 1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

const loadBefore = loadavg()[0].toFixed(1);
const rssStart = apiRssMb();
const cpuStart = { api: apiCpuS(), self: process.cpuUsage() };
const fetchesAtStart = issuer.fetches.total;
startedAt = performance.now();
timeline.push({ ms: 0, what: 'traffic starts; JWKS up (key-a), issuer signs with key-a' });
const timers = events.map((event) =>
  setTimeout(() => {
    event.action();
    timeline.push({ ms: Math.round(now()), what: event.what });
  }, event.ms),
);
/** RSS at each tenth of the run: a leak climbs to the end, V8 growing its heap levels off. */
const rssSamples = [];
const sampler = setInterval(() => rssSamples.push(apiRssMb()), durationMs / 10);
await Promise.all([...Array.from({ length: connections }, () => worker(durationMs)), prober(durationMs)]);
clearInterval(sampler);
const elapsedMs = now();
timers.forEach(clearTimeout);
const rssEnd = apiRssMb();
const selfCpu = process.cpuUsage(cpuStart.self);
const cpu = { api: apiCpuS() - cpuStart.api, self: (selfCpu.user + selfCpu.system) / 1e6 };
const rssPeak = apiRssMb('VmHWM');

// --- Report ------------------------------------------------------------------------------------------------------

const mb = (value) => (Number.isFinite(value) ? `${value.toFixed(1)} MB` : 'n/a (no /proc)');
console.log(
  `\nFault-and-load run: ${durationS} s${short ? ' (--short)' : ''}, ${connections} concurrent requests, Node ${process.version}, load average before: ${loadBefore}`,
);
console.log(
  `API: dist/apps/api/main.js, NODE_ENV=production, AUTH_JWKS_COOLDOWN_MS=${cooldownMs}, AUTH_JWKS_MAX_AGE_MS=${maxAgeMs}, AUTH_JWKS_TIMEOUT_MS=${jwksTimeoutMs}`,
);
console.log('\nTimeline:');
for (const { ms, what } of timeline) console.log(`  ${(ms / 1000).toFixed(1).padStart(5)} s  ${what}`);

console.log('\nRequests by category, expected and actual status:');
const rows = [...tally.entries()]
  .map(([key, n]) => {
    const [name, expected, actual, reason] = key.split('\t');
    return { category: name, expected, actual, reason, requests: n };
  })
  .sort(
    (x, y) =>
      CATEGORIES.findIndex((c) => c.name === x.category) -
        CATEGORIES.findIndex((c) => c.name === y.category) ||
      x.expected.localeCompare(y.expected) ||
      y.requests - x.requests,
  );
console.table(rows);

const fetchesDuringRun = issuer.fetches.total - fetchesAtStart;
const invariants = [
  { name: '5xx or unanswered requests', value: totals.server5xx + totals.noAnswer },
  { name: 'valid requests refused outside what the outage explains', value: totals.unexplained.length },
  { name: 'retired-key tokens accepted after the refetch window', value: oldKey.afterGrace.accepted },
];
console.log(
  `Requests: ${totals.requests} in ${(elapsedMs / 1000).toFixed(1)} s (${Math.round((1000 * totals.requests) / elapsedMs)}/s); 5xx: ${totals.server5xx}; no answer: ${totals.noAnswer}${totals.firstNoAnswer ? ` (first: ${totals.firstNoAnswer})` : ''}`,
);
console.log(
  `Valid requests refused: ${totals.validRefused}, explained by the outage: ${totals.explained} (key-b, published while the JWKS was down, before the API could fetch it), unexplained: ${totals.unexplained.length}`,
);
for (const line of totals.unexplained.slice(0, 10)) console.log(`  unexplained: ${line}`);
console.log(
  `Retired key (key-a, retired at ${(retiredAt / 1000).toFixed(1)} s): accepted before retirement ${oldKey.acceptedBeforeRetire}; within ${retireGraceMs} ms after: ${oldKey.withinGrace.accepted} accepted, ${oldKey.withinGrace.refused} refused; later: ${oldKey.afterGrace.accepted} accepted, ${oldKey.afterGrace.refused} refused`,
);
console.log(
  `JWKS requests: ${issuer.fetches.total} in all, ${fetchesDuringRun} during the run (${issuer.fetches.served} answered with keys, ${issuer.fetches.failed} failed on purpose)`,
);
console.log(
  `Readiness probes: ${[...probes.entries()].map(([key, n]) => `${key} x${n}`).join(', ') || 'none'}`,
);
console.log(
  `API log: ${apiLog.warn} warning line(s), ${apiLog.error} error line(s)${apiLog.lastErrors.length > 0 ? `; last: ${apiLog.lastErrors.join(' | ')}` : ''}`,
);
console.log(`API RSS: start ${mb(rssStart)}, end ${mb(rssEnd)} (peak ${mb(rssPeak)})`);
console.log(
  `API RSS at each tenth of the run (MB): ${rssSamples.map((value) => value.toFixed(0)).join(', ')}`,
);
const gcsInRun = fullGcs.filter((gc) => gc.at >= startedAt);
const beforeRun = fullGcs.filter((gc) => gc.at < startedAt).at(-1);
const gcMb = (gc) =>
  gc === undefined ? 'n/a' : `${gc.liveMb.toFixed(1)} MB live of ${gc.heapMb.toFixed(1)} MB heap`;
console.log(
  `API heap after a full GC: before the traffic ${gcMb(beforeRun)}; during the run ${gcsInRun.length} full GC(s), the last at ${gcsInRun.length > 0 ? `${((gcsInRun.at(-1).at - startedAt) / 1000).toFixed(1)} s: ${gcMb(gcsInRun.at(-1))}` : 'n/a'} (RSS above the live heap is memory V8 keeps after growing into it)`,
);
console.log(
  `CPU time during the run: API ${cpu.api.toFixed(1)} s, this load generator ${cpu.self.toFixed(1)} s (of ${(elapsedMs / 1000).toFixed(1)} s wall clock; other processes share the machine)`,
);
console.log('\nInvariants:');
for (const { name, value } of invariants) console.log(`  ${value === 0 ? 'ok  ' : 'FAIL'} ${name}: ${value}`);

stopApi();
setMode('up');
issuerServer.closeAllConnections();
issuerServer.close();
process.exitCode = invariants.every(({ value }) => value === 0) ? 0 : 1;
