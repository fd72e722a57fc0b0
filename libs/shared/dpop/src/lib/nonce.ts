import { base64url } from 'jose';

/** Options of DpopNonces. */
export interface DpopNoncesOptions {
  /** The HMAC key: at least 32 random bytes, the same on every instance that must accept the others' nonces. */
  readonly secret: Uint8Array;
  /** Length of one time step in seconds; a nonce is accepted during its step and the next one. */
  readonly stepSeconds: number;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}

/** Shortest accepted secret, in bytes. */
export const MIN_NONCE_SECRET_BYTES = 32;

/**
 * Stateless server nonces (RFC 9449 section 8): `<step>.<HMAC-SHA-256(secret, step)>`, where step is the current
 * time step. Nothing is stored; a nonce is valid during its step and the next, so it lives one to two steps.
 * @example const nonces = new DpopNonces({ secret, stepSeconds: 300, now: Date.now }); res.set('DPoP-Nonce', await nonces.current());
 */
export class DpopNonces {
  // The type of WebCrypto's key, which both the DOM and Node's typings declare.
  private readonly key: ReturnType<typeof crypto.subtle.importKey>;

  constructor(private readonly options: DpopNoncesOptions) {
    if (options.secret.byteLength < MIN_NONCE_SECRET_BYTES) {
      throw new RangeError(
        `DpopNonces secret must be at least ${MIN_NONCE_SECRET_BYTES} bytes (got ${options.secret.byteLength})`,
      );
    }
    if (!Number.isInteger(options.stepSeconds) || options.stepSeconds < 1) {
      throw new RangeError(`DpopNonces stepSeconds must be a whole number >= 1 (got ${options.stepSeconds})`);
    }
    this.key = crypto.subtle.importKey(
      'raw',
      options.secret.slice(),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
  }

  /** The nonce of the current time step. */
  async current(): Promise<string> {
    const step = this.step();
    const mac = await crypto.subtle.sign('HMAC', await this.key, this.input(step));
    return `${step.toString(36)}.${base64url.encode(new Uint8Array(mac))}`;
  }

  /** True if `nonce` was issued by current() with this secret in the current or the previous step. */
  async isValid(nonce: unknown): Promise<boolean> {
    if (typeof nonce !== 'string' || nonce.length > 64) return false;
    const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(nonce);
    if (match === null) return false;
    const step = parseInt(match[1] as string, 36);
    const current = this.step();
    if (step !== current && step !== current - 1) return false;
    let mac: Uint8Array;
    try {
      mac = base64url.decode(match[2] as string);
    } catch {
      return false;
    }
    // verify() compares in constant time.
    return crypto.subtle.verify('HMAC', await this.key, mac.slice(), this.input(step));
  }

  private step(): number {
    return Math.floor(this.options.now() / 1000 / this.options.stepSeconds);
  }

  private input(step: number): Uint8Array<ArrayBuffer> {
    return new TextEncoder().encode(`dpop-nonce:${step}`);
  }
}
