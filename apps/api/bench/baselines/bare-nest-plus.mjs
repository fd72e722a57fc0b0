// The bare NestJS app of bare-nest.mjs plus the API's layers, chosen with BENCH_LAYERS (comma-separated), each
// configured as apps/api/src configures it today: `bench.mjs --ladder` adds them one at a time to see what each
// costs per request. Layers: helmet, cors, no-body-parsers (bodyParser: false; the API instead re-adds json and
// urlencoded with a 16 kB limit: body-parsers-16kb), pino-info / pino-warn (nestjs-pino with the API's pino-http
// options), guards (two global guards reading route metadata, as JwtAuthGuard and PermissionsGuard do before
// they look at a token), swagger (OpenAPI document and UI routes). Plain JS; listens on 127.0.0.1:$PORT.
import 'reflect-metadata';
import { Controller, Get, Injectable, Module, SetMetadata } from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import { randomUUID } from 'node:crypto';

const layers = new Set(
  (process.env.BENCH_LAYERS ?? '')
    .split(',')
    .map((layer) => layer.trim())
    .filter(Boolean),
);
const KNOWN = [
  'helmet',
  'cors',
  'no-body-parsers',
  'body-parsers-16kb',
  'pino-info',
  'pino-warn',
  'guards',
  'swagger',
];
for (const layer of layers)
  if (!KNOWN.includes(layer)) throw new Error(`unknown layer ${layer}; known: ${KNOWN}`);

const IS_PUBLIC_KEY = 'isPublic';
const RequirePermissions = Reflector.createDecorator();

class MessagesController {
  getPublicMessage() {
    return { text: 'This is a public message.' };
  }
}
Reflect.decorate(
  [SetMetadata(IS_PUBLIC_KEY, true), Get('public')],
  MessagesController.prototype,
  'getPublicMessage',
  Object.getOwnPropertyDescriptor(MessagesController.prototype, 'getPublicMessage'),
);
const Controllers = Reflect.decorate([Controller('api/messages')], MessagesController);

// As JwtAuthGuard: async, reads @Public() from handler and class, returns before any token work.
class PublicAwareGuard {
  constructor(reflector) {
    this.reflector = reflector;
  }

  async canActivate(context) {
    const isPublic = this.reflector.getAllAndOverride(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic === true) return true;
    throw new Error('the ladder has public routes only');
  }
}
// As PermissionsGuard: sync, true when the route requires nothing.
class PermissionsGuard {
  constructor(reflector) {
    this.reflector = reflector;
  }

  canActivate(context) {
    const required = this.reflector.getAllAndOverride(RequirePermissions, [
      context.getHandler(),
      context.getClass(),
    ]);
    return required === undefined || required.length === 0;
  }
}
for (const guard of [PublicAwareGuard, PermissionsGuard]) {
  Reflect.defineMetadata('design:paramtypes', [Reflector], guard);
  Reflect.decorate([Injectable()], guard);
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
// The API's pino-http options (apps/api/src/app.module.ts).
const pinoHttp = (level) => ({
  level,
  genReqId: (request, response) => {
    const incoming = request.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    response.setHeader('X-Request-Id', id);
    return id;
  },
  customProps: (request) => {
    const reason = request.rejectionReason;
    return reason === undefined ? {} : { reason };
  },
  customLogLevel: (_request, response, error) =>
    error !== undefined || response.statusCode >= 500 ? 'error' : 'info',
  serializers: {
    req: (request) => ({ id: request.id, method: request.method, path: request.url.split('?', 1)[0] }),
    res: (response) => ({ statusCode: response.statusCode }),
  },
});

const pinoLevel = layers.has('pino-info') ? 'info' : layers.has('pino-warn') ? 'warn' : undefined;
const imports = [];
let nestjsPino;
if (pinoLevel !== undefined) {
  nestjsPino = await import('nestjs-pino');
  imports.push(nestjsPino.LoggerModule.forRoot({ pinoHttp: pinoHttp(pinoLevel) }));
}
const providers = layers.has('guards')
  ? [
      { provide: APP_GUARD, useClass: PublicAwareGuard },
      { provide: APP_GUARD, useClass: PermissionsGuard },
    ]
  : [];

class AppModule {}
const App = Reflect.decorate([Module({ imports, controllers: [Controllers], providers })], AppModule);

const withoutDefaultParsers = layers.has('no-body-parsers') || layers.has('body-parsers-16kb');
const app = await NestFactory.create(App, {
  ...(withoutDefaultParsers && { bodyParser: false }),
  ...(nestjsPino !== undefined && { bufferLogs: true }),
});
if (nestjsPino !== undefined) app.useLogger(app.get(nestjsPino.Logger));
if (layers.has('helmet')) {
  const { default: helmet } = await import('helmet');
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
}
if (layers.has('body-parsers-16kb')) {
  app.useBodyParser('json', { limit: '16kb' });
  app.useBodyParser('urlencoded', { limit: '16kb', extended: false });
}
if (layers.has('cors')) {
  app.enableCors({
    origin: ['https://app.example.com'],
    methods: ['GET', 'HEAD', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['WWW-Authenticate', 'X-Request-Id'],
    maxAge: 600,
  });
}
if (layers.has('swagger')) {
  const { DocumentBuilder, SwaggerModule } = await import('@nestjs/swagger');
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('ladder').build());
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
await app.listen(Number(process.env.PORT), '127.0.0.1');
