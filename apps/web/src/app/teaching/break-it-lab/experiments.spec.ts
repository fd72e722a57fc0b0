import { experimentsFor, keyBindingNote, permissionFinding, RBAC_OFF_EXPERIMENT } from './experiments';

describe('experimentsFor', () => {
  const rbacOff = (settings: Parameters<typeof experimentsFor>[0]) =>
    experimentsFor(settings).find((experiment) => experiment.id === RBAC_OFF_EXPERIMENT);

  it('gives every experiment its own id, so each has its own button and run', () => {
    const ids = experimentsFor({ breakItLab: true }).map((experiment) => experiment.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('offers the RBAC-off experiment only when labRbacOffAudience names that API', () => {
    expect(rbacOff({ breakItLab: true })?.unavailable).toContain('labRbacOffAudience');
    const experiment = rbacOff({ breakItLab: true, labRbacOffAudience: 'https://rbac-off-api.sample.local' });
    expect(experiment).toMatchObject({ unavailable: null, path: '/api/messages/admin' });
    expect(experiment?.mistake).toContain('https://rbac-off-api.sample.local');
  });

  it('says honestly that the API answers audience_mismatch for that token, and why users need permissions', () => {
    const experiment = rbacOff({ breakItLab: true, labRbacOffAudience: 'https://rbac-off-api.sample.local' });
    expect(experiment?.expected).toBe('audience_mismatch');
    expect(experiment?.lesson).toContain('This API authorizes users by their permissions claim only');
    expect(experiment?.lesson).toContain('403 insufficient_permission');
  });
});

describe('permissionFinding', () => {
  it('shows the permission in scope and the permissions claim absent (RBAC off)', () => {
    expect(permissionFinding({ scope: 'openid read:messages read:admin-messages' })).toBe(
      'Its scope "openid read:messages read:admin-messages" lists read:admin-messages; the permissions claim is absent.',
    );
  });

  it('shows the permissions claim when there is one', () => {
    expect(permissionFinding({ scope: 'openid', permissions: ['read:messages'] })).toBe(
      'Its scope "openid" does not list read:admin-messages; the permissions claim is ["read:messages"].',
    );
  });

  it('says when there is no scope at all', () => {
    expect(permissionFinding({})).toBe('The token has no scope; the permissions claim is absent.');
  });
});

describe('keyBindingNote', () => {
  it('explains key_bound_token where a Bearer experiment expected its own reason (useDpop on)', () => {
    const note = keyBindingNote('insufficient_permission', 'key_bound_token');
    expect(note).toContain("bound to this browser's DPoP key (useDpop is on)");
    expect(note).toContain('before it could answer insufficient_permission');
    expect(note).toContain('turn useDpop off in config.json');
  });

  it('explains dpop_required (an API with AUTH_DPOP=required)', () => {
    expect(keyBindingNote('audience_mismatch', 'dpop_required')).toContain('AUTH_DPOP=required');
  });

  it('says nothing when the answer is the expected one, or unrelated to DPoP', () => {
    expect(keyBindingNote('key_bound_token', 'key_bound_token')).toBeNull();
    expect(keyBindingNote('insufficient_permission', 'invalid_signature')).toBeNull();
  });
});
