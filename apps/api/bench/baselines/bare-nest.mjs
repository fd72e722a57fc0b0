// Baseline (a): a bare NestJS app as `nest new` makes it (default platform-express, body parsers and logger),
// with one GET route answering the API's public message. Plain JS: decorators applied with Reflect.decorate,
// as tsc emits them. Listens on 127.0.0.1:$PORT.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

class MessagesController {
  getPublicMessage() {
    return { text: 'This is a public message.' };
  }
}
Reflect.decorate(
  [Get('public')],
  MessagesController.prototype,
  'getPublicMessage',
  Object.getOwnPropertyDescriptor(MessagesController.prototype, 'getPublicMessage'),
);
const Controllers = Reflect.decorate([Controller('api/messages')], MessagesController);

class AppModule {}
const App = Reflect.decorate([Module({ controllers: [Controllers] })], AppModule);

const app = await NestFactory.create(App);
await app.listen(Number(process.env.PORT), '127.0.0.1');
