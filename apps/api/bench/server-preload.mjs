// Loaded with `node --import` into every server the benchmark starts (the API's build output included, unchanged):
// a listen() without a host binds 127.0.0.1 instead of every interface, and the server exits when the benchmark
// that started it is gone (so a killed benchmark leaves no server behind).
import { Server } from 'node:net';

const LOOPBACK = '127.0.0.1';
const listen = Server.prototype.listen;
Server.prototype.listen = function listenOnLoopback(...args) {
  const port = typeof args[0] === 'string' && /^\d+$/.test(args[0]) ? Number(args[0]) : args[0];
  if (typeof port === 'number' && typeof args[1] !== 'string') args.splice(1, 0, LOOPBACK);
  else if (
    typeof args[0] === 'object' &&
    args[0] !== null &&
    args[0].port !== undefined &&
    args[0].host === undefined
  )
    args[0] = { ...args[0], host: LOOPBACK };
  return listen.apply(this, args);
};

const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500).unref();

// With BENCH_CPU_PROFILE=1 (bench.mjs --profile), the benchmark starts and stops V8's sampling profiler over
// the IPC channel, so the profile covers the measured window only (no start-up, no warm-up).
if (process.env.BENCH_CPU_PROFILE === '1' && typeof process.send === 'function') {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  process.on('message', async (message) => {
    if (message?.profile === 'start') {
      await session.post('Profiler.start');
      process.send({ profile: 'started' });
    } else if (message?.profile === 'stop') {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(message.file, JSON.stringify(profile));
      process.send({ profile: 'written' });
    }
  });
  process.channel?.unref();
}
