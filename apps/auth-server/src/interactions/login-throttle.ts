/** At most `failures` failed logins within `windowMs`; the next one waits until the oldest leaves the window. */
export interface ThrottleLimit {
  readonly failures: number;
  readonly windowMs: number;
}

export interface LoginThrottleOptions {
  /** Per account (the email as typed, known or not): 5 failures per 15 minutes by default. */
  readonly perAccount?: ThrottleLimit;
  /** Per client address: 20 failures per 15 minutes by default (people share addresses). */
  readonly perClient?: ThrottleLimit;
  /** Accounts and addresses remembered at most; the least recently failed are forgotten first. */
  readonly maxTracked?: number;
  /** Epoch milliseconds; injectable for tests. */
  readonly now?: () => number;
}

/** Why and until when a login is refused without checking the password. */
export interface LoginBlock {
  readonly by: 'account' | 'client';
  /** Epoch milliseconds when a login may be tried again. */
  readonly until: number;
}

const MINUTE = 60_000;
export const DEFAULT_PER_ACCOUNT: ThrottleLimit = { failures: 5, windowMs: 15 * MINUTE };
export const DEFAULT_PER_CLIENT: ThrottleLimit = { failures: 20, windowMs: 15 * MINUTE };
const DEFAULT_MAX_TRACKED = 10_000;

/**
 * Counts failed logins per account and per client address in memory, in a sliding window, so passwords cannot be
 * guessed at speed. Bounded: past `maxTracked` keys the least recently failed one is dropped.
 * @example if (throttle.blocked(email, ip)) answer 429; else check the password and record the outcome.
 */
export class LoginThrottle {
  private readonly perAccount: ThrottleLimit;
  private readonly perClient: ThrottleLimit;
  private readonly maxTracked: number;
  private readonly now: () => number;
  /** `account:<email>` or `client:<address>` -> times of the latest failures, oldest first. */
  private readonly failures = new Map<string, number[]>();

  constructor(options: LoginThrottleOptions = {}) {
    this.perAccount = options.perAccount ?? DEFAULT_PER_ACCOUNT;
    this.perClient = options.perClient ?? DEFAULT_PER_CLIENT;
    this.maxTracked = options.maxTracked ?? DEFAULT_MAX_TRACKED;
    this.now = options.now ?? Date.now;
  }

  /** Accounts and addresses currently remembered. */
  get size(): number {
    return this.failures.size;
  }

  /** The block on this login, or undefined when the password may be checked. */
  blocked(account: string, client: string): LoginBlock | undefined {
    const now = this.now();
    const blocks = [
      { by: 'account' as const, until: this.blockedUntil(accountKey(account), this.perAccount, now) },
      { by: 'client' as const, until: this.blockedUntil(clientKey(client), this.perClient, now) },
    ].filter((block): block is LoginBlock => block.until !== undefined);
    return blocks.sort((a, b) => b.until - a.until)[0];
  }

  recordFailure(account: string, client: string): void {
    const now = this.now();
    this.add(accountKey(account), this.perAccount, now);
    this.add(clientKey(client), this.perClient, now);
  }

  /** The account's failures are forgotten; the address's are not (one good password must not open the rest). */
  recordSuccess(account: string): void {
    this.failures.delete(accountKey(account));
  }

  private recent(key: string, limit: ThrottleLimit, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((time) => time > now - limit.windowMs);
    if (times.length === 0) this.failures.delete(key);
    return times;
  }

  private blockedUntil(key: string, limit: ThrottleLimit, now: number): number | undefined {
    const times = this.recent(key, limit, now);
    const oldest = times[times.length - limit.failures];
    return times.length >= limit.failures && oldest !== undefined ? oldest + limit.windowMs : undefined;
  }

  private add(key: string, limit: ThrottleLimit, now: number): void {
    const times = [...this.recent(key, limit, now), now].slice(-limit.failures);
    // Re-inserted so the Map's order is least recently failed first.
    this.failures.delete(key);
    this.failures.set(key, times);
    for (const stale of this.failures.keys()) {
      if (this.failures.size <= this.maxTracked) break;
      this.failures.delete(stale);
    }
  }
}

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const clientKey = (address: string) => `client:${address.replace(/^::ffff:/, '')}`;

/** "Try again in 14 minutes (at 10:45:00 UTC)." */
export function retryText(block: LoginBlock, now: number): string {
  const seconds = Math.max(1, Math.ceil((block.until - now) / 1000));
  const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return `Try again in ${wait} (at ${new Date(block.until).toISOString().slice(11, 19)} UTC).`;
}
