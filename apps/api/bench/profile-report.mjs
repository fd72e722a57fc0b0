// Reads the V8 CPU profiles that `bench.mjs --profile` writes and says where each server's time per request goes.
// Each sample is charged to the nearest frame that belongs to a package or to the app (walking up from the leaf),
// so Node's own work (setHeader, parsing) counts for the middleware that asked for it, and an Express `next()`
// does not charge the rest of the chain to the middleware that called it. The socket write system call is shown
// apart: its cost per request grows as req/s falls (fewer responses share a wake-up of the load generator).
// Shares come from sample counts (V8's time deltas are wall-clock, inflated when other processes take the core)
// and are scaled to the server's CPU µs/request measured from /proc in the same window.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const SPECIAL = {
  '(garbage collector)': 'GC',
  '(program)': 'V8 / native (program)',
  '(root)': 'V8 / native (program)',
};

/** The package (or app) a script URL belongs to; null for Node's own code and native frames. */
function ownerOf(url) {
  const inModules = url.lastIndexOf('/node_modules/');
  if (inModules !== -1) {
    const [scope, name] = url.slice(inModules + '/node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  if (url.includes('/dist/apps/api/')) return 'this API (app code)';
  if (url.includes('/bench/baselines/')) return 'baseline (app code)';
  return null;
}

/**
 * Summarises one profile.
 * @param file path of a .cpuprofile
 * @param requests requests answered during the profiled window
 * @returns per-request µs: total (busy), by owner, and by function (top entries)
 */
export function summarise(file, requests, cpuUsPerRequest) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const chargeCache = new Map();
  /** Where a sample on `id` is charged: the owner and function of its nearest package/app frame. */
  function charge(id) {
    const cached = chargeCache.get(id);
    if (cached !== undefined) return cached;
    const leaf = nodes.get(id).callFrame;
    let result =
      SPECIAL[leaf.functionName] === undefined ? null : { owner: SPECIAL[leaf.functionName], fn: '' };
    if (
      leaf.functionName === 'writev' ||
      leaf.functionName === 'writeUtf8String' ||
      leaf.functionName === 'writeBuffer'
    ) {
      result = { owner: 'socket write (system call)', fn: leaf.functionName };
    }
    for (let at = id; result === null && at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at).callFrame;
      const owner = ownerOf(frame.url);
      if (owner !== null) {
        result = {
          owner,
          fn: `${frame.functionName || '(anonymous)'} ${basename(frame.url)}:${frame.lineNumber + 1}`,
        };
      }
    }
    result ??= {
      owner: 'node (http, net, streams)',
      fn: `${leaf.functionName || '(anonymous)'} ${leaf.url}`,
    };
    chargeCache.set(id, result);
    return result;
  }

  /** Samples taken inside the profiler's own start/stop calls are not the server's work. */
  const profilerCache = new Map();
  function inProfiler(id) {
    if (!profilerCache.has(id)) {
      let found = false;
      for (let at = id; !found && at !== undefined; at = parent.get(at))
        found = nodes.get(at).callFrame.url === 'node:inspector';
      profilerCache.set(id, found);
    }
    return profilerCache.get(id);
  }

  const byOwner = new Map();
  const byFunction = new Map();
  let busy = 0;
  for (const id of profile.samples) {
    if (nodes.get(id).callFrame.functionName === '(idle)' || inProfiler(id)) continue;
    busy += 1;
    const { owner, fn } = charge(id);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + 1);
    const key = `${owner} | ${fn}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + 1);
  }
  const perRequest = (map) =>
    [...map]
      .map(([name, samples]) => ({ name, us: (samples / busy) * cpuUsPerRequest }))
      .sort((a, b) => b.us - a.us);
  return {
    busyUs: cpuUsPerRequest,
    samples: busy,
    requests,
    owners: perRequest(byOwner),
    functions: perRequest(byFunction),
  };
}

/** Prints the owners of every profiled variant side by side, then the top functions of each. */
export function printProfiles(entries, topFunctions = 15) {
  const owners = [...new Set(entries.flatMap((e) => e.summary.owners.map((o) => o.name)))];
  const usOf = (entry, owner) => entry.summary.owners.find((o) => o.name === owner)?.us ?? 0;
  owners.sort(
    (a, b) => Math.max(...entries.map((e) => usOf(e, b))) - Math.max(...entries.map((e) => usOf(e, a))),
  );
  console.log(
    "\nWhere the CPU time goes: each server's CPU µs/request (from /proc) split by the share of its main-thread samples\n" +
      'charged to the nearest package or app frame:\n',
  );
  console.log(`| charged to | ${entries.map((e) => e.id).join(' | ')} |`);
  console.log(`| --- | ${entries.map(() => '---:').join(' | ')} |`);
  console.log(
    `| **server CPU µs/request** | ${entries.map((e) => e.summary.busyUs.toFixed(0)).join(' | ')} |`,
  );
  console.log(
    `| (busy samples / requests) | ${entries.map((e) => `${e.summary.samples} / ${e.summary.requests}`).join(' | ')} |`,
  );
  for (const owner of owners) {
    if (Math.max(...entries.map((e) => usOf(e, owner))) < 1) continue;
    console.log(`| ${owner} | ${entries.map((e) => usOf(e, owner).toFixed(1)).join(' | ')} |`);
  }
  for (const entry of entries) {
    console.log(`\nTop functions, ${entry.id} (µs/request):`);
    for (const { name, us } of entry.summary.functions.slice(0, topFunctions)) {
      console.log(`  ${us.toFixed(1).padStart(6)}  ${name}`);
    }
  }
}
