import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JwksClient, JwksError, SigningKeyNotFoundError, type SigningKey } from 'jwks-rsa';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { API_SETTINGS, type ApiSettings } from '../config/api-settings';
import { CLOCK, type Clock } from '../config/config.module';
import { TokenRefusedError } from './bearer-token';

/** What the key provider reads of the settings. */
export type KeyProviderSettings = Pick<
  ApiSettings,
  'jwksUri' | 'jwksCooldownMs' | 'jwksTimeoutMs' | 'jwksMaxAgeMs'
>;

/** The key set as readiness and the diagnosis see it. */
export interface JwksStatus {
  /** JWKS requests made so far by this process. */
  readonly fetches: number;
  readonly kids: readonly string[];
  /** Time since the last successful fetch, in ms; null before the first one. */
  readonly ageMs: number | null;
  /** Why the latest fetch failed; null when it succeeded (or none was made). */
  readonly lastFailure: string | null;
}

interface CachedKey {
  readonly key: KeyObject;
  /** The JWK's `alg`, when it names one: the token must then use exactly that algorithm. */
  readonly alg: string | undefined;
}

/** After a failed fetch, the next one may come sooner than the cooldown (an issuer that was still starting). */
const RETRY_AFTER_FAILURE_MS = 1_000;

/** Why a fetch failed, in a few words; by name and fields, as fetch() rejects with errors of another realm under Jest. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof JwksError) return error.message;
  if (typeof error !== 'object' || error === null) return 'request failed';
  if ('name' in error && error.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  // fetch() rejects with "fetch failed" and the network error (ECONNREFUSED, ENOTFOUND, ...) as its cause.
  const cause = 'cause' in error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  if (typeof code === 'string') return code;
  return 'message' in error && typeof error.message === 'string'
    ? error.message.slice(0, 200)
    : 'request failed';
}

/**
 * The issuer's signing keys. jwks-rsa fetches the JWKS (through `fetcher`, which adds the deadline), keeps the
 * signing keys and turns each JWK into a public key; this class keeps the whole set as KeyObjects (no PEM parsed
 * per request) and adds what jwks-rsa lacks: one fetch in flight shared by every caller, at most one refetch per
 * cooldown for unknown kids (callers in between fail at once), cached keys kept through an outage, a background
 * refetch once the set is older than the max age (so withdrawn keys stop verifying), a fetch at start-up, and a
 * clock tests can move. (jwks-rsa's cache is per kid: it cannot drop a key the issuer withdrew, and it fetches once
 * per unknown kid; its rate limiter runs on the wall clock.)
 */
@Injectable()
export class JwksKeyProvider implements OnApplicationBootstrap {
  private readonly logger = new Logger(JwksKeyProvider.name);
  private readonly client: JwksClient;
  private keys = new Map<string, CachedKey>();
  private inFlight: Promise<void> | null = null;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private lastSuccessAt: number | null = null;
  private lastFailure: string | null = null;
  private fetches = 0;

  constructor(
    @Inject(API_SETTINGS) private readonly settings: KeyProviderSettings,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.client = new JwksClient({
      jwksUri: settings.jwksUri,
      cache: false,
      fetcher: async (uri) => {
        const response = await fetch(uri, { signal: AbortSignal.timeout(settings.jwksTimeoutMs) });
        if (!response.ok) throw new JwksError(`HTTP ${response.status}`);
        const body: unknown = await response.json();
        return { keys: typeof body === 'object' && body !== null && 'keys' in body ? body.keys : undefined };
      },
    });
  }

  /** Fetches the keys once at start-up, so the first request does not wait; a failure is only logged. */
  onApplicationBootstrap(): void {
    void this.refresh();
  }

  /** True if `kid` is in the current key set (a cached verification holds only while its key does). */
  hasKey(kid: string): boolean {
    return this.keys.has(kid);
  }

  /**
   * The public key for a token's `kid` and `alg`: from the set, or after one refetch when the kid is unknown.
   * @throws SigningKeyNotFoundError (jwks-rsa) for an unknown kid; TokenRefusedError when the JWK is for another alg.
   */
  async getKey(kid: string, alg: string): Promise<KeyObject> {
    const { jwksCooldownMs: cooldown } = this.settings;
    let entry = this.keys.get(kid);
    if (entry === undefined) {
      await this.refresh(this.lastFailure === null ? cooldown : Math.min(RETRY_AFTER_FAILURE_MS, cooldown));
      entry = this.keys.get(kid);
    } else {
      this.refreshIfStale();
    }
    if (entry === undefined) throw new SigningKeyNotFoundError(`No key with kid ${JSON.stringify(kid)}`);
    if (entry.alg !== undefined && entry.alg !== alg) throw new TokenRefusedError('key_algorithm', entry.alg);
    return entry.key;
  }

  /**
   * Starts a refetch in the background when the key set is older than the max age, so keys the issuer withdrew stop
   * verifying; at most one attempt per max age (or cooldown, if shorter). The caller goes on with the cached set,
   * which is kept if the fetch fails. Called on every verification, from the key lookup and the verified-token cache.
   */
  refreshIfStale(): void {
    const { jwksCooldownMs: cooldown, jwksMaxAgeMs: maxAge } = this.settings;
    if (this.lastSuccessAt !== null && this.now() - this.lastSuccessAt > maxAge) {
      void this.refresh(Math.min(cooldown, maxAge));
    }
  }

  /**
   * Refetches the JWKS unless a fetch is in flight (then shares it) or the last attempt is younger than `minAgeMs`.
   * Never rejects: the outcome is in status().
   */
  async refresh(minAgeMs = 0): Promise<JwksStatus> {
    if (this.inFlight === null && this.now() - this.lastAttemptAt >= minAgeMs) {
      this.inFlight = this.fetchKeys().finally(() => {
        this.inFlight = null;
      });
    }
    if (this.inFlight !== null) await this.inFlight;
    return this.status();
  }

  status(): JwksStatus {
    return {
      fetches: this.fetches,
      kids: [...this.keys.keys()],
      ageMs: this.lastSuccessAt === null ? null : this.now() - this.lastSuccessAt,
      lastFailure: this.lastFailure,
    };
  }

  private async fetchKeys(): Promise<void> {
    this.fetches += 1;
    this.lastAttemptAt = this.now();
    try {
      const next = new Map<string, CachedKey>();
      for (const signingKey of await this.client.getSigningKeys()) {
        // jwks-rsa's typings promise kid and alg; a JWK may lack either.
        const { kid, alg }: Partial<Pick<SigningKey, 'kid' | 'alg'>> = signingKey;
        if (kid !== undefined) next.set(kid, { key: createPublicKey(signingKey.getPublicKey()), alg });
      }
      if (next.size === 0)
        throw new JwksError('The JWKS endpoint did not contain any signing key with a kid');
      const added = [...next.keys()].filter((kid) => !this.keys.has(kid));
      const removed = [...this.keys.keys()].filter((kid) => !next.has(kid));
      this.keys = next;
      this.lastSuccessAt = this.now();
      this.lastFailure = null;
      if (added.length > 0 || removed.length > 0) {
        this.logger.log(
          `JWKS fetched: ${next.size} key(s); added ${JSON.stringify(added)}, removed ${JSON.stringify(removed)}`,
        );
      }
    } catch (error) {
      this.lastFailure = describeFailure(error, this.settings.jwksTimeoutMs);
      this.logger.warn(
        `JWKS fetch from ${this.settings.jwksUri} failed (${this.lastFailure}); ${this.keys.size} cached key(s) still in use`,
      );
    }
  }
}
