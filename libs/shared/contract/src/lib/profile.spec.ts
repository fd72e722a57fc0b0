import { DISPLAY_NAME_MAX_LENGTH, managementApiAudience, profilePatchSchema } from './profile';

describe('profilePatchSchema', () => {
  it('takes the keys given, trims the display name, and keeps null (delete the key)', () => {
    expect(profilePatchSchema.parse({ displayName: '  Ada  ' })).toEqual({ displayName: 'Ada' });
    expect(profilePatchSchema.parse({ displayName: null, theme: 'dark' })).toEqual({
      displayName: null,
      theme: 'dark',
    });
    expect(profilePatchSchema.parse({})).toEqual({});
  });

  it.each([
    [{ displayName: '   ' }, 'displayName must not be empty (send null to delete it)'],
    [{ displayName: 'a'.repeat(DISPLAY_NAME_MAX_LENGTH + 1) }, `displayName must be at most 60 characters`],
    [{ theme: 'pink' }, 'theme must be one of system, light, dark'],
  ])('refuses %j, naming the field and the rule', (body, message) => {
    const result = profilePatchSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
  });

  it('refuses keys it does not know (app_metadata, roles, anything else)', () => {
    const result = profilePatchSchema.safeParse({ displayName: 'Ada', app_metadata: { roles: ['admin'] } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['app_metadata'] });
  });
});

describe('managementApiAudience', () => {
  it("is the issuer's /api/v2/, with or without the issuer's trailing slash", () => {
    expect(managementApiAudience('https://tenant.us.auth0.com/')).toBe('https://tenant.us.auth0.com/api/v2/');
    expect(managementApiAudience('http://localhost:4000')).toBe('http://localhost:4000/api/v2/');
  });
});
