/** Options of a DpopReplayCache. */
export interface DpopReplayCacheOptions {
  /** Most proofs remembered at once; past it the oldest is forgotten early (and counted in `evictedEarly`). */
  readonly maxEntries: number;
}

/**
 * The proofs (key thumbprint and `jti`) seen within their acceptance window, so each is accepted once
 * (RFC 9449 section 11.1). Bounded by count and by time: an entry ends when its proof's `iat` leaves the window,
 * since the `iat` check refuses it from then on. Per process: instances behind one load balancer need a shared
 * store, or a proof replayed to another instance is accepted there.
 */
export class DpopReplayCache {
  private readonly entries = new Map<string, number>();
  private evicted = 0;

  constructor(private readonly options: DpopReplayCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError(
        `DpopReplayCache maxEntries must be a whole number >= 1 (got ${options.maxEntries})`,
      );
    }
  }

  /** Proofs remembered now. */
  get size(): number {
    return this.entries.size;
  }

  /** Proofs forgotten before their window ended because the cache was full: a replay of those would pass. */
  get evictedEarly(): number {
    return this.evicted;
  }

  /**
   * Remembers a proof until `expiresAtMs`.
   * @returns false when the same id is already remembered (a replay), true when it is new.
   */
  remember(id: string, expiresAtMs: number, nowMs: number): boolean {
    const seen = this.entries.get(id);
    if (seen !== undefined && seen > nowMs) return false;
    this.entries.delete(id);
    this.dropExpired(nowMs);
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) {
        this.entries.delete(oldest);
        this.evicted += 1;
      }
    }
    this.entries.set(id, expiresAtMs);
    return true;
  }

  /** Drops expired entries from the oldest end; entries are roughly in expiry order, so this stops early. */
  private dropExpired(nowMs: number): void {
    for (const [id, expiresAtMs] of this.entries) {
      if (expiresAtMs > nowMs) return;
      this.entries.delete(id);
    }
  }
}
