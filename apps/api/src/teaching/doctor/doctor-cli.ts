import { ConfigError, LOCAL_TENANT } from '@sample/contract';
import { parseCliArgs } from '@sample/teaching/cli';
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { parseApiSettings } from '../../config/api-settings';
import {
  liveNetwork,
  runDoctorChecks,
  type CheckResult,
  type DoctorNetwork,
  type SpaSource,
} from './doctor-checks';

/** Where the doctor writes and what it may reach; the process's own by default. */
export interface DoctorIo {
  readonly out: (line: string) => void;
  readonly network: (timeoutMs: number) => DoctorNetwork;
  readonly readFile: (path: string) => string;
  readonly exists: (path: string) => boolean;
}

/** What `nx serve api` (npm start) loads: the doctor checks it when nothing else is given. */
export const DEV_ENV_FILE = 'apps/api/.env.serve';
/** The SPA's dev config.json, served by `nx serve web`. */
export const DEV_SPA_CONFIG = 'apps/web/public/config.json';

const USAGE = `Usage: npm run doctor -- [options]
Checks the API's configuration against the live issuer, and the SPA's config.json against the API (its routes
come from the running API's OpenAPI document, GET <apiUrl>/api/docs-json).

  --env-file FILE      read the API's variables from FILE (the environment wins, as with node --env-file);
                       default: the environment, or ${DEV_ENV_FILE} when AUTH_ISSUER_URL is not set
  --spa-config PATH    the SPA's config.json: a file, or a URL such as http://localhost:4200/config.json;
                       default: ${DEV_SPA_CONFIG} when it exists
  --web-origin ORIGIN  the SPA's origin (default: the --spa-config URL's origin, else ${LOCAL_TENANT.webOrigin})
  --no-spa             check the API's configuration only
  -h, --help           this text

Exit code: 0 when nothing failed (warnings allowed), 1 when a check failed, 2 for bad arguments or settings.`;

const MARK: Record<CheckResult['status'], string> = { pass: '✓', warn: '!', fail: '✗', skip: '-' };

/** The report as printed: one line per check, its fix indented below it, and a summary. */
export function formatReport(results: readonly CheckResult[]): string[] {
  const lines = results.flatMap((result) => [
    `  ${MARK[result.status]} ${result.title}: ${result.detail}`,
    ...(result.fix && result.status !== 'pass' ? [`      fix: ${result.fix}`] : []),
  ]);
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  lines.push(
    '',
    `${count('pass')} passed, ${count('fail')} failed, ${count('warn')} warning(s)` +
      (count('skip') > 0 ? `, ${count('skip')} skipped` : ''),
  );
  return lines;
}

async function loadSpa(
  location: string,
  webOrigin: string | undefined,
  io: DoctorIo,
  network: DoctorNetwork,
): Promise<SpaSource | string> {
  if (/^https?:\/\//i.test(location)) {
    try {
      const response = await network.fetch(location, { signal: AbortSignal.timeout(network.timeoutMs) });
      if (!response.ok) return `--spa-config ${location}: HTTP ${response.status}`;
      return {
        json: await response.json(),
        name: location,
        webOrigin: webOrigin ?? new URL(location).origin,
      };
    } catch (error) {
      return `--spa-config ${location}: ${(error as { name?: unknown }).name === 'SyntaxError' ? 'not JSON' : 'unreachable'}`;
    }
  }
  if (!io.exists(location)) return `--spa-config ${location}: no such file`;
  try {
    return {
      json: JSON.parse(io.readFile(location)),
      name: location,
      webOrigin: webOrigin ?? LOCAL_TENANT.webOrigin,
    };
  } catch {
    return `--spa-config ${location}: not JSON`;
  }
}

/**
 * The config doctor: `npm run doctor` / `npx nx run api:doctor`. Prints every check with ✓/✗ and the fix.
 * @returns the exit code.
 */
export async function runDoctorCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: DoctorIo,
): Promise<number> {
  // The doctor prints everything, bad arguments too, to its one stream.
  const args = parseCliArgs(
    argv,
    {
      'env-file': { type: 'string' },
      'spa-config': { type: 'string' },
      'web-origin': { type: 'string' },
      'no-spa': { type: 'boolean', default: false },
    },
    USAGE,
    { out: io.out, err: io.out },
  );
  if (typeof args === 'number') return args;

  const envFile = args['env-file'] ?? (env['AUTH_ISSUER_URL'] === undefined ? DEV_ENV_FILE : undefined);
  let apiEnv = env;
  if (envFile !== undefined) {
    if (!io.exists(envFile)) {
      io.out(`--env-file ${envFile}: no such file. Pass the file with the API's variables, or set them.`);
      return 2;
    }
    apiEnv = { ...parseEnv(io.readFile(envFile)), ...env };
  }
  let settings;
  try {
    settings = parseApiSettings(apiEnv).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.out(error.message);
    return 2;
  }
  const network = io.network(settings.jwksTimeoutMs);

  // The dev config.json is checked when it is there (a clone); elsewhere (the API's image) only when asked.
  const spaLocation = args['no-spa']
    ? undefined
    : (args['spa-config'] ?? (io.exists(DEV_SPA_CONFIG) ? DEV_SPA_CONFIG : undefined));
  const spa =
    spaLocation === undefined ? undefined : await loadSpa(spaLocation, args['web-origin'], io, network);
  if (typeof spa === 'string') {
    io.out(spa);
    return 2;
  }

  const spaNote = args['no-spa'] ? '--no-spa' : `no ${DEV_SPA_CONFIG} here; pass --spa-config`;
  io.out('Config doctor');
  io.out(`  API settings: ${envFile === undefined ? 'the environment' : `${envFile} and the environment`}`);
  io.out(`    AUTH_ISSUER_URL=${settings.issuerUrl} AUTH_AUDIENCE=${settings.audience}`);
  io.out(`    AUTH_JWKS_URI=${settings.jwksUri} CORS_ORIGINS=${settings.corsOrigins.join(',')}`);
  io.out(
    `  SPA config: ${spa === undefined ? `not checked (${spaNote})` : `${spa.name}, origin ${spa.webOrigin}`}`,
  );
  io.out('');
  const results = await runDoctorChecks(settings, spa, network);
  for (const line of formatReport(results)) io.out(line);
  return results.some((result) => result.status === 'fail') ? 1 : 0;
}

/** The process's own IO: stdout, the real network, files relative to the working directory. */
export const processDoctorIo: DoctorIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  network: liveNetwork,
  readFile: (path) => readFileSync(path, 'utf8'),
  exists: (path) => existsSync(path),
};
