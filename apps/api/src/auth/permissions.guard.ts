import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { shown, type Permission } from '@sample/contract';
import { scopeItems, type AccessTokenUser } from './access-token-user';
import { AuthProblemException } from './auth-problem.exception';
import type { GuardedRequest } from './jwt-auth.guard';
import { PerRoute } from './per-route';
import { PermissionsMetadata } from './permissions.decorator';

const listed = (items: readonly string[]) => items.map((item) => shown(item)).join(', ');

/**
 * Lets a request through when the route requires no permission, or the token grants every one required: a user
 * token by its `permissions` claim only, a client-credentials token also by its `scope` (see AccessTokenUser.grants).
 */
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
      user === undefined ? `This endpoint requires ${listed(missing)}.` : whyMissing(user, missing, present),
      { required, received: present },
    );
  }
}

/** The 403's detail: what is missing, where the token has it if anywhere, and what to change in the tenant. */
function whyMissing(user: AccessTokenUser, missing: readonly string[], present: readonly string[]): string {
  const requires = `This endpoint requires ${listed(missing)}`;
  const claims = `(permissions ${shown(user.permissions)}, scope ${shown(user.scope)})`;
  if (user.clientCredentials) {
    return `${requires}; this client-credentials token grants ${present.length > 0 ? listed(present) : 'nothing'} ${claims}. In Auth0 > Applications > APIs > this API > Machine to Machine Applications, grant the application ${listed(missing)}, then request a new token.`;
  }
  const inScopeOnly = missing.filter((permission) => scopeItems(user.scope).includes(permission));
  if (inScopeOnly.length > 0) {
    return `${requires} in the token's permissions claim. Its scope lists ${listed(inScopeOnly)}, but its permissions claim ${user.permissions === null ? 'is absent' : `lacks ${inScopeOnly.length === 1 ? 'it' : 'them'} (${shown(user.permissions)})`}: this API authorizes users by permissions only, because with RBAC off Auth0 puts every scope the app asks for into scope, whatever the user's roles. Fix the tenant: Auth0 > Applications > APIs > this API > Settings > RBAC Settings, turn on "Enable RBAC" and "Add Permissions in the Access Token"; give the user a role with ${listed(missing)}; log in again.`;
  }
  return `${requires}; the token's permissions grant ${present.length > 0 ? listed(present) : 'nothing'} ${claims}. In Auth0: give the user a role with the permission, enable RBAC and "Add Permissions in the Access Token" in the API's settings, and request the scope (scope=${missing.join(' ')}).`;
}
