import { createMemoryAdapter } from './memory-adapter';

describe('createMemoryAdapter', () => {
  let time: number;
  const now = () => time;

  beforeEach(() => {
    time = Date.UTC(2030, 0, 1);
  });

  it('finds entries by id, session uid, user code, until they expire', async () => {
    const Adapter = createMemoryAdapter({ now });
    const sessions = new Adapter('Session');
    const devices = new Adapter('DeviceCode');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'a' }, 60);
    await devices.upsert('d1', { userCode: 'ABCD' }, 30);
    expect(await sessions.find('s1')).toMatchObject({ accountId: 'a' });
    expect(await sessions.findByUid('u1')).toMatchObject({ accountId: 'a' });
    expect(await devices.findByUserCode('ABCD')).toBeDefined();
    time += 30_000;
    expect(await devices.findByUserCode('ABCD')).toBeUndefined();
    expect(await sessions.findByUid('u1')).toBeDefined();
    time += 30_000;
    expect(await sessions.findByUid('u1')).toBeUndefined();
    expect(Adapter.size()).toEqual({ entries: 0, uids: 0, userCodes: 0, grants: 0 });
  });

  it('removes the index entries with what they index: destroyed, revoked or re-written', async () => {
    const Adapter = createMemoryAdapter({ now });
    const sessions = new Adapter('Session');
    const codes = new Adapter('AuthorizationCode');
    const refresh = new Adapter('RefreshToken');
    await sessions.upsert('s1', { uid: 'u1' }, 60);
    await sessions.upsert('s1', { uid: 'u2' }, 60);
    expect(await sessions.findByUid('u1')).toBeUndefined();
    expect(Adapter.size()).toMatchObject({ entries: 1, uids: 1 });
    await sessions.destroy('s1');
    expect(await sessions.findByUid('u2')).toBeUndefined();

    await codes.upsert('c1', { grantId: 'g1' }, 60);
    await refresh.upsert('r1', { grantId: 'g1' }, 60);
    await codes.upsert('c2', { grantId: 'g2' }, 60);
    await codes.destroy('c2');
    expect(Adapter.size()).toEqual({ entries: 2, uids: 0, userCodes: 0, grants: 1 });
    await refresh.revokeByGrantId('g1');
    expect(await codes.find('c1')).toBeUndefined();
    expect(await refresh.find('r1')).toBeUndefined();
    expect(Adapter.size()).toEqual({ entries: 0, uids: 0, userCodes: 0, grants: 0 });
  });

  it('holds at most maxEntries, evicting the oldest written with its index entries', async () => {
    const Adapter = createMemoryAdapter({ now, maxEntries: 3 });
    const sessions = new Adapter('Session');
    const codes = new Adapter('AuthorizationCode');
    await sessions.upsert('s1', { uid: 'u1' }, 60);
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    await sessions.upsert('s2', { uid: 'u2' }, 60);
    // Written again: now the newest, so c1 is the oldest.
    await sessions.upsert('s1', { uid: 'u1' }, 60);
    await sessions.upsert('s3', { uid: 'u3' }, 60);
    expect(await codes.find('c1')).toBeUndefined();
    expect(await sessions.findByUid('u1')).toBeDefined();
    await sessions.upsert('s4', { uid: 'u4' }, 60);
    expect(await sessions.findByUid('u2')).toBeUndefined();
    expect(Adapter.size()).toEqual({ entries: 3, uids: 3, userCodes: 0, grants: 0 });
  });

  it('drops expired entries on a sweep, unread ones too', async () => {
    const Adapter = createMemoryAdapter({ now });
    const interactions = new Adapter('Interaction');
    await interactions.upsert('gone', { uid: 'ignored', grantId: 'g' }, 1);
    time += 1000;
    for (let i = 0; i < 499; i += 1) await interactions.upsert(`i${i}`, {}, 3600);
    expect(Adapter.size()).toEqual({ entries: 499, uids: 0, userCodes: 0, grants: 0 });
  });

  it('marks a consumed entry with the time', async () => {
    const Adapter = createMemoryAdapter({ now });
    const codes = new Adapter('AuthorizationCode');
    await codes.upsert('c1', {}, 60);
    await codes.consume('c1');
    expect(await codes.find('c1')).toEqual({ consumed: time / 1000 });
  });
});
