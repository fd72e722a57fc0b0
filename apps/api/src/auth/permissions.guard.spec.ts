import { Reflector } from '@nestjs/core';
import { Permission } from '@sample/contract';
import { HttpContext } from '../../test/support/execution-context';
import { toAccessTokenUser } from './access-token-user';
import { AuthProblemException } from './auth-problem.exception';
import { RequirePermissions } from './permissions.decorator';
import { PermissionsGuard } from './permissions.guard';

class Routes {
  @RequirePermissions(Permission.ReadAdminMessages)
  admin(): string {
    return 'admin';
  }

  open(): string {
    return 'open';
  }
}

function contextFor(handler: 'admin' | 'open', claims?: Record<string, unknown>): HttpContext {
  const user =
    claims === undefined
      ? undefined
      : toAccessTokenUser({ iss: 'i', aud: 'a', ...claims, sub: 's', exp: 2, iat: 1 });
  return new HttpContext(Routes, Routes.prototype[handler], { user });
}

describe('PermissionsGuard', () => {
  const guard = new PermissionsGuard(new Reflector());

  describe('canActivate', () => {
    it('lets a route without required permissions through', () => {
      expect(guard.canActivate(contextFor('open', {}))).toBe(true);
    });

    it('accepts read:admin-messages from the permissions array', () => {
      expect(guard.canActivate(contextFor('admin', { permissions: ['read:admin-messages'] }))).toBe(true);
    });

    it('accepts read:admin-messages from the space-delimited scope', () => {
      expect(guard.canActivate(contextFor('admin', { scope: 'openid read:admin-messages' }))).toBe(true);
    });

    it('does not take a scope that merely contains the permission as a substring', () => {
      expect(() => guard.canActivate(contextFor('admin', { scope: 'read:admin-messages-extra' }))).toThrow(
        AuthProblemException,
      );
    });

    it('rejects a token without read:admin-messages, naming required and present', () => {
      let caught: unknown;
      try {
        guard.canActivate(contextFor('admin', { permissions: ['read:messages'], scope: 'openid' }));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AuthProblemException);
      const problem = caught as AuthProblemException;
      expect(problem.reason).toBe('insufficient_permission');
      expect(problem.getStatus()).toBe(403);
      expect(problem.evidence).toEqual({
        required: ['read:admin-messages'],
        received: ['read:messages', 'openid'],
      });
      expect(problem.detail).toContain('enable RBAC and "Add Permissions in the Access Token"');
    });
  });
});
