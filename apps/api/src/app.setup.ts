import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { IncomingMessage, ServerResponse, type Server } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { PROBLEM_JSON } from '@sample/contract';
import { Logger } from 'nestjs-pino';
import { API_SETTINGS, type ApiSettings } from './config/api-settings';
import { BEARER_SCHEME, documentAccess, DPOP_SCHEME, securitySchemes } from './auth/openapi-access';

/** helmet's options: no upgrade-insecure-requests, as Swagger UI must load its scripts over plain http on localhost. */
const HELMET_OPTIONS = { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } };

/**
 * The headers helmet sets, worked out once: they are the same for every request, so sending the list costs a
 * few setHeader calls instead of helmet's chain of a dozen middlewares per request.
 */
export function helmetHeaders(): ReadonlyArray<readonly [string, number | string | string[]]> {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  let done = false;
  // helmet's middleware only sets headers on the response, and calls next() synchronously.
  helmet(HELMET_OPTIONS)(request, response, (error?: unknown) => {
    if (error !== undefined) throw error;
    done = true;
  });
  if (!done) throw new Error('helmet did not finish synchronously');
  return response.getHeaderNames().flatMap((name) => {
    const value = response.getHeader(name);
    return value === undefined ? [] : [[name, value] as const];
  });
}

/**
 * Everything main.ts does to the app besides listening, shared with the HTTP tests so they run the real thing:
 * JSON logs, helmet's headers, no ETag, no global body parser, CORS for CORS_ORIGINS only (the DPoP header allowed;
 * WWW-Authenticate, Retry-After and DPoP-Nonce exposed),
 * OpenAPI as API_DOCS says.
 */
export function configureApp(app: NestExpressApplication): ApiSettings {
  const settings = app.get<ApiSettings>(API_SETTINGS);
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // Responses are a few dozen bytes and per token: a 304 would save nothing, and ETag hashes every body.
  app.set('etag', false);
  const securityHeaders = helmetHeaders();
  app.use((_request: IncomingMessage, response: ServerResponse, next: () => void) => {
    for (const [name, value] of securityHeaders) response.setHeader(name, value);
    next();
  });
  // No body parser: only PATCH /api/me/profile reads a body, itself, after the guards (src/profile/profile-body.ts).
  app.enableCors({
    origin: [...settings.corsOrigins],
    methods: ['GET', 'HEAD', 'PATCH', 'OPTIONS'],
    // DPoP carries the proof; DPoP-Nonce answers use_dpop_nonce (RFC 9449 section 8).
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'DPoP'],
    exposedHeaders: ['WWW-Authenticate', 'Retry-After', 'X-Request-Id', 'DPoP-Nonce'],
    maxAge: 600,
  });
  app.enableShutdownHooks();
  answerClientErrors(app.getHttpServer() as Server);
  setUpOpenApi(app, settings);
  return settings;
}

/**
 * Requests Node refuses before Nest sees them (headers over 16 KB, such as a 64 KB token, or unparsable HTTP)
 * get a problem+json answer that the client can read, instead of a reset connection.
 */
function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const title = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
    const body = JSON.stringify({
      type: 'about:blank',
      title,
      status,
      detail: tooLarge
        ? 'The request headers exceed the 16 KB limit (is the token real?).'
        : 'The request is not valid HTTP.',
    });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_JSON}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    // Read and drop what the client still sends, so closing does not reset the connection before it reads the answer.
    socket.resume();
  });
}

/**
 * The OpenAPI JSON at /api/docs-json (the token CLI, the doctor and the e2e tests read the routes from it) and, with
 * API_DOCS=ui, Swagger UI at /api/docs. The UI keeps no token across reloads (no persistAuthorization: a pasted token
 * would stay in localStorage, where any script of the origin can read it).
 */
function setUpOpenApi(app: INestApplication, settings: ApiSettings): void {
  if (settings.docs === 'off') return;
  const builder = new DocumentBuilder()
    .setTitle('Sample API')
    .setDescription(
      'The Auth0 "hello world" messages API. Every rejection is `application/problem+json` with a stable `reason` ' +
        `(see the README). Tokens: issuer ${settings.issuerUrl}, audience ${settings.audience}.`,
    )
    .setVersion('1.0')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Paste an access token for this API (no "Bearer " prefix).',
      },
      BEARER_SCHEME,
    );
  if (settings.dpop.mode !== 'off') {
    // Swagger UI cannot make proofs: the scheme documents what the API accepts.
    builder.addSecurity(DPOP_SCHEME, {
      type: 'http',
      scheme: 'dpop',
      description: `A DPoP-bound access token ("Authorization: DPoP <token>") with a "DPoP" proof header made for each request (RFC 9449); proof algorithms: ${settings.dpop.algorithms.join(', ')}.`,
    });
  }
  const document = documentAccess(
    SwaggerModule.createDocument(app, builder.build()),
    securitySchemes(settings.dpop.mode),
  );
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    ui: settings.docs === 'ui',
    raw: ['json'],
  });
}
