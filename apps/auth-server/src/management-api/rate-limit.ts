/** A token bucket: `capacity` requests at once, refilled at `refillPerSecond`. */
export interface RateLimitOptions {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/**
 * The Management API's limit per caller (token subject). Auth0 limits a tenant's Management API to a few requests
 * per second with bursts; these figures keep that shape while leaving room for parallel e2e runs.
 */
export const DEFAULT_MANAGEMENT_RATE_LIMIT: RateLimitOptions = { capacity: 50, refillPerSecond: 10 };

/** At most this many callers are tracked; full buckets are forgotten first. */
const MAX_TRACKED = 10_000;

/** The outcome of one request, with Auth0's rate-limit headers. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** `x-ratelimit-limit`, `x-ratelimit-remaining`, `x-ratelimit-reset` and, when refused, `retry-after`. */
  readonly headers: Readonly<Record<string, string>>;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Per-caller token buckets on an injected clock. `x-ratelimit-reset` is when the caller's bucket is full again
 * (epoch seconds, as Auth0 sends it); a refused request gets `retry-after` in seconds.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: RateLimitOptions = DEFAULT_MANAGEMENT_RATE_LIMIT,
    /** Epoch milliseconds. */
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from the caller's bucket, if there is one left. */
  take(key: string): RateLimitDecision {
    const { capacity, refillPerSecond } = this.options;
    const now = this.now();
    const bucket = this.refilled(key, now);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    this.bound();
    const fullInMs = ((capacity - bucket.tokens) / refillPerSecond) * 1000;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(capacity),
      'x-ratelimit-remaining': String(Math.floor(bucket.tokens)),
      'x-ratelimit-reset': String(Math.ceil((now + fullInMs) / 1000)),
    };
    if (!allowed)
      headers['retry-after'] = String(Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond)));
    return { allowed, headers };
  }

  private refilled(key: string, now: number): Bucket {
    const { capacity, refillPerSecond } = this.options;
    const bucket = this.buckets.get(key);
    if (!bucket) return { tokens: capacity, at: now };
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    return { tokens: Math.min(capacity, bucket.tokens + elapsed * refillPerSecond), at: now };
  }

  /** Forgets the least recently seen callers beyond MAX_TRACKED (their buckets have refilled the longest). */
  private bound(): void {
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= MAX_TRACKED) return;
      this.buckets.delete(key);
    }
  }
}
