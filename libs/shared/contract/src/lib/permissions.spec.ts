import { ALL_PERMISSIONS, DEFAULT_SPA_SCOPE, Permission } from './permissions';

describe('permissions', () => {
  it('lists every permission named in Permission, once', () => {
    // Adding a permission is one line in Permission: ALL_PERMISSIONS (and so the default scope) follows.
    for (const permission of Object.values(Permission)) expect(ALL_PERMISSIONS).toContain(permission);
    expect(new Set(ALL_PERMISSIONS).size).toBe(ALL_PERMISSIONS.length);
    expect(ALL_PERMISSIONS).toHaveLength(Object.keys(Permission).length);
  });

  it("names the sample's permissions as the tenant grants them", () => {
    expect(Permission.ReadMessages).toBe('read:messages');
    expect(Permission.ReadAdminMessages).toBe('read:admin-messages');
  });

  it('requests the OIDC scopes and every permission by default', () => {
    expect(DEFAULT_SPA_SCOPE).toMatch(/^openid profile email /);
    expect(DEFAULT_SPA_SCOPE.split(' ')).toEqual(['openid', 'profile', 'email', ...ALL_PERMISSIONS]);
  });
});
