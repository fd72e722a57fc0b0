import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import { API_SETTINGS, type ApiSettings } from '../config/api-settings';
import { AuthProblemException } from './auth-problem.exception';
import type { InspectedToken } from './token-classifier';

/** What the key provider needs to know of the configuration. */
export type KeyProviderSettings = Pick<
  ApiSettings,
  'jwksUri' | 'issuerUrl' | 'jwksCooldownMs' | 'jwksTimeoutMs' | 'jwksMaxAgeMs'
>;

/** What is known of a cached key without its material: enough to tell which algorithms it verifies. */
export interface CachedKeyInfo {
  readonly kid: string;
  readonly kty: 'RSA' | 'EC' | string;
  readonly alg?: string;
  /** The JWK curve name of an EC key (P-256, P-384, P-521). */
  readonly crv?: string;
}

/** The JWKS cache as readiness and tests see it. */
export interface JwksStatus {
  /** JWKS requests made so far by this process. */
  readonly fetches: number;
  readonly kids: readonly string[];
  readonly keys: readonly CachedKeyInfo[];
  readonly lastSuccessAt: number | null;
  /** Why the latest fetch failed; null when it succeeded (or none was made). */
  readonly lastFailure: string | null;
}

interface CachedKey {
  readonly key: KeyObject;
  /** The JWK's `alg`, when it names one: the token must then use exactly that algorithm. */
  readonly alg: string | undefined;
}

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

function describeKey(kid: string, { key, alg }: CachedKey): CachedKeyInfo {
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return {
    kid,
    kty: type === 'rsa' || type === 'rsa-pss' ? 'RSA' : type === 'ec' ? 'EC' : String(type),
    ...(alg !== undefined && { alg }),
    ...(curve !== undefined && { crv: CURVES[curve] ?? curve }),
  };
}

/** After a failed fetch, the next one may come sooner than the cooldown (an issuer that was still starting). */
const RETRY_AFTER_FAILURE_MS = 1_000;

class JwksTimeoutError extends Error {}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JwksTimeoutError(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function describeFailure(error: unknown): string {
  if (error instanceof JwksTimeoutError) return error.message;
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code === 'string') return code;
    if (typeof message === 'string' && message !== '') return message.slice(0, 200);
  }
  return 'request failed';
}

/**
 * The signing keys of the issuer, fetched with one jwks-rsa JwksClient and kept as parsed KeyObjects (so no
 * PEM is parsed per request). An unknown `kid` causes at most one refetch per cooldown, with a single fetch
 * in flight that concurrent requests share; past that, lookups fail at once instead of queueing (jwks-rsa's
 * own rate limiter queues them, and its budget is shared by an attacker's random kids and a real rotation).
 * When the JWKS is unreachable, the keys already cached keep working.
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

  constructor(@Inject(API_SETTINGS) private readonly settings: KeyProviderSettings) {
    // jwks-rsa's per-kid cache and queueing rate limiter are off: this class caches the whole set and limits fetches.
    this.client = new JwksClient({
      jwksUri: settings.jwksUri,
      timeout: settings.jwksTimeoutMs,
      cache: false,
      rateLimit: false,
    });
  }

  /** Fetches the keys once at start-up, so the first request does not wait; a failure is only logged. */
  onApplicationBootstrap(): void {
    void this.refresh();
  }

  /** True if `kid` is in the cached key set (a cached verification stays valid only while its key is). */
  hasKey(kid: string): boolean {
    return this.keys.has(kid);
  }

  /**
   * The public key for a token, from the cache or after one refetch.
   * @throws AuthProblemException `unknown_signing_key`, or `algorithm_not_allowed` when the JWK is for another alg.
   */
  async getKey(token: InspectedToken): Promise<KeyObject> {
    const { kid, alg } = token.header;
    let entry = this.keys.get(kid);
    // A key set older than the max age is refetched in the background, so a key the issuer withdrew stops being
    // trusted; this request goes on with the cached keys (and they stay if that fetch fails).
    if (
      entry !== undefined &&
      this.lastSuccessAt !== null &&
      Date.now() - this.lastSuccessAt > this.settings.jwksMaxAgeMs
    ) {
      void this.refresh(this.settings.jwksCooldownMs);
    }
    if (entry === undefined) {
      await this.refreshForUnknownKid();
      entry = this.keys.get(kid);
    }
    if (entry === undefined) throw this.unknownKey(token);
    if (entry.alg !== undefined && entry.alg !== alg) {
      throw new AuthProblemException(
        'algorithm_not_allowed',
        `The issuer's key ${JSON.stringify(kid)} is for ${entry.alg}, but the token says ${JSON.stringify(alg)}.`,
        { expected: entry.alg, received: alg },
      );
    }
    return entry.key;
  }

  /**
   * Refetches the JWKS unless a fetch is in flight (then shares it) or the last attempt is younger than
   * `maxAgeMs`. Never rejects: the outcome is in status().
   */
  async refresh(maxAgeMs = 0): Promise<JwksStatus> {
    if (this.inFlight === null && Date.now() - this.lastAttemptAt >= maxAgeMs) {
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
      keys: [...this.keys].map(([kid, entry]) => describeKey(kid, entry)),
      lastSuccessAt: this.lastSuccessAt,
      lastFailure: this.lastFailure,
    };
  }

  private async refreshForUnknownKid(): Promise<void> {
    const wait =
      this.lastFailure === null
        ? this.settings.jwksCooldownMs
        : Math.min(RETRY_AFTER_FAILURE_MS, this.settings.jwksCooldownMs);
    await this.refresh(wait);
  }

  private async fetchKeys(): Promise<void> {
    this.fetches += 1;
    this.lastAttemptAt = Date.now();
    try {
      const signingKeys = await withDeadline(this.client.getSigningKeys(), this.settings.jwksTimeoutMs);
      const next = new Map<string, CachedKey>();
      for (const signingKey of signingKeys) {
        const kid = (signingKey as { kid?: string }).kid;
        if (kid === undefined) continue;
        next.set(kid, {
          key: createPublicKey(signingKey.getPublicKey()),
          alg: (signingKey as { alg?: string }).alg,
        });
      }
      if (next.size === 0) throw new Error('the JWKS has no signing key with a kid');
      const removed = [...this.keys.keys()].filter((kid) => !next.has(kid));
      const added = [...next.keys()].filter((kid) => !this.keys.has(kid));
      this.keys = next;
      this.lastSuccessAt = Date.now();
      this.lastFailure = null;
      if (added.length > 0 || removed.length > 0) {
        this.logger.log(
          `JWKS fetched: ${next.size} key(s); added ${JSON.stringify(added)}, removed ${JSON.stringify(removed)}`,
        );
      }
    } catch (error) {
      this.lastFailure = describeFailure(error);
      this.logger.warn(
        `JWKS fetch from ${this.settings.jwksUri} failed (${this.lastFailure}); ${this.keys.size} cached key(s) still in use`,
      );
    }
  }

  private unknownKey(token: InspectedToken): AuthProblemException {
    const { kid } = token.header;
    const known = [...this.keys.keys()];
    let detail = `No key with kid ${JSON.stringify(kid)} in the issuer's JWKS (${this.settings.jwksUri}`;
    detail +=
      known.length > 0
        ? `, which has ${known
            .slice(0, 5)
            .map((k) => JSON.stringify(k))
            .join(', ')}${known.length > 5 ? ', ...' : ''}).`
        : ', no key cached).';
    const iss = token.claims.iss;
    if (typeof iss === 'string' && iss !== this.settings.issuerUrl) {
      detail += ` The token says it comes from ${JSON.stringify(iss)}, but this API trusts ${JSON.stringify(this.settings.issuerUrl)}: a token from another tenant?`;
    }
    if (this.lastFailure !== null) {
      detail += ` The JWKS could not be fetched (${this.lastFailure}); keys cached before still work.`;
    } else if (this.lastSuccessAt !== null) {
      detail += ` The JWKS was fetched ${Math.round((Date.now() - this.lastSuccessAt) / 1000)} s ago; an unknown kid refetches it at most every ${this.settings.jwksCooldownMs / 1000} s.`;
    }
    return new AuthProblemException('unknown_signing_key', detail, { received: kid });
  }
}
