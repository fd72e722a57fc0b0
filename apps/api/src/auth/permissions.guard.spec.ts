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

  /** The AuthProblemException canActivate throws for `context`. */
  function rejection(context: HttpContext): AuthProblemException {
    try {
      guard.canActivate(context);
    } catch (error) {
      if (error instanceof AuthProblemException) return error;
      throw error;
    }
    throw new Error('canActivate let the request through');
  }

  describe('canActivate', () => {
    it('lets a route without required permissions through', () => {
      expect(guard.canActivate(contextFor('open', {}))).toBe(true);
    });

    it('accepts read:admin-messages from the permissions array', () => {
      expect(guard.canActivate(contextFor('admin', { permissions: ['read:admin-messages'] }))).toBe(true);
    });

    it('accepts read:admin-messages from the scope of a client-credentials token (its client grant)', () => {
      expect(
        guard.canActivate(
          contextFor('admin', { gty: 'client-credentials', scope: 'read:messages read:admin-messages' }),
        ),
      ).toBe(true);
    });

    it('does not take a scope that merely contains the permission as a substring', () => {
      expect(() =>
        guard.canActivate(
          contextFor('admin', { gty: 'client-credentials', scope: 'read:admin-messages-extra' }),
        ),
      ).toThrow(AuthProblemException);
    });

    it('refuses a user token whose scope lists the permission (RBAC off), saying why and how to fix the tenant', () => {
      const problem = rejection(
        contextFor('admin', { scope: 'openid profile read:messages read:admin-messages' }),
      );
      expect(problem.reason).toBe('insufficient_permission');
      expect(problem.getStatus()).toBe(403);
      expect(problem.evidence).toEqual({ required: ['read:admin-messages'], received: [] });
      expect(problem.detail).toContain(
        'Its scope lists "read:admin-messages", but its permissions claim is absent: this API authorizes users by permissions only',
      );
      expect(problem.detail).toContain('"Enable RBAC" and "Add Permissions in the Access Token"');
    });

    it('says which permissions the claim lacks when it is there but incomplete', () => {
      const problem = rejection(
        contextFor('admin', { permissions: ['read:messages'], scope: 'openid read:admin-messages' }),
      );
      expect(problem.detail).toContain('but its permissions claim lacks it (["read:messages"])');
    });

    it('refuses a token whose gty is not client-credentials by its permissions only', () => {
      const problem = rejection(contextFor('admin', { gty: 'password', scope: 'read:admin-messages' }));
      expect(problem.detail).toContain('this API authorizes users by permissions only');
    });

    it('tells a client-credentials token to grant the permission to the application', () => {
      const problem = rejection(contextFor('admin', { gty: 'client-credentials', scope: 'read:messages' }));
      expect(problem.evidence).toEqual({ required: ['read:admin-messages'], received: ['read:messages'] });
      expect(problem.detail).toContain('Machine to Machine Applications');
    });

    it('rejects a token without read:admin-messages, naming required and present', () => {
      const problem = rejection(contextFor('admin', { permissions: ['read:messages'], scope: 'openid' }));
      expect(problem.reason).toBe('insufficient_permission');
      expect(problem.getStatus()).toBe(403);
      expect(problem.evidence).toEqual({ required: ['read:admin-messages'], received: ['read:messages'] });
      expect(problem.detail).toContain('enable RBAC and "Add Permissions in the Access Token"');
    });
  });
});
