import { Reflector } from '@nestjs/core';
import type { Permission } from '@sample/contract';

/**
 * Permissions a route needs, all of them, in the token's `permissions` claim or its space-delimited `scope`.
 * @example @RequirePermissions([Permission.ReadAdminMessages]) @Get('admin') getAdminMessage() { ... }
 */
export const RequirePermissions = Reflector.createDecorator<Permission[]>();
