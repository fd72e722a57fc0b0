import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { GuardedRequest } from './jwt-auth.guard';

/**
 * The validated access token's user (set by JwtAuthGuard), as a handler parameter.
 * @example @Get() getMe(@AccessToken() user: AccessTokenUser) { ... }
 */
export const AccessToken = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<GuardedRequest>().user,
);
