import { Module, type DynamicModule } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth/auth.module';
import { REJECTION_REASON } from './auth/auth-problem.filter';
import { API_SETTINGS, type ApiSettings } from './config/api-settings';
import { ApiConfigModule, type Clock } from './config/config.module';
import { HealthModule } from './health/health.module';
import { MeModule } from './me/me.module';
import { MessagesModule } from './messages/messages.module';

/** Options of AppModule.forRoot: the production entry point passes none. */
export interface AppModuleOptions {
  /** Environment to read instead of process.env. */
  readonly env?: Record<string, string | undefined>;
  /** Where JSON logs go instead of stdout. */
  readonly logDestination?: DestinationStream;
  /** Where JWKS timing and readiness read the time instead of Date.now (tests move it instead of sleeping). */
  readonly clock?: Clock;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

type LoggedRequest = IncomingMessage & { id?: unknown; [REJECTION_REASON]?: string };

/** An incoming X-Request-Id is reused when it is short and plain; otherwise a new UUID. Sent back either way. */
function requestId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ApiConfigModule.forRoot(options.env, options.clock),
        LoggerModule.forRootAsync({
          inject: [API_SETTINGS],
          useFactory: (settings: ApiSettings) => {
            const pinoHttp = {
              level: settings.logLevel,
              genReqId: requestId,
              customProps: (request: LoggedRequest) => {
                const reason = request[REJECTION_REASON];
                return reason === undefined ? {} : { reason };
              },
              customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
                error !== undefined || response.statusCode >= 500 ? ('error' as const) : ('info' as const),
              // Logs only the path: a token pasted into a query string must not reach the logs.
              serializers: {
                req: (request: { id: unknown; method: string; url: string }) => ({
                  id: request.id,
                  method: request.method,
                  path: request.url.split('?', 1)[0],
                }),
                res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
              },
            };
            return {
              pinoHttp: options.logDestination === undefined ? pinoHttp : [pinoHttp, options.logDestination],
            };
          },
        }),
        AuthModule,
        MessagesModule,
        MeModule,
        HealthModule,
      ],
    };
  }
}
