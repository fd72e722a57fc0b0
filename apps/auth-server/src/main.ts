import { runCli } from './cli';

const result = await runCli(process.argv.slice(2), process.env);
if (typeof result === 'number') {
  process.exitCode = result;
} else {
  const stop = () => void result.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
