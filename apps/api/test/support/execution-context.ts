import type { ExecutionContext, Type } from '@nestjs/common';

type HttpHost = ReturnType<ExecutionContext['switchToHttp']>;

/** An HTTP ExecutionContext for unit specs of guards: a handler of a class, and the request it sees. */
export class HttpContext implements ExecutionContext {
  constructor(
    private readonly controller: Type,
    private readonly handler: (...args: never[]) => unknown,
    readonly request: Record<PropertyKey, unknown>,
  ) {}

  getClass<T>(): Type<T> {
    return this.controller;
  }

  getHandler(): (...args: never[]) => unknown {
    return this.handler;
  }

  getArgs<T extends unknown[]>(): T {
    throw new Error('not used by guards');
  }

  getArgByIndex<T>(): T {
    throw new Error('not used by guards');
  }

  getType<T extends string>(): T {
    throw new Error('not used by guards');
  }

  switchToHttp(): HttpHost {
    const request = this.request;
    return {
      getRequest: <T>() => request as T,
      getResponse: <T>() => ({}) as T,
      getNext: <T>() => (() => undefined) as T,
    };
  }

  switchToRpc(): ReturnType<ExecutionContext['switchToRpc']> {
    throw new Error('HTTP only');
  }

  switchToWs(): ReturnType<ExecutionContext['switchToWs']> {
    throw new Error('HTTP only');
  }
}
