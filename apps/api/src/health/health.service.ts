import { Inject, Injectable } from '@nestjs/common';
import { JwksKeyProvider } from '../auth/jwks-key-provider';
import { API_SETTINGS, type ApiSettings } from '../config/api-settings';
import { discoveryChecks, liveNetwork } from '../doctor/doctor-checks';

/** One readiness check; `detail` never holds a secret (there is none: keys are public, no token is shown). */
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
 * Readiness: the JWKS answers with keys (refetched at most once per cooldown, whatever the probe rate) and the
 * issuer's discovery document names exactly the configured issuer (the trailing-slash trap).
 */
@Injectable()
export class HealthService {
  private issuerChecked: { at: number; result: CheckResult } | null = null;

  constructor(
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    private readonly keys: JwksKeyProvider,
  ) {}

  async getReadiness(): Promise<Readiness> {
    const [jwks, issuer] = await Promise.all([this.checkJwks(), this.checkIssuer()]);
    const ready = jwks.status === 'up' && issuer.status !== 'down';
    return { status: ready ? 'ready' : 'not_ready', checks: { jwks, issuer } };
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

  private async checkIssuer(): Promise<CheckResult> {
    const cached = this.issuerChecked;
    if (
      cached !== null &&
      (cached.result.status === 'up' || Date.now() - cached.at < this.settings.jwksCooldownMs)
    ) {
      return cached.result;
    }
    const result = await this.fetchIssuer();
    this.issuerChecked = { at: Date.now(), result };
    return result;
  }

  private async fetchIssuer(): Promise<CheckResult> {
    const { answered, checks } = await discoveryChecks(
      this.settings,
      liveNetwork(this.settings.jwksTimeoutMs),
    );
    const [discovery, issuer] = checks;
    if (issuer.status === 'pass') return { status: 'up', detail: 'discovery issuer matches AUTH_ISSUER_URL' };
    // An issuer that cannot be asked is not proof of a wrong one: readiness then rests on the JWKS alone.
    if (!answered) return { status: 'unchecked', detail: discovery.detail };
    return { status: 'down', detail: issuer.status === 'fail' ? issuer.detail : discovery.detail };
  }
}
