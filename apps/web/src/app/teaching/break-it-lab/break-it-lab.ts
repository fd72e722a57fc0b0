import { HttpBackend, HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { AuthService, type GetTokenSilentlyOptions } from '@auth0/auth0-angular';
import { LOCAL_TENANT, Permission, REASONS } from '@sample/contract';
import { firstValueFrom } from 'rxjs';
import { getApiResult, type ApiResult } from '../../api-result/api-result';
import { ApiResultPanel } from '../../api-result/api-result-panel';
import { RuntimeConfig } from '../../config/runtime-config';
import { decodeToken, tamperWithPayload } from '../token/decoded-token';
import { DpopLab } from './dpop-lab';
import { LabCard } from './lab-card';
import {
  experimentsFor,
  keyBindingNote,
  permissionFinding,
  RBAC_OFF_EXPERIMENT,
  type Experiment,
} from './experiments';
import { LabConfig } from './lab-settings';
import { ManagementApiLab } from './management-api-lab';

/** The API's default clock tolerance (AUTH_CLOCK_TOLERANCE_SECONDS): an expired token is refused only after it. */
const API_CLOCK_TOLERANCE_SECONDS = 5;

/** The state of one experiment run. */
interface Run {
  readonly phase: 'running' | 'waiting' | 'done';
  readonly secondsLeft?: number;
  /** What was sent, decoded: kind, aud and exp. */
  readonly tokenSummary?: string;
  readonly token?: string;
  readonly result?: ApiResult;
  readonly note?: string;
  /** What the token's claims show, for experiments about its claims. */
  readonly finding?: string;
}

/** Guarded, switchable lab: reproduces each classic token mistake against the real API and shows its reason. */
@Component({
  selector: 'app-break-it-lab',
  imports: [ApiResultPanel, DpopLab, LabCard, ManagementApiLab],
  templateUrl: './break-it-lab.html',
  styleUrl: './break-it-lab.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BreakItLab {
  private readonly auth = inject(AuthService);
  // The lab sends wrong tokens on purpose: an HttpClient on HttpBackend skips the SDK interceptor, which would replace them.
  private readonly labHttp = new HttpClient(inject(HttpBackend));
  private readonly config = inject(RuntimeConfig).config;
  private readonly lab = inject(LabConfig).settings;
  private readonly timers = new Set<ReturnType<typeof setInterval>>();

  protected readonly experiments = experimentsFor(this.lab);
  protected readonly reasons = REASONS;
  protected readonly runs = signal<Partial<Record<string, Run>>>({});
  protected readonly local = this.config.domain.includes('localhost');
  protected readonly readerEmail = LOCAL_TENANT.users.reader;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.timers.forEach((timer) => clearInterval(timer)));
  }

  /** Runs one experiment: get the wrong token, (wait,) send it, show what the API said. */
  protected async runExperiment(experiment: Experiment): Promise<void> {
    const { id } = experiment;
    this.setRun(id, { phase: 'running' });
    try {
      const token = await this.wrongToken(id);
      const decoded = decodeToken(token);
      const tokenSummary =
        decoded.kind === 'jwt'
          ? `JWT, aud ${JSON.stringify(decoded.payload['aud'])}, exp ${String(decoded.payload['exp'])}`
          : `${decoded.kind} token (${token.length} characters)`;
      const finding =
        id === RBAC_OFF_EXPERIMENT && decoded.kind === 'jwt' ? permissionFinding(decoded.payload) : undefined;
      if (id === 'token_expired' && decoded.kind === 'jwt' && typeof decoded.payload['exp'] === 'number') {
        await this.countdown(id, decoded.payload['exp'] + API_CLOCK_TOLERANCE_SECONDS + 1, tokenSummary);
      }
      const result = await getApiResult(this.labHttp, `${this.config.apiUrl}${experiment.path}`, token);
      const note = this.noteFor(experiment, result);
      this.setRun(id, { phase: 'done', token, tokenSummary, result, note, finding });
    } catch (error) {
      const e = error as { error?: string; message?: string };
      this.setRun(id, {
        phase: 'done',
        note: `Could not get the token for this experiment: ${e.error ?? ''} ${e.message ?? String(error)}`.trim(),
      });
    }
  }

  /** Signs in again as the reader (no read:admin-messages), to see the 403. */
  protected loginAsReader(): void {
    this.auth
      .loginWithRedirect({
        authorizationParams: { prompt: 'login', login_hint: this.readerEmail },
        appState: { target: '/lab' },
      })
      .subscribe();
  }

  protected matches(experiment: Experiment): boolean | null {
    const result = this.runs()[experiment.id]?.result;
    return result ? result.problem?.reason === experiment.expected : null;
  }

  private async wrongToken(id: string): Promise<string> {
    switch (id) {
      case 'id_token_used': {
        const claims = await firstValueFrom(this.auth.idTokenClaims$);
        if (!claims?.__raw) throw new Error('No ID token: log in first.');
        return claims.__raw;
      }
      case 'opaque_token':
        // An empty audience is "no audience": Auth0 (and the local auth server) then issue an opaque token.
        return this.accessToken({ authorizationParams: { audience: '' } });
      case 'audience_mismatch':
        return this.accessToken({ authorizationParams: { audience: this.lab.labOtherAudience } });
      case RBAC_OFF_EXPERIMENT:
        // Asked as the signed-in user, whatever their roles: with RBAC off every requested scope is granted.
        return this.accessToken({
          authorizationParams: {
            audience: this.lab.labRbacOffAudience,
            scope: `openid ${Permission.ReadAdminMessages}`,
          },
        });
      case 'token_expired':
        return this.accessToken({
          authorizationParams: { audience: this.lab.labShortLivedAudience },
          cacheMode: 'off',
        });
      case 'invalid_signature': {
        const token = await this.accessToken();
        const decoded = decodeToken(token);
        const payload = decoded.kind === 'jwt' ? decoded.payload : {};
        const permissions = Array.isArray(payload['permissions']) ? payload['permissions'].map(String) : [];
        const exp = typeof payload['exp'] === 'number' ? payload['exp'] : Math.floor(Date.now() / 1000);
        // The classic forgery: grant yourself the admin permission and a year more of validity.
        return tamperWithPayload(token, {
          permissions: [...new Set([...permissions, Permission.ReadAdminMessages])],
          exp: exp + 365 * 24 * 3600,
        });
      }
      default:
        return this.accessToken();
    }
  }

  private async accessToken(options: GetTokenSilentlyOptions = {}): Promise<string> {
    const token = await firstValueFrom(this.auth.getAccessTokenSilently(options));
    if (!token) throw new Error('The SDK returned no access token.');
    return token;
  }

  private noteFor({ id, expected }: Experiment, result: ApiResult): string | undefined {
    if (id === 'insufficient_permission' && result.ok) {
      return `You are signed in as a user who has ${Permission.ReadAdminMessages}, so the API answered 200. Log in as a user without it to see the 403.`;
    }
    if (result.problem && result.problem.reason !== expected) {
      const binding = keyBindingNote(expected, result.problem.reason);
      if (binding) return binding;
      return `The API answered ${result.problem.reason}, not ${expected}: its checks ran in another order, or the tenant lacks what this experiment needs.`;
    }
    return undefined;
  }

  private countdown(id: string, untilEpochSeconds: number, tokenSummary: string): Promise<void> {
    return new Promise((resolve) => {
      const tick = () => {
        const left = Math.max(0, Math.ceil(untilEpochSeconds - Date.now() / 1000));
        this.setRun(id, { phase: 'waiting', secondsLeft: left, tokenSummary });
        if (left === 0) {
          clearInterval(timer);
          this.timers.delete(timer);
          resolve();
        }
      };
      const timer = setInterval(tick, 250);
      this.timers.add(timer);
      tick();
    });
  }

  private setRun(id: string, run: Run): void {
    this.runs.update((runs) => ({ ...runs, [id]: run }));
  }
}
