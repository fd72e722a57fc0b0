// Baseline (b): the token check as Auth0's NestJS samples write it: passport-jwt with jwks-rsa's
// passportJwtSecret (cache and rate limit on), the bearer token from the Authorization header, audience, issuer
// and RS256, and AuthGuard('jwt') on the route. No helmet, CORS or access log: the token path alone.
// Plain JS: decorators applied with Reflect.decorate, as tsc emits them. Listens on 127.0.0.1:$PORT.
// Env: PORT, AUTH0_ISSUER_URL (with the trailing slash), AUTH0_AUDIENCE, AUTH0_JWKS_URI (default: the issuer's).
import 'reflect-metadata';
import { Controller, Get, Injectable, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';

const issuer = process.env.AUTH0_ISSUER_URL;

class JwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({
      secretOrKeyProvider: passportJwtSecret({
        cache: true,
        rateLimit: true,
        jwksRequestsPerMinute: 5,
        jwksUri: process.env.AUTH0_JWKS_URI ?? `${issuer}.well-known/jwks.json`,
      }),
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      audience: process.env.AUTH0_AUDIENCE,
      issuer,
      algorithms: ['RS256'],
    });
  }

  validate(payload) {
    return payload;
  }
}
const Strategies = Reflect.decorate([Injectable()], JwtStrategy);

class MessagesController {
  getProtectedMessage() {
    return { text: 'This is a protected message.' };
  }
}
Reflect.decorate(
  [UseGuards(AuthGuard('jwt')), Get('protected')],
  MessagesController.prototype,
  'getProtectedMessage',
  Object.getOwnPropertyDescriptor(MessagesController.prototype, 'getProtectedMessage'),
);
const Controllers = Reflect.decorate([Controller('api/messages')], MessagesController);

class AuthzModule {}
const Authz = Reflect.decorate(
  [
    Module({
      imports: [PassportModule.register({ defaultStrategy: 'jwt' })],
      providers: [Strategies],
      exports: [PassportModule],
    }),
  ],
  AuthzModule,
);

class AppModule {}
const App = Reflect.decorate([Module({ imports: [Authz], controllers: [Controllers] })], AppModule);

const app = await NestFactory.create(App);
await app.listen(Number(process.env.PORT), '127.0.0.1');
