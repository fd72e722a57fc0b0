export { parseCliArgs, type CliOutput, type CliValues } from './lib/cli-args';
