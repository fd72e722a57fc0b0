/** One verified token: what the guard puts on the request, and when the verification stops holding. */
export interface VerifiedToken<T> {
  readonly value: T;
  readonly kid: string;
  /** Epoch ms from which jsonwebtoken would reject the token as expired (`exp` + clock tolerance). */
  readonly expiresAtMs: number;
}

/**
 * A small, bounded cache of tokens that passed every check, keyed by the whole token string, so the same token
 * is not verified again on each request. Entries end at `exp` (+ tolerance); when full, the oldest goes.
 * A token altered by one bit is another key and is verified from scratch.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, VerifiedToken<T>>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(token: string, nowMs: number = Date.now()): VerifiedToken<T> | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (nowMs >= entry.expiresAtMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry;
  }

  set(token: string, entry: VerifiedToken<T>): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, entry);
  }

  delete(token: string): void {
    this.entries.delete(token);
  }
}
