import type { ExecutionContext, Type } from '@nestjs/common';

/**
 * A value read once per route (handler and controller class) and then kept: route metadata does not change after
 * start-up, and reading it through the Reflector costs on every request.
 * @example new PerRoute((handler, cls) => reflector.getAllAndOverride(IS_PUBLIC_KEY, [handler, cls]))
 */
export class PerRoute<T> {
  private readonly byClass = new WeakMap<object, WeakMap<object, { value: T }>>();

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest types handlers as Function
  constructor(private readonly read: (handler: Function, cls: Type) => T) {}

  get(context: ExecutionContext): T {
    const handler = context.getHandler();
    const cls = context.getClass();
    let byHandler = this.byClass.get(cls);
    if (byHandler === undefined) this.byClass.set(cls, (byHandler = new WeakMap()));
    let entry = byHandler.get(handler);
    if (entry === undefined) byHandler.set(handler, (entry = { value: this.read(handler, cls) }));
    return entry.value;
  }
}
