import { setTimeout as sleep } from 'node:timers/promises';
import {
  configChecks,
  issuerChecks,
  type CheckResult,
  type DoctorNetwork,
  type IssuerCheckSettings,
  type JwksSource,
} from './doctor-checks';

/** Where the startup checks report. */
export interface StartupLogger {
  log(message: string): void;
  warn(message: string): void;
}

/** How long the startup checks wait for an issuer that is still starting (npm start runs all apps at once). */
export interface StartupRetry {
  readonly attempts: number;
  readonly intervalMs: number;
}

const NETWORK_CHECKS = new Set(['discovery', 'jwks']);

/**
 * The config doctor's API-side checks, run once the API listens: problems are logged as warnings, never stop
 * the API (readiness at /health/ready goes red for the same causes). An unreachable issuer is retried first.
 * @param jwksSource The API passes its key provider, so the checks cost no JWKS fetch of their own.
 * @returns the final results.
 */
export async function runStartupChecks(
  settings: IssuerCheckSettings,
  logger: StartupLogger,
  network: DoctorNetwork,
  {
    retry = { attempts: 15, intervalMs: 2_000 },
    jwksSource,
  }: { retry?: StartupRetry; jwksSource?: JwksSource } = {},
): Promise<CheckResult[]> {
  let results: CheckResult[] = [];
  for (let attempt = 1; attempt <= retry.attempts; attempt += 1) {
    results = [...configChecks(settings), ...(await issuerChecks(settings, network, jwksSource))];
    const unreachable = results.some((r) => NETWORK_CHECKS.has(r.id) && r.status === 'fail');
    if (!unreachable || attempt === retry.attempts) break;
    await sleep(retry.intervalMs, undefined, { ref: false });
  }
  const problems = results.filter((r) => r.status === 'fail' || r.status === 'warn');
  for (const problem of problems) {
    logger.warn(
      `config doctor: ${problem.status === 'fail' ? '✗' : '!'} ${problem.title}: ${problem.detail}` +
        (problem.fix ? ` Fix: ${problem.fix}` : ''),
    );
  }
  if (problems.length === 0) {
    logger.log(`config doctor: ${results.filter((r) => r.status === 'pass').length} startup checks passed`);
  }
  return results;
}
