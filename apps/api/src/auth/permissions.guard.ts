import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Permission } from '@sample/contract';
import { AuthProblemException } from './auth-problem.exception';
import type { GuardedRequest } from './jwt-auth.guard';
import { PerRoute } from './per-route';
import { PermissionsMetadata } from './permissions.decorator';

/** Lets a request through when the route requires no permission, or the token grants every one required. */
@Injectable()
export class PermissionsGuard implements CanActivate {
  private readonly required: PerRoute<readonly Permission[] | undefined>;

  constructor(reflector: Reflector) {
    this.required = new PerRoute((handler, cls) =>
      reflector.getAllAndOverride(PermissionsMetadata, [handler, cls]),
    );
  }

  canActivate(context: ExecutionContext): boolean {
    const required = this.required.get(context);
    if (required === undefined || required.length === 0) return true;
    const user = context.switchToHttp().getRequest<GuardedRequest>().user;
    const missing = required.filter((permission) => user?.grants.has(permission) !== true);
    if (missing.length === 0) return true;
    const present = user === undefined ? [] : [...user.grants];
    throw new AuthProblemException(
      'insufficient_permission',
      `This endpoint requires ${missing.map((p) => JSON.stringify(p)).join(', ')}; the token grants ${
        present.length > 0 ? present.map((p) => JSON.stringify(p)).join(', ') : 'nothing'
      } (permissions ${JSON.stringify(user?.permissions ?? null)}, scope ${JSON.stringify(user?.scope ?? null)}). In Auth0: give the user a role with the permission, enable RBAC and "Add Permissions in the Access Token" in the API's settings, and request the scope (scope=${missing.join(' ')}).`,
      { required, received: present },
    );
  }
}
