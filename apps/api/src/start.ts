import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, type ConfigWarning } from '@sample/contract';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { parseApiSettings } from './config/api-settings';
import { JwksKeyProvider } from './auth/jwks-key-provider';
import { liveNetwork, type CheckResult } from './doctor/doctor-checks';
import { runStartupChecks } from './doctor/startup-checks';

/** What startApi writes to and how it stops; the process's own by default. */
export interface StartIo {
  readonly stderr: { write(text: string): unknown };
  readonly exit: (code: number) => never | void;
}

/** A started API and its startup checks (they run in the background). */
export interface StartedApi {
  readonly app: NestExpressApplication;
  readonly startupChecks: Promise<CheckResult[]>;
}

/** What a failed listen means, as the setting to change. */
const LISTEN_PROBLEMS: Record<string, (port: number) => string> = {
  EADDRINUSE: (port) => `PORT ${port} is in use by another process: stop it, or set PORT to a free port.`,
  EACCES: (port) => `PORT ${port} needs privileges: set PORT to 1024 or more.`,
};

/**
 * Starts the API on PORT. The environment is validated before Nest starts, so a bad variable prints the
 * contract's message alone (no stack trace) and exits with code 1; so does a port that cannot be listened on.
 * @returns the listening app, or undefined when it could not start.
 */
export async function startApi(
  env: Record<string, string | undefined> = process.env,
  io: StartIo = { stderr: process.stderr, exit: (code) => process.exit(code) },
): Promise<StartedApi | undefined> {
  let warnings: readonly ConfigWarning[];
  try {
    warnings = parseApiSettings(env).warnings;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`${error.message}\n`);
    io.exit(1);
    return undefined;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ env }), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  const settings = configureApp(app);
  const logger = app.get(Logger);
  for (const warning of warnings) logger.warn(`config warning: ${warning.message}`);
  try {
    await app.listen(settings.port);
  } catch (error) {
    const problem = LISTEN_PROBLEMS[(error as NodeJS.ErrnoException).code ?? ''];
    if (problem === undefined) throw error;
    await app.close();
    io.stderr.write(`${problem(settings.port)}\n`);
    io.exit(1);
    return undefined;
  }
  logger.log(
    `API listening on port ${settings.port}; issuer ${settings.issuerUrl}, audience ${settings.audience}`,
  );
  // The config doctor's issuer checks, as warnings: in the background, so a slow issuer never delays start-up.
  // The JWKS comes from the key provider (its start-up fetch is shared), so the checks add no fetch of their own.
  const keys = app.get(JwksKeyProvider);
  const startupChecks = runStartupChecks(
    settings,
    { log: (message) => logger.log(message), warn: (message) => logger.warn(message) },
    liveNetwork(settings.jwksTimeoutMs),
    {
      jwksSource: async () => {
        const status = await keys.refresh(settings.jwksCooldownMs);
        return status.lastFailure === null
          ? { ok: true, body: { keys: status.keys } }
          : { ok: false, problem: status.lastFailure };
      },
    },
  );
  return { app, startupChecks };
}
