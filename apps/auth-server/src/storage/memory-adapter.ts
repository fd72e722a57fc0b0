import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  readonly payload: AdapterPayload;
  /** Epoch milliseconds; undefined keeps the entry until it is destroyed or evicted. */
  readonly expiresAt: number | undefined;
  /** The index entries pointing at this entry, removed with it. */
  readonly uid: string | undefined;
  readonly userCode: string | undefined;
  readonly grantId: string | undefined;
}

export interface MemoryAdapterOptions {
  /** Entries kept at most (sessions, interactions, codes, tokens, grants); the oldest written goes first. */
  readonly maxEntries?: number;
  /** Epoch milliseconds; injectable for tests. */
  readonly now?: () => number;
}

/** What the store holds: entries and the index entries (by uid, userCode, grantId) that point at them. */
export interface MemoryStoreSize {
  readonly entries: number;
  readonly uids: number;
  readonly userCodes: number;
  readonly grants: number;
}

/** Enough for a development server's users; a flood of new interactions evicts the oldest, not the process. */
export const DEFAULT_MAX_ENTRIES = 10_000;
/** Sweep expired entries every this many writes, so a long-running dev server does not grow. */
const SWEEP_EVERY = 500;

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * oidc-provider storage in this process's memory: sessions, codes and tokens are gone after a restart
 * (signing keys are not: they are files). One store per server, so servers in one test process are separate.
 * Bounded: past `maxEntries` the oldest written entry is evicted, and an index entry always goes with its entry
 * (destroyed, expired, revoked or evicted).
 * @returns the class to pass as oidc-provider's `adapter`; its static `size()` says what the store holds.
 */
export function createMemoryAdapter({
  maxEntries = DEFAULT_MAX_ENTRIES,
  now = Date.now,
}: MemoryAdapterOptions = {}) {
  const entries = new Map<string, Entry>();
  const byUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();
  const byGrant = new Map<string, Set<string>>();
  let writes = 0;

  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    if (entry.uid !== undefined && byUid.get(entry.uid) === key) byUid.delete(entry.uid);
    if (entry.userCode !== undefined && byUserCode.get(entry.userCode) === key)
      byUserCode.delete(entry.userCode);
    if (entry.grantId !== undefined) {
      const members = byGrant.get(entry.grantId);
      members?.delete(key);
      if (members?.size === 0) byGrant.delete(entry.grantId);
    }
  };
  const live = (key: string | undefined): Entry | undefined => {
    if (key === undefined) return undefined;
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      remove(key);
      return undefined;
    }
    return entry;
  };
  const sweep = () => {
    for (const key of [...entries.keys()]) live(key);
  };

  return class MemoryAdapter implements Adapter {
    static size(): MemoryStoreSize {
      return { entries: entries.size, uids: byUid.size, userCodes: byUserCode.size, grants: byGrant.size };
    }

    constructor(private readonly model: string) {}

    private key(id: string): string {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const key = this.key(id);
      // Removed first, so the entry counts as the newest and an old uid or grant no longer points at it.
      remove(key);
      const entry: Entry = {
        payload,
        expiresAt: expiresIn === undefined ? undefined : now() + expiresIn * 1000,
        // Only sessions are looked up by uid (other payloads may carry a session's uid).
        uid: this.model === 'Session' ? text(payload.uid) : undefined,
        userCode: text(payload.userCode),
        grantId: text(payload.grantId),
      };
      entries.set(key, entry);
      if (entry.uid !== undefined) byUid.set(entry.uid, key);
      if (entry.userCode !== undefined) byUserCode.set(entry.userCode, key);
      if (entry.grantId !== undefined) {
        const members = byGrant.get(entry.grantId) ?? new Set<string>();
        members.add(key);
        byGrant.set(entry.grantId, members);
      }
      writes += 1;
      if (writes % SWEEP_EVERY === 0) sweep();
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        remove(oldest);
      }
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return live(this.key(id))?.payload;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return live(byUid.get(uid))?.payload;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return live(byUserCode.get(userCode))?.payload;
    }

    async consume(id: string): Promise<void> {
      const entry = live(this.key(id));
      if (entry) entry.payload.consumed = Math.floor(now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      remove(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const key of [...(byGrant.get(grantId) ?? [])]) remove(key);
    }
  };
}
