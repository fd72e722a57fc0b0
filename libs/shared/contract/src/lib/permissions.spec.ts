import { ALL_PERMISSIONS, DEFAULT_SPA_SCOPE, Permission } from './permissions';

describe('permissions', () => {
  it('names the two API permissions', () => {
    expect(ALL_PERMISSIONS).toEqual(['read:messages', 'read:admin-messages']);
    expect(Permission.ReadAdminMessages).toBe('read:admin-messages');
  });

  it('requests the OIDC scopes and every permission by default', () => {
    expect(DEFAULT_SPA_SCOPE).toBe('openid profile email read:messages read:admin-messages');
  });
});
