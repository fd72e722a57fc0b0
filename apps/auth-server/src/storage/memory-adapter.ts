import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  readonly payload: AdapterPayload;
  /** Epoch milliseconds; undefined keeps the entry until it is destroyed. */
  readonly expiresAt: number | undefined;
}

/** Sweep expired entries every this many writes, so a long-running dev server does not grow. */
const SWEEP_EVERY = 500;

/**
 * oidc-provider storage in this process's memory: sessions, codes and tokens are gone after a restart
 * (signing keys are not: they are files). One store per server, so servers in one test process are separate.
 * @returns the class to pass as oidc-provider's `adapter`.
 */
export function createMemoryAdapter() {
  const entries = new Map<string, Entry>();
  const byGrant = new Map<string, Set<string>>();
  let writes = 0;

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = () => {
    for (const key of entries.keys()) live(key);
  };

  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}

    private key(id: string): string {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const key = this.key(id);
      entries.set(key, {
        payload,
        expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn * 1000,
      });
      if (typeof payload.uid === 'string')
        entries.set(`sessionUid:${payload.uid}`, { payload: { id }, expiresAt: undefined });
      if (typeof payload.userCode === 'string')
        entries.set(`userCode:${payload.userCode}`, { payload: { id }, expiresAt: undefined });
      if (typeof payload.grantId === 'string') {
        const members = byGrant.get(payload.grantId) ?? new Set<string>();
        members.add(key);
        byGrant.set(payload.grantId, members);
      }
      writes += 1;
      if (writes % SWEEP_EVERY === 0) sweep();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return live(this.key(id))?.payload;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = live(`sessionUid:${uid}`)?.payload['id'];
      return typeof id === 'string' ? this.find(id) : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const id = live(`userCode:${userCode}`)?.payload['id'];
      return typeof id === 'string' ? this.find(id) : undefined;
    }

    async consume(id: string): Promise<void> {
      const entry = live(this.key(id));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      entries.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const key of byGrant.get(grantId) ?? []) entries.delete(key);
      byGrant.delete(grantId);
    }
  };
}
