import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import type { Clock } from '../../src/config/config.module';
import { configureApp } from '../../src/app.setup';
import type { TestIssuer } from './issuer';

/** The audience the test API expects. */
export const AUDIENCE = 'https://api.sample.local';

/** The SPA's origin, the one the test API allows (CORS_ORIGINS). */
export const SPA_ORIGIN = 'http://localhost:4200';

/** The API under test: the real AppModule, configured like main.ts, listening on a free port of 127.0.0.1. */
export interface TestApi {
  readonly app: NestExpressApplication;
  readonly url: string;
  /** JSON log lines written so far. */
  readonly logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts the API against a TestIssuer; `env` adds or overrides variables; `clock` replaces Date.now. */
export async function startTestApi(
  issuer: TestIssuer,
  env: Record<string, string> = {},
  clock?: Clock,
): Promise<TestApi> {
  const logs: Array<Record<string, unknown>> = [];
  const logDestination = {
    write(line: string) {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({
      env: {
        AUTH_ISSUER_URL: issuer.url,
        AUTH_AUDIENCE: AUDIENCE,
        CORS_ORIGINS: SPA_ORIGIN,
        AUTH_JWKS_TIMEOUT_MS: '5000',
        LOG_LEVEL: 'info',
        ...env,
      },
      logDestination,
      clock,
    }),
    { logger: false, bodyParser: false, abortOnError: false },
  );
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, logs, close: () => app.close() };
}

/** The CORS preflight a browser sends before the SPA's `method` request to `path` with `headers` (comma-separated). */
export function preflight(apiUrl: string, path: string, method: string, headers: string): request.Test {
  return request(apiUrl)
    .options(path)
    .set('Origin', SPA_ORIGIN)
    .set('Access-Control-Request-Method', method)
    .set('Access-Control-Request-Headers', headers);
}
