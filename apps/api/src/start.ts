import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, type ConfigWarning } from '@sample/contract';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { parseApiSettings } from './config/api-settings';
import { liveNetwork } from './doctor/doctor-checks';
import { runStartupChecks } from './doctor/startup-checks';

/** What startApi writes to and how it stops; the process's own by default. */
export interface StartIo {
  readonly stderr: { write(text: string): unknown };
  readonly exit: (code: number) => never | void;
}

/**
 * Starts the API on PORT. The environment is validated before Nest starts, so a bad variable prints the
 * contract's message alone (no stack trace) and exits with code 1.
 * @returns the listening app, or undefined when the configuration was refused.
 */
export async function startApi(
  env: Record<string, string | undefined> = process.env,
  io: StartIo = { stderr: process.stderr, exit: (code) => process.exit(code) },
): Promise<NestExpressApplication | undefined> {
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
  await app.listen(settings.port);
  logger.log(
    `API listening on port ${settings.port}; issuer ${settings.issuerUrl}, audience ${settings.audience}`,
  );
  // The config doctor's issuer checks, as warnings: in the background, so a slow issuer never delays start-up.
  void runStartupChecks(
    settings,
    { log: (message) => logger.log(message), warn: (message) => logger.warn(message) },
    liveNetwork(settings.jwksTimeoutMs),
  );
  return app;
}
