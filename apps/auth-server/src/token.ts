import { runTokenCli } from './token-cli/token-cli';

process.exitCode = await runTokenCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
