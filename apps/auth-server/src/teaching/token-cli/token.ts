// Entry point of the token CLI (`npm run token`), built as dist/apps/auth-server/token.mjs.
import { runTokenCli } from './token-cli';

process.exitCode = await runTokenCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
