// Floor for a token never seen before: the bare NestJS app (bare-nest.mjs) plus exactly one RS256 signature check
// per request (node:crypto, the key fetched once from $AUTH_JWKS_URI and kept as a KeyObject), and nothing else: no
// parsing of header or claims, no passport. No token verifier can do less per new token, so its ratio to bare is
// the ceiling for the "new token each request" rows. Not a way to validate tokens. Listens on 127.0.0.1:$PORT.
import 'reflect-metadata';
import { Controller, Get, Module, Req, UnauthorizedException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createPublicKey, verify } from 'node:crypto';

const { keys } = await (await fetch(process.env.AUTH_JWKS_URI)).json();
const key = createPublicKey({ key: keys[0], format: 'jwk' });

class MessagesController {
  getProtectedMessage(request) {
    const token = (request.headers.authorization ?? '').slice('Bearer '.length);
    const dot = token.lastIndexOf('.');
    const signature = Buffer.from(token.slice(dot + 1), 'base64url');
    if (dot < 0 || !verify('sha256', Buffer.from(token.slice(0, dot)), key, signature)) {
      throw new UnauthorizedException();
    }
    return { text: 'This is a protected message.' };
  }
}
Reflect.decorate(
  [Get('protected')],
  MessagesController.prototype,
  'getProtectedMessage',
  Object.getOwnPropertyDescriptor(MessagesController.prototype, 'getProtectedMessage'),
);
// A parameter decorator, called as tsc's __param helper calls it.
Req()(MessagesController.prototype, 'getProtectedMessage', 0);
const Controllers = Reflect.decorate([Controller('api/messages')], MessagesController);

class AppModule {}
const App = Reflect.decorate([Module({ controllers: [Controllers] })], AppModule);

const app = await NestFactory.create(App);
await app.listen(Number(process.env.PORT), '127.0.0.1');
