import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError } from '@sample/contract';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';

/** What startApi writes to and how it stops; the process's own by default. */
export interface StartIo {
  readonly stderr: { write(text: string): unknown };
  readonly exit: (code: number) => never | void;
}

/** What a failed listen means, as the setting to change. */
const LISTEN_PROBLEMS: Record<string, (port: number) => string> = {
  EADDRINUSE: (port) => `PORT ${port} is in use by another process: stop it, or set PORT to a free port.`,
  EACCES: (port) => `PORT ${port} needs privileges: set PORT to 1024 or more.`,
};

/**
 * Starts the API on PORT. The environment is parsed once, by ConfigModule while Nest builds the app: a bad variable
 * prints the ConfigError's message alone (no stack trace) and exits with code 1; so does a port that cannot be
 * listened on. Config warnings are logged at start-up.
 * @returns the listening app, or undefined when it could not start.
 */
export async function startApi(
  env: Record<string, string | undefined> = process.env,
  io: StartIo = { stderr: process.stderr, exit: (code) => process.exit(code) },
): Promise<NestExpressApplication | undefined> {
  let app: NestExpressApplication;
  try {
    // Logs wait until pino takes over; on a failure they are dropped, so Nest prints no stack trace of its own.
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ env }), {
      bufferLogs: true,
      autoFlushLogs: false,
      bodyParser: false,
      abortOnError: false,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`${error.message}\n`);
    io.exit(1);
    return undefined;
  }
  const settings = configureApp(app);
  app.flushLogs();
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
  app
    .get(Logger)
    .log(
      `API listening on port ${settings.port}; issuer ${settings.issuerUrl}, audience ${settings.audience}`,
    );
  return app;
}
