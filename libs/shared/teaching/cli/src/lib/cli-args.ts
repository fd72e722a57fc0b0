import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** Where a CLI prints: `out` for what was asked for (the usage, with --help), `err` for what went wrong. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** The option every CLI answers: `-h` or `--help` prints the usage. */
const HELP = { help: { type: 'boolean', short: 'h', default: false } } as const;

/** The values node:util's parseArgs gives for `options` plus `help`, strict (only the options declared). */
export type CliValues<T extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T & typeof HELP; strict: true }>
>['values'];

/**
 * Parses a CLI's arguments strictly (node:util parseArgs: an unknown option, a missing value or a positional
 * argument is an error) and answers `-h`/`--help`. A bad argument prints parseArgs's message, which names the
 * option or the value, then the usage, to `err`; `--help` prints the usage to `out`.
 * @param argv the arguments after the program's name (`process.argv.slice(2)`).
 * @param options the CLI's options, without `help` (added here).
 * @param usage the CLI's usage text.
 * @returns the option values, or the exit code when the CLI is done: 0 after `--help`, 2 for a bad argument.
 * @example
 * const args = parseCliArgs(argv, { user: { type: 'string' } }, USAGE, io);
 * if (typeof args === 'number') return args;
 */
export function parseCliArgs<T extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: T,
  usage: string,
  output: CliOutput,
): CliValues<T> | 0 | 2 {
  let values: CliValues<T>;
  try {
    values = parseArgs({ args: [...argv], options: { ...options, ...HELP }, strict: true })
      .values as CliValues<T>;
  } catch (error) {
    output.err(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if ((values as { help: boolean }).help) {
    output.out(usage);
    return 0;
  }
  return values;
}
