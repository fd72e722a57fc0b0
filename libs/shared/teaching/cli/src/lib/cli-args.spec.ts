import { parseCliArgs, type CliOutput } from './cli-args';

const USAGE = 'Usage: probe --name NAME [--loud]';
const OPTIONS = {
  name: { type: 'string' },
  loud: { type: 'boolean', default: false },
} as const;

describe('parseCliArgs', () => {
  let out: string[];
  let err: string[];
  let output: CliOutput;

  beforeEach(() => {
    out = [];
    err = [];
    output = { out: (text) => out.push(text), err: (text) => err.push(text) };
  });

  it('returns the values, with the defaults, and prints nothing', () => {
    const values = parseCliArgs(['--name', 'reader'], OPTIONS, USAGE, output);
    expect(values).toEqual({ name: 'reader', loud: false, help: false });
    expect([...out, ...err]).toEqual([]);
  });

  it.each([['--help'], ['-h']])('prints the usage to out for %s and exits 0', (flag) => {
    expect(parseCliArgs(['--name', 'reader', flag], OPTIONS, USAGE, output)).toBe(0);
    expect(out).toEqual([USAGE]);
    expect(err).toEqual([]);
  });

  it.each([
    [['--nme', 'reader'], "Unknown option '--nme'"],
    [['--name'], "Option '--name <value>' argument missing"],
    [['reader'], "Unexpected argument 'reader'"],
    [['--loud=yes'], "Option '--loud' does not take an argument"],
  ])('for %j prints what is wrong, naming it, then the usage, to err and exits 2', (argv, message) => {
    expect(parseCliArgs(argv, OPTIONS, USAGE, output)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toContain(message);
    expect(err[0].endsWith(`\n\n${USAGE}`)).toBe(true);
    expect(out).toEqual([]);
  });
});
