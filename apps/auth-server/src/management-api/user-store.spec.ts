import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@sample/contract';
import { makeDataDir } from '../testing/test-server';
import { UserStore, USERS_FILE, writeFileAtomically } from './user-store';

const READER = 'auth0|demo-reader';
const T0 = Date.UTC(2030, 0, 1, 10, 0, 0);

describe('UserStore', () => {
  let dataDir: string;
  let clock: number;
  const now = () => clock;

  beforeEach(async () => {
    dataDir = await makeDataDir();
    clock = T0;
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('starts every tenant user empty, created now, and writes that down', async () => {
    const store = await UserStore.open(dataDir, [READER], now);
    const empty = {
      created_at: new Date(T0).toISOString(),
      updated_at: new Date(T0).toISOString(),
      user_metadata: {},
      app_metadata: {},
    };
    expect(store.get(READER)).toEqual(empty);
    expect(store.get('auth0|nobody')).toBeUndefined();
    expect(JSON.parse(await readFile(join(dataDir, USERS_FILE), 'utf8'))).toEqual({
      users: { [READER]: empty },
    });
  });

  it('keeps changes across a reopen, with the time of the change, in a file only the owner reads', async () => {
    const store = await UserStore.open(dataDir, [READER], now);
    clock += 60_000;
    await store.update(READER, (user) => ({ ...user, user_metadata: { theme: 'dark' } }));
    const reopened = await UserStore.open(dataDir, [READER], () => T0 + 3_600_000);
    expect(reopened.get(READER)).toMatchObject({
      created_at: new Date(T0).toISOString(),
      updated_at: new Date(T0 + 60_000).toISOString(),
      user_metadata: { theme: 'dark' },
    });
    expect((await stat(join(dataDir, USERS_FILE))).mode & 0o777).toBe(0o600);
  });

  it('runs concurrent changes one after another, losing none', async () => {
    const store = await UserStore.open(dataDir, [READER], now);
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((key) =>
        store.update(READER, (user) => ({ ...user, user_metadata: { ...user.user_metadata, [key]: true } })),
      ),
    );
    const reopened = await UserStore.open(dataDir, [READER], now);
    expect(reopened.get(READER)?.user_metadata).toEqual({ a: true, b: true, c: true, d: true });
  });

  it('changes nothing when the change refuses', async () => {
    const store = await UserStore.open(dataDir, [READER], now);
    const refused = store.update(READER, () => {
      throw new Error('too big');
    });
    await expect(refused).rejects.toThrow('too big');
    await store.update(READER, (user) => ({ ...user, app_metadata: { plan: 'gold' } }));
    expect(store.get(READER)).toMatchObject({ user_metadata: {}, app_metadata: { plan: 'gold' } });
  });

  it.each([
    ['not JSON', '{"users": ', /it is not valid JSON/],
    ['not a users file', '[]', /it must hold \{"users": \{...\}\}/],
    [
      'a bad user',
      `{"users": {"${READER}": {"created_at": "x"}}}`,
      /users\["auth0\|demo-reader"\]\.created_at must be an ISO time/,
    ],
  ])('refuses to open a file that is %s, naming the file and the fix', async (_what, text, problem) => {
    const file = join(dataDir, USERS_FILE);
    await writeFile(file, text);
    const opening = UserStore.open(dataDir, [READER], now);
    await expect(opening).rejects.toBeInstanceOf(ConfigError);
    await expect(opening).rejects.toThrow(`Management API users file ${file} is invalid`);
    await expect(opening).rejects.toThrow(problem);
    await expect(opening).rejects.toThrow(
      'delete it to start over with empty user_metadata and app_metadata',
    );
  });

  it('refuses a data folder that is not one, naming AUTH_SERVER_DATA_DIR', async () => {
    const notAFolder = join(dataDir, 'file');
    await writeFile(notAFolder, '');
    await expect(UserStore.open(notAFolder, [READER], now)).rejects.toThrow(
      /cannot be read \(ENOTDIR\): set AUTH_SERVER_DATA_DIR to a writable folder/,
    );
  });
});

describe('writeFileAtomically', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await makeDataDir();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replaces the file whole and leaves no temporary file behind', async () => {
    const file = join(dir, 'data.json');
    await writeFile(file, 'old');
    await writeFileAtomically(file, dir, 'new', '1');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['data.json']);
  });

  it('keeps the old content and removes the temporary file when the rename fails', async () => {
    // A folder where the file should be: the rename fails after the temporary file was written.
    const target = join(dir, 'data.json');
    await mkdir(target);
    await expect(writeFileAtomically(target, dir, 'new', '1')).rejects.toThrow();
    expect((await stat(target)).isDirectory()).toBe(true);
    expect(await readdir(dir)).toEqual(['data.json']);
  });
});
