// Starting, pinning, measuring and stopping the servers under test. Every server is a child process on an
// ephemeral 127.0.0.1 port, pinned to core 0 when the machine has two cores and `taskset` exists; the benchmark
// itself (load generator, issuer) moves to core 1. Children are stopped when the benchmark exits, however it exits.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const preload = fileURLToPath(new URL('./server-preload.mjs', import.meta.url));
const children = new Set();

function hasTaskset() {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether servers and load generator get a core each, and why not when they do not. */
export const pinning =
  process.platform !== 'linux'
    ? { on: false, why: 'not Linux' }
    : availableParallelism() < 2
      ? { on: false, why: 'one core' }
      : hasTaskset()
        ? { on: true, why: 'servers on core 0, load generator on core 1' }
        : { on: false, why: 'taskset not found' };

/** Moves this process (all its threads) to core 1; later worker threads inherit it. */
export function pinSelfToLoadCore() {
  if (pinning.on) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `node [nodeArgs] script` with `env` (plus PORT and PATH), waits until it answers HTTP on `readyPath`.
 * With `profile`, the server's CPU profiler can be started and stopped (see server-preload.mjs).
 * @returns { name, pid, url, cpuMs(), rssKb(), stdoutLines(), startProfile(), stopProfile(file), stop() }
 */
export async function startServer({
  name,
  script,
  env,
  nodeArgs = [],
  readyPath = '/',
  timeoutMs = 30_000,
  profile = false,
}) {
  const port = await freePort();
  const node = [process.execPath, '--import', preload, ...nodeArgs, script];
  const [command, ...args] = pinning.on ? ['taskset', '-c', '0', ...node] : node;
  // taskset execs node in place, so the child's pid is the server's.
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH, ...env, PORT: String(port), ...(profile && { BENCH_CPU_PROFILE: '1' }) },
    stdio: profile ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let lines = 0;
  child.stdout.on('data', (chunk) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text) => {
    stderr = (stderr + text).slice(-4000);
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited during start-up (${child.exitCode ?? child.signalCode}):\n${stderr}`);
    }
    try {
      await fetch(`${url}${readyPath}`, { signal: AbortSignal.timeout(1_000) });
      break;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`${name} did not answer on ${url} within ${timeoutMs} ms:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    name,
    pid: child.pid,
    url,
    alive: () => child.exitCode === null && child.signalCode === null,
    stderr: () => stderr,
    /** User + system CPU time of the server process so far, in ms (from /proc/<pid>/stat). */
    cpuMs() {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
    },
    /** Resident set size now, in kB (from /proc/<pid>/status). */
    rssKb() {
      const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return match === null ? Number.NaN : Number(match[1]);
    },
    stdoutLines: () => lines,
    startProfile: () => ask(child, { profile: 'start' }),
    stopProfile: (file) => ask(child, { profile: 'stop', file }),
    stop: () => stopChild(child),
  };
}

/** Sends a message to a profiled server and waits for its answer. */
function ask(child, message, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(message)}`)), timeoutMs);
    child.once('message', (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
    child.send(message);
  });
}

function stopChild(child, graceMs = 3_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops every server still running (SIGTERM, then SIGKILL after a grace period). */
export function stopAllServers() {
  return Promise.all([...children].map((child) => stopChild(child)));
}

// Last resort on any exit path: no server outlives the benchmark.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    void stopAllServers().finally(() => process.exit(130));
  });
}
