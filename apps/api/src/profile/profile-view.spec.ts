import { toProfileView, toUserMetadataChange } from './profile-view';

describe('toUserMetadataChange', () => {
  it('names only the keys the patch names, null where it deletes', () => {
    expect(toUserMetadataChange({})).toEqual({});
    expect(toUserMetadataChange({ theme: 'dark' })).toEqual({ theme: 'dark' });
    expect(toUserMetadataChange({ displayName: null, theme: 'system' })).toEqual({
      displayName: null,
      theme: 'system',
    });
  });
});

describe('toProfileView', () => {
  it('reads displayName and theme from user_metadata', () => {
    expect(
      toProfileView(
        { user_id: 'auth0|u1', user_metadata: { displayName: 'Ada', theme: 'light', other: 1 } },
        'x',
      ),
    ).toEqual({ userId: 'auth0|u1', displayName: 'Ada', theme: 'light' });
  });

  it('reads values it did not write as null instead of failing', () => {
    expect(
      toProfileView(
        { user_id: 'auth0|u1', user_metadata: { displayName: 'x'.repeat(61), theme: 'sepia' } },
        'x',
      ),
    ).toEqual({ userId: 'auth0|u1', displayName: null, theme: null });
    expect(toProfileView({ user_metadata: { displayName: 42, theme: ['dark'] } }, 'auth0|u1')).toEqual({
      userId: 'auth0|u1',
      displayName: null,
      theme: null,
    });
    for (const metadata of [undefined, null, 'text', ['dark']]) {
      expect(toProfileView({ user_metadata: metadata }, 'auth0|u1')).toEqual({
        userId: 'auth0|u1',
        displayName: null,
        theme: null,
      });
    }
  });
});
