import { Inject, Injectable, Logger } from '@nestjs/common';
import { issuerBase } from '@sample/contract';
import { JwksKeyProvider } from '../auth/jwks-key-provider';
import { API_SETTINGS, type ApiSettings } from '../config/api-settings';
import { CLOCK, type Clock } from '../config/config.module';

/**
 * One readiness check. `detail` never holds a secret (there is none: keys are public, no token is shown); with
 * AUTH_DIAGNOSTICS=minimal the public body keeps only a generic one, as it would name internal URLs and errors.
 */
export interface CheckResult {
  readonly status: 'up' | 'down' | 'unchecked';
  readonly detail: string;
}

/** GET /health/ready's body. */
export interface Readiness {
  readonly status: 'ready' | 'not_ready';
  readonly checks: { readonly jwks: CheckResult; readonly issuer: CheckResult };
}

/**
 * The issuer's discovery document: beside a JWKS URI ending in /.well-known/jwks.json (so an internal JWKS host,
 * as in docker compose, is asked too), else under the issuer.
 */
export function discoveryUrlFor(settings: Pick<ApiSettings, 'issuerUrl' | 'jwksUri'>): string {
  return settings.jwksUri.endsWith('/.well-known/jwks.json')
    ? settings.jwksUri.replace(/jwks\.json$/, 'openid-configuration')
    : new URL('.well-known/openid-configuration', issuerBase(settings.issuerUrl)).toString();
}

/** What a public readiness body says of a check with AUTH_DIAGNOSTICS=minimal. */
function minimal({ status }: CheckResult): CheckResult {
  return { status, detail: status === 'up' ? 'ok' : 'The API log has the details.' };
}

/**
 * Readiness: the JWKS answers with keys (refetched at most once per cooldown, whatever the probe rate) and the
 * issuer's discovery document names exactly the configured issuer (the trailing-slash trap). Concurrent probes
 * share one check in flight. Each change of the outcome is logged with every detail.
 */
@Injectable()
export class HealthService {
  private readonly logger = new Logger('Readiness');
  private issuerChecked: { at: number; result: CheckResult } | null = null;
  private inFlight: Promise<Readiness> | null = null;
  private lastLogged: string | null = null;

  constructor(
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    @Inject(CLOCK) private readonly now: Clock,
    private readonly keys: JwksKeyProvider,
  ) {}

  /** The readiness as a probe may see it: the check in flight if there is one, else a new one. */
  getReadiness(): Promise<Readiness> {
    this.inFlight ??= this.check().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async check(): Promise<Readiness> {
    const [jwks, issuer] = await Promise.all([this.checkJwks(), this.checkIssuer()]);
    const ready = jwks.status === 'up' && issuer.status !== 'down';
    const readiness: Readiness = { status: ready ? 'ready' : 'not_ready', checks: { jwks, issuer } };
    this.logChange(readiness);
    if (this.settings.diagnostics === 'verbose') return readiness;
    return { status: readiness.status, checks: { jwks: minimal(jwks), issuer: minimal(issuer) } };
  }

  /** Logs the full outcome when it differs from the last one logged: a probe every few seconds adds no lines. */
  private logChange({ status, checks }: Readiness): void {
    const line = `${status}: JWKS ${checks.jwks.status} (${checks.jwks.detail}); issuer ${checks.issuer.status} (${checks.issuer.detail})`;
    if (line === this.lastLogged) return;
    this.lastLogged = line;
    if (status === 'ready') this.logger.log(`readiness ${line}`);
    else this.logger.warn(`readiness ${line}`);
  }

  private async checkJwks(): Promise<CheckResult> {
    const status = await this.keys.refresh(this.settings.jwksCooldownMs);
    if (status.lastFailure !== null) {
      return {
        status: 'down',
        detail: `JWKS fetch failed (${status.lastFailure}); ${status.kids.length} cached key(s) still accepted`,
      };
    }
    if (status.kids.length === 0) return { status: 'down', detail: 'no signing key fetched yet' };
    return { status: 'up', detail: `${status.kids.length} signing key(s)` };
  }

  /** A match is kept; anything else is asked again after the cooldown. */
  private async checkIssuer(): Promise<CheckResult> {
    const cached = this.issuerChecked;
    if (
      cached !== null &&
      (cached.result.status === 'up' || this.now() - cached.at < this.settings.jwksCooldownMs)
    ) {
      return cached.result;
    }
    const result = await this.fetchIssuer();
    this.issuerChecked = { at: this.now(), result };
    return result;
  }

  private async fetchIssuer(): Promise<CheckResult> {
    const url = discoveryUrlFor(this.settings);
    let body: unknown;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.settings.jwksTimeoutMs) });
      // An issuer that cannot be asked is not proof of a wrong one: readiness then rests on the JWKS alone.
      if (!response.ok) return { status: 'unchecked', detail: `${url}: HTTP ${response.status}` };
      body = await response.json();
    } catch {
      return { status: 'unchecked', detail: `${url}: no JSON answer` };
    }
    const issuer = typeof body === 'object' && body !== null && 'issuer' in body ? body.issuer : undefined;
    if (issuer === this.settings.issuerUrl) {
      return { status: 'up', detail: 'discovery issuer matches AUTH_ISSUER_URL' };
    }
    return {
      status: 'down',
      detail:
        typeof issuer === 'string'
          ? `discovery says ${JSON.stringify(issuer)}, AUTH_ISSUER_URL is ${JSON.stringify(this.settings.issuerUrl)}: every token would fail with issuer_mismatch`
          : `${url} has no "issuer": it is not an OpenID Connect discovery document`,
    };
  }
}
