import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@sample/contract';
import { METADATA_MAX_BYTES, type Metadata } from './metadata';

/** File in the data folder holding what the Management API changed about each user. */
export const USERS_FILE = 'management-users.json';

/** Largest users file read at start: far more than the tenant's users can fill with 16 KB of metadata each. */
export const USERS_FILE_MAX_BYTES = 16 * 1024 * 1024;

/** What the Management API keeps about a user beyond the tenant file. */
export interface StoredUser {
  /** ISO time the server first saw the user. */
  readonly created_at: string;
  /** ISO time of the last change. */
  readonly updated_at: string;
  readonly user_metadata: Metadata;
  readonly app_metadata: Metadata;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why a stored user is unusable, or undefined. */
function userProblem(sub: string, value: unknown): string | undefined {
  if (!isObject(value)) return `users[${JSON.stringify(sub)}] must be an object`;
  for (const field of ['created_at', 'updated_at'] as const) {
    const time = value[field];
    if (typeof time !== 'string' || Number.isNaN(Date.parse(time)))
      return `users[${JSON.stringify(sub)}].${field} must be an ISO time`;
  }
  for (const field of ['user_metadata', 'app_metadata'] as const) {
    const metadata = value[field];
    if (!isObject(metadata)) return `users[${JSON.stringify(sub)}].${field} must be an object`;
    if (Buffer.byteLength(JSON.stringify(metadata), 'utf8') > METADATA_MAX_BYTES)
      return `users[${JSON.stringify(sub)}].${field} is larger than ${METADATA_MAX_BYTES} bytes`;
  }
  return undefined;
}

function fileProblem(file: string, message: string): ConfigError {
  return new ConfigError(`Management API users file ${file}`, [
    {
      key: 'AUTH_SERVER_DATA_DIR',
      message: `${message}: fix the file, or delete it to start over with empty user_metadata and app_metadata`,
    },
  ]);
}

/** The data folder itself is unusable: the setting to change. */
function dataFolderProblem(file: string, action: 'read' | 'written', error: unknown): ConfigError {
  const { code, message } = error as NodeJS.ErrnoException;
  return new ConfigError('Auth server data folder', [
    {
      key: 'AUTH_SERVER_DATA_DIR',
      message: `${file} cannot be ${action} (${code ?? message}): set AUTH_SERVER_DATA_DIR to a writable folder (default apps/auth-server/.data)`,
    },
  ]);
}

async function readUsers(file: string): Promise<Map<string, StoredUser>> {
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > USERS_FILE_MAX_BYTES)
      throw fileProblem(file, `it is ${size} bytes, more than the ${USERS_FILE_MAX_BYTES} a tenant can fill`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw dataFolderProblem(file, 'read', error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fileProblem(file, `it is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(json) || !isObject(json['users'])) throw fileProblem(file, 'it must hold {"users": {...}}');
  const problems = Object.entries(json['users'])
    .map(([sub, value]) => userProblem(sub, value))
    .filter((problem) => problem !== undefined);
  if (problems.length > 0) throw fileProblem(file, problems.join('; '));
  return new Map(Object.entries(json['users'] as Record<string, StoredUser>));
}

/**
 * Writes a file so that a crash leaves the old or the new content, never half of it: a temporary file in the
 * same folder, flushed to disk, then renamed over the target (and the folder flushed, so the rename lasts).
 */
export async function writeFileAtomically(
  file: string,
  dir: string,
  text: string,
  tag: string,
): Promise<void> {
  const temporary = `${file}.${process.pid}.${tag}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } catch {
    // Some file systems cannot flush a folder; the rename itself is still atomic.
  } finally {
    await folder.close();
  }
}

/**
 * The users' `user_metadata` and `app_metadata`, kept in the data folder so they survive a restart. Changes are
 * written one at a time, atomically; memory changes only once the file is written.
 */
export class UserStore {
  private queue: Promise<unknown> = Promise.resolve();
  private writes = 0;

  private constructor(
    private readonly dataDir: string,
    private readonly users: Map<string, StoredUser>,
    private readonly now: () => number,
  ) {}

  /** The file this store keeps its users in. */
  get file(): string {
    return join(this.dataDir, USERS_FILE);
  }

  /**
   * Reads the users file (none yet: every user starts empty) and records a creation time for each tenant user
   * seen for the first time.
   * @throws ConfigError naming the file and the fix when it is unreadable, not JSON or not a users file.
   */
  static async open(dataDir: string, subjects: readonly string[], now: () => number): Promise<UserStore> {
    const users = await readUsers(join(dataDir, USERS_FILE));
    const store = new UserStore(dataDir, users, now);
    const time = new Date(now()).toISOString();
    const added = subjects.filter((sub) => !users.has(sub));
    if (added.length > 0) {
      const next = new Map(users);
      for (const sub of added)
        next.set(sub, { created_at: time, updated_at: time, user_metadata: {}, app_metadata: {} });
      try {
        await store.save(next);
      } catch (error) {
        throw dataFolderProblem(store.file, 'written', error);
      }
    }
    return store;
  }

  /** The stored part of a user, if the user is known. */
  get(sub: string): StoredUser | undefined {
    return this.users.get(sub);
  }

  /**
   * Changes a known user and writes the file; changes run one after another.
   * @param change Returns the new metadata; it may throw to refuse the change (nothing is written then).
   */
  update(
    sub: string,
    change: (user: StoredUser) => Pick<StoredUser, 'user_metadata' | 'app_metadata'>,
  ): Promise<StoredUser> {
    const run = this.queue.then(async () => {
      const current = this.users.get(sub);
      if (!current) throw new Error(`no stored user ${sub}`);
      const updated: StoredUser = {
        ...current,
        ...change(current),
        updated_at: new Date(this.now()).toISOString(),
      };
      const next = new Map(this.users);
      next.set(sub, updated);
      await this.save(next);
      return updated;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async save(next: Map<string, StoredUser>): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    this.writes += 1;
    const text = `${JSON.stringify({ users: Object.fromEntries(next) }, null, 2)}\n`;
    await writeFileAtomically(this.file, this.dataDir, text, String(this.writes));
    for (const [sub, user] of next) this.users.set(sub, user);
  }
}
