import { HttpBackend, HttpClient, HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { AuthService } from '@auth0/auth0-angular';
import { managementApiAudience } from '@sample/contract';
import { firstValueFrom } from 'rxjs';
import { RuntimeConfig } from '../../config/runtime-config';
import { decodeToken } from '../token/decoded-token';
import {
  HARMLESS_PATCH,
  auth0ErrorOf,
  managementApiExperimentsFor,
  managementApiUserUrl,
  meetsExpectation,
  scopeFinding,
  type Auth0ErrorBody,
  type ManagementApiExperiment,
} from './management-api-experiments';
import { LabCard } from './lab-card';

/** The state of one Management API experiment run. */
interface ManagementRun {
  readonly phase: 'running' | 'done';
  /** `PATCH https://.../api/v2/users/...`: what was sent. */
  readonly request?: string;
  /** HTTP status; 0 when no answer arrived. */
  readonly status?: number;
  readonly body?: string;
  readonly error?: Auth0ErrorBody | null;
  /** What was sent, decoded: kind, aud and scope. */
  readonly tokenSummary?: string;
  readonly token?: string;
  /** Asked-for versus granted scope, for the experiments that ask for scopes. */
  readonly finding?: string;
  readonly met?: boolean;
  readonly note?: string;
}

/**
 * The lab's Management API cases: the SPA calls `<issuer>api/v2/users/{id}` with the wrong token on purpose and
 * shows Auth0's answer. Part of the Break it lab page.
 */
@Component({
  selector: 'app-management-api-lab',
  templateUrl: './management-api-lab.html',
  imports: [LabCard],
  styleUrls: ['./lab.css', './management-api-lab.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ManagementApiLab {
  private readonly auth = inject(AuthService);
  // Wrong tokens on purpose: an HttpClient on HttpBackend skips the SDK interceptor, which would attach its own.
  private readonly labHttp = new HttpClient(inject(HttpBackend));
  private readonly issuer = inject(RuntimeConfig).config.issuer;

  protected readonly audience = managementApiAudience(this.issuer);
  protected readonly experiments = managementApiExperimentsFor(this.issuer);
  protected readonly runs = signal<Partial<Record<string, ManagementRun>>>({});

  /** Runs one experiment: get the token it names, call the Management API with it, show Auth0's answer. */
  protected async runExperiment(experiment: ManagementApiExperiment): Promise<void> {
    const { id } = experiment;
    this.setRun(id, { phase: 'running' });
    let token: string;
    let sub: string;
    try {
      const claims = await firstValueFrom(this.auth.idTokenClaims$);
      const subject = claims?.['sub'];
      if (!claims?.__raw || typeof subject !== 'string') throw new Error('No ID token: log in first.');
      sub = subject;
      token = await this.tokenFor(experiment, claims.__raw);
    } catch (error) {
      const e = error as { error?: string; message?: string };
      this.setRun(id, {
        phase: 'done',
        note: `Could not get the token for this experiment: ${e.error ?? ''} ${e.message ?? String(error)}`.trim(),
      });
      return;
    }
    const decoded = decodeToken(token);
    const payload = decoded.kind === 'jwt' ? decoded.payload : {};
    const tokenSummary =
      decoded.kind === 'jwt'
        ? `JWT, aud ${JSON.stringify(payload['aud'])}, scope ${JSON.stringify(payload['scope'] ?? null)}`
        : `${decoded.kind} token (${token.length} characters)`;
    const asked = experiment.token.kind === 'access_token' ? experiment.token.scope : undefined;
    const finding = asked !== undefined ? scopeFinding(asked, payload['scope']) : undefined;

    const url = managementApiUserUrl(this.issuer, sub);
    const { status, body } = await this.send(experiment.method, url, token);
    const met = meetsExpectation(experiment.expected, status, body, payload['scope']);
    this.setRun(id, {
      phase: 'done',
      request: `${experiment.method} ${url}`,
      status,
      body: typeof body === 'string' ? body : JSON.stringify(body, null, 2),
      error: auth0ErrorOf(body),
      tokenSummary,
      token,
      finding,
      met,
      note: met ? undefined : this.noteFor(experiment, status, auth0ErrorOf(body)),
    });
  }

  private tokenFor(experiment: ManagementApiExperiment, idToken: string): Promise<string> {
    if (experiment.token.kind === 'id_token') return Promise.resolve(idToken);
    const { audience, scope } = experiment.token;
    // cacheMode off: a cached token with more scopes (the Profile page's) would otherwise stand in for this one.
    return firstValueFrom(
      this.auth.getAccessTokenSilently({
        authorizationParams: scope === undefined ? { audience } : { audience, scope },
        cacheMode: 'off',
      }),
    ).then((token) => {
      if (!token) throw new Error('The SDK returned no access token.');
      return token;
    });
  }

  /** Sends the request with the lab's token (a PATCH carries an empty user_metadata merge); never rejects on HTTP. */
  private async send(
    method: 'GET' | 'PATCH',
    url: string,
    token: string,
  ): Promise<{ status: number; body: unknown }> {
    const headers = new HttpHeaders({ Authorization: `Bearer ${token}` });
    try {
      const response = await firstValueFrom(
        this.labHttp.request(method, url, {
          headers,
          observe: 'response',
          ...(method === 'PATCH' && { body: HARMLESS_PATCH }),
        }),
      );
      return { status: response.status, body: response.body };
    } catch (error) {
      if (error instanceof HttpErrorResponse) {
        return { status: error.status, body: error.status === 0 ? null : (error.error as unknown) };
      }
      throw error;
    }
  }

  private noteFor(
    { expectedText }: ManagementApiExperiment,
    status: number,
    error: Auth0ErrorBody | null,
  ): string {
    if (status === 0) {
      return `No answer from ${this.audience}: the auth server is down, or it does not allow this origin (CORS).`;
    }
    if (error?.errorCode === 'key_bound_token') {
      return `Expected ${expectedText}; got 401 key_bound_token. With useDpop on, the SDK's tokens are bound to this browser's DPoP key, and these experiments send them as Bearer, so the Management API refuses them before anything else. Turn useDpop off in config.json to see this experiment's own answer.`;
    }
    return `Expected ${expectedText}; got ${status}. The tenant may not expose the Management API to this app.`;
  }

  private setRun(id: string, run: ManagementRun): void {
    this.runs.update((runs) => ({ ...runs, [id]: run }));
  }
}
