import { applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import type { Permission } from '@sample/contract';
import { PROBLEM_CONTENT } from './openapi-access';

/** The permissions metadata PermissionsGuard reads. */
export const PermissionsMetadata = Reflector.createDecorator<readonly Permission[]>();

/**
 * Permissions a route needs, all of them: in a user token's `permissions` claim, or in a client-credentials token's
 * `permissions` or space-delimited `scope` (PermissionsGuard). OpenAPI lists them as `x-required-permissions` with the 403 answer. Without it a route needs any valid token.
 * @example @RequirePermissions(Permission.ReadAdminMessages) @Get('admin') getAdminMessage() { ... }
 */
export function RequirePermissions(...permissions: Permission[]) {
  return applyDecorators(
    PermissionsMetadata(permissions),
    ApiExtension('x-required-permissions', permissions),
    ApiForbiddenResponse({
      description: `The token lacks ${permissions.join(', ')} (reason insufficient_permission).`,
      content: PROBLEM_CONTENT,
    }),
  );
}
