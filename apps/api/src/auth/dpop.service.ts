import { Inject, Injectable } from '@nestjs/common';
import { DpopNonces, DpopReplayCache, verifyDpopProof, type VerifiedDpopProof } from '@sample/dpop';
import type { Request } from 'express';
import { randomBytes } from 'node:crypto';
import { API_SETTINGS, type ApiSettings } from '../config/api-settings';
import { CLOCK, type Clock } from '../config/config.module';
import { acceptedSchemes, headerValues, TokenRefusedError, type TokenScheme } from './bearer-token';

/** Length of a server nonce's time step: a nonce is accepted for 5 to 10 minutes. */
const NONCE_STEP_SECONDS = 300;

/**
 * DPoP (RFC 9449) on this API: which schemes AUTH_DPOP accepts, and the binding of a token to the request's proof,
 * checked on every request (a proof is per request, so the verified-token cache never stands in for it).
 */
@Injectable()
export class DpopService {
  /** The proofs seen, per process: each is accepted once. */
  readonly replay: DpopReplayCache;
  /** Server nonces when AUTH_DPOP_NONCE=true. */
  readonly nonces: DpopNonces | undefined;
  private readonly schemes: readonly TokenScheme[];

  constructor(
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const { dpop } = settings;
    this.replay = new DpopReplayCache({ maxEntries: dpop.replayCacheSize });
    this.schemes = acceptedSchemes(dpop.mode);
    if (dpop.nonce) {
      // Without a configured secret, each process has its own: its nonces are refused by the other instances.
      const secret =
        dpop.nonceSecret === undefined
          ? new Uint8Array(randomBytes(32))
          : new TextEncoder().encode(dpop.nonceSecret.reveal());
      this.nonces = new DpopNonces({ secret, stepSeconds: NONCE_STEP_SECONDS, now: clock });
    }
  }

  /** The Authorization schemes AUTH_DPOP accepts. */
  get acceptedSchemes(): readonly TokenScheme[] {
    return this.schemes;
  }

  /**
   * Checks a verified token against the scheme it came with: a bound token (`cnf`) only as DPoP, with a valid proof
   * for this request made with its key; an unbound one only as Bearer.
   * @param cnf The token's `cnf` claim (undefined: unbound).
   * @returns the bound key's thumbprint (`cnf.jkt`), or null for an unbound token.
   * @throws TokenRefusedError (`cnf`, `dpop_token_not_bound`) or DpopProofError.
   */
  async checkBinding(
    request: Request,
    scheme: TokenScheme,
    token: string,
    cnf: unknown,
  ): Promise<string | null> {
    if (scheme === 'bearer') {
      if (cnf !== undefined) throw new TokenRefusedError('cnf');
      return null;
    }
    const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>)['jkt'] : undefined;
    if (typeof jkt !== 'string' || jkt === '') throw new TokenRefusedError('dpop_token_not_bound');
    await this.verifyProof(request, token, jkt);
    return jkt;
  }

  /** Verifies the request's DPoP proof for `token` bound to `jkt`; throws DpopProofError. */
  verifyProof(request: Request, token: string, jkt: string): Promise<VerifiedDpopProof> {
    const { dpop, clockToleranceSeconds } = this.settings;
    return verifyDpopProof({
      proof: headerValues(request, 'dpop'),
      method: request.method,
      url: this.requestUrl(request),
      accessToken: token,
      expectedJkt: jkt,
      nonces: this.nonces,
      now: this.clock(),
      algorithms: dpop.algorithms,
      maxAgeSeconds: dpop.maxAgeSeconds,
      clockToleranceSeconds,
      replay: this.replay,
    });
  }

  /** The request's URL as clients call it: API_PUBLIC_URL and the path, never the Host header. */
  requestUrl(request: Pick<Request, 'originalUrl' | 'url'>): string {
    const path = (request.originalUrl ?? request.url).split('?', 1)[0] ?? '/';
    return `${this.settings.dpop.publicUrl}${path.startsWith('/') ? path : `/${path}`}`;
  }

  /** A fresh nonce for the `DPoP-Nonce` header, when nonces are on. */
  async currentNonce(): Promise<string | undefined> {
    return this.nonces?.current();
  }
}
