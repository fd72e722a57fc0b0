import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { destination, type DestinationStream } from 'pino';
import { AuthModule } from './auth/auth.module';
import { REJECTION_REASON } from './auth/auth-problem.filter';
import { API_SETTINGS, type ApiSettings } from './config/api-settings';
import { ApiConfigModule, type Clock } from './config/config.module';
import { HealthModule } from './health/health.module';
import { MeModule } from './me/me.module';
import { MessagesModule } from './messages/messages.module';
import { ProfileModule } from './profile/profile.module';

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

type LoggedRequest = IncomingMessage & { id?: unknown; originalUrl?: string; [REJECTION_REASON]?: string };

/** The access log's destination (a DI token), flushed when the app shuts down. */
const LOG_DESTINATION = Symbol('api.log-destination');

/** pino's `flushSync`, which its own SonicBoom destination has and a test's stream may not. */
function flushSync(stream: DestinationStream): void {
  if ('flushSync' in stream && typeof stream.flushSync === 'function') stream.flushSync();
}

/** The access log line's extra field: the rejection reason, when the request was rejected. */
function withReason(request: LoggedRequest, fields: object): object {
  const reason = request[REJECTION_REASON];
  return reason === undefined ? fields : { ...fields, reason };
}

/** An incoming X-Request-Id is reused when it is short and plain; otherwise a new UUID. Sent back either way. */
function requestId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

@Module({})
export class AppModule implements OnApplicationShutdown {
  constructor(@Inject(LOG_DESTINATION) private readonly logDestination: DestinationStream) {}

  /** Writes out what the asynchronous log destination still holds (a signal ends the process without 'exit'). */
  onApplicationShutdown(): void {
    flushSync(this.logDestination);
  }

  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    // stdout written asynchronously in batches of 4 KB (about 20 lines: one system call per batch, not per
    // request) or every 250 ms, whichever comes first; pino flushes it on exit, onApplicationShutdown on a signal.
    const logDestination =
      options.logDestination ?? destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 });
    return {
      module: AppModule,
      providers: [{ provide: LOG_DESTINATION, useValue: logDestination }],
      imports: [
        ApiConfigModule.forRoot(options.env, options.clock),
        LoggerModule.forRootAsync({
          inject: [API_SETTINGS],
          useFactory: (settings: ApiSettings) => {
            const pinoHttp = {
              level: settings.logLevel,
              genReqId: requestId,
              // The reason joins the access-log line itself: customProps would build a child logger per request.
              customSuccessObject: (request: LoggedRequest, _response: ServerResponse, fields: object) =>
                withReason(request, fields),
              customErrorObject: (
                request: LoggedRequest,
                _response: ServerResponse,
                _error: Error,
                fields: object,
              ) => withReason(request, fields),
              customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
                error !== undefined || response.statusCode >= 500 ? ('error' as const) : ('info' as const),
              // The serializers get the raw request and response (pino-std-serializers would first copy every header).
              wrapSerializers: false,
              // Logs only the path: a token pasted into a query string must not reach the logs.
              serializers: {
                req: (request: LoggedRequest) => ({
                  id: request.id,
                  method: request.method,
                  path: (request.originalUrl ?? request.url ?? '').split('?', 1)[0],
                }),
                res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
              },
            };
            return { pinoHttp: [pinoHttp, logDestination] };
          },
        }),
        AuthModule,
        MessagesModule,
        MeModule,
        ProfileModule,
        HealthModule,
      ],
    };
  }
}
