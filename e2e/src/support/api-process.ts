import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

// The built API; the e2e target builds it first.
const apiMain = join(__dirname, '../../../dist/apps/api/main.js');
// Lines of the API's output kept for the error message when it does not start.
const KEPT_LINES = 40;

/** An API process started by a test, on a port of its own. */
export interface ApiProcess {
  /** Its base URL (also its API_PUBLIC_URL), e.g. `http://localhost:41234`. */
  readonly url: string;
  readonly pid: number;
  /** Stops it by PID (SIGTERM, SIGKILL after 5 s) and waits until it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts the built API (`node dist/apps/api/main.js`) with `env` and nothing else from this process's environment
 * but PATH, on a free port, and waits until `/health/ready` answers 200 (the JWKS answers and the issuer matches).
 * Throws with the API's last output if it exits first or is not ready within `readyWithinMs`, having stopped it.
 *
 * @example const api = await startApiProcess({ AUTH_ISSUER_URL: issuer, AUTH_AUDIENCE: audience }); await api.stop();
 */
export async function startApiProcess(
  env: Record<string, string>,
  readyWithinMs = 30_000,
): Promise<ApiProcess> {
  if (!existsSync(apiMain)) throw new Error(`${apiMain} is missing: run npx nx run api:build`);
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, [apiMain], {
    env: { PATH: process.env['PATH'] ?? '', PORT: String(port), API_PUBLIC_URL: url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { pid } = child;
  if (pid === undefined) throw new Error(`could not start ${apiMain}`);

  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    output.splice(0, output.length - KEPT_LINES);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`)),
  );
  const lastOutput = () => output.join('\n') || '(no output)';

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(pid, 'SIGTERM');
    const done = await Promise.race([exited.then(() => true), delay(5_000, false)]);
    if (!done) {
      process.kill(pid, 'SIGKILL');
      await exited;
    }
  };

  const deadline = Date.now() + readyWithinMs;
  let lastAnswer = 'no answer';
  for (;;) {
    try {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return { url, pid, stop };
      lastAnswer = `${response.status} ${await response.text()}`;
    } catch (error) {
      lastAnswer = String((error as { cause?: unknown }).cause ?? error);
    }
    // An exit ends the wait at once; otherwise the next probe comes after 100 ms.
    const exit = await Promise.race([exited, delay(100, undefined)]);
    if (exit !== undefined)
      throw new Error(`the API on ${url} exited (${exit}) before it was ready:\n${lastOutput()}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `the API on ${url} was not ready within ${readyWithinMs} ms (last /health/ready: ${lastAnswer}):\n${lastOutput()}`,
      );
    }
  }
}

/** A port the system just handed out as free (a moment later another process may take it; start-up then fails). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port from the system');
  return address.port;
}
