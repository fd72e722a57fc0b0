import { HttpBackend, HttpClient, HttpHeaders } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { AuthService } from '@auth0/auth0-angular';
import { firstValueFrom } from 'rxjs';
import { resultFromError, resultFromResponse, type ApiResult } from '../../api-result/api-result';
import { ApiResultPanel } from '../../api-result/api-result-panel';
import { RuntimeConfig } from '../../config/runtime-config';
import { decodeToken } from '../token/decoded-token';
import { boundKeyThumbprint, proofKeyThumbprint } from '../token/key-binding';
import { attackerProof } from './attacker-proof';
import {
  DPOP_EXPERIMENTS,
  DPOP_LAB_METHOD,
  DPOP_LAB_PATH,
  answerOf,
  answerTitle,
  answersText,
  meetsAnswers,
  proofFields,
  shortened,
  type DpopExperiment,
} from './dpop-experiments';
import { LabCard } from './lab-card';

/** The proof a case sends, and whose key signed it. */
interface SentProof {
  readonly proof: string;
  /** `GET https://.../api/messages/protected`: the request the proof was made for (its htm and htu). */
  readonly madeFor: string;
  /** RFC 7638 thumbprint of the key in the proof's header. */
  readonly keyThumbprint: string;
  /** Who holds that key, in words. */
  readonly keyOwner: string;
  readonly fields: readonly [string, string][];
}

/** The state of one DPoP experiment run. */
interface DpopRun {
  readonly phase: 'running' | 'done';
  /** `GET https://...`: the request sent (the replay case sends it twice). */
  readonly request?: string;
  /** The request's headers as the page shows them (long values shortened). */
  readonly headers?: readonly [string, string][];
  readonly token?: string;
  /** The token's `cnf.jkt` (null: not bound). */
  readonly jkt?: string | null;
  readonly proof?: SentProof | null;
  readonly results?: readonly ApiResult[];
  readonly met?: boolean;
  readonly note?: string;
}

/**
 * The lab's DPoP cases: a bound token stolen and replayed from another device, downgraded to Bearer, a proof reused
 * or made for another request, and the control. Each request goes straight to the API on `HttpBackend` (never
 * through the app's interceptors), with the token and proofs the SDK hands out. Part of the Break it lab page.
 */
@Component({
  selector: 'app-dpop-lab',
  imports: [ApiResultPanel, LabCard],
  templateUrl: './dpop-lab.html',
  styleUrls: ['./lab.css', './dpop-lab.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DpopLab {
  private readonly auth = inject(AuthService);
  // Wrong headers on purpose: an HttpClient on HttpBackend skips the app's interceptors, which would set their own.
  private readonly labHttp = new HttpClient(inject(HttpBackend));
  private readonly config = inject(RuntimeConfig).config;

  protected readonly useDpop = this.config.useDpop;
  protected readonly url = `${this.config.apiUrl}${DPOP_LAB_PATH}`;
  protected readonly experiments = DPOP_EXPERIMENTS;
  protected readonly runs = signal<Partial<Record<string, DpopRun>>>({});
  protected readonly answersText = answersText;
  protected readonly answerTitle = answerTitle;

  /** Runs one experiment: get the bound token and the proof it names, send the request(s), show each answer. */
  protected async runExperiment(experiment: DpopExperiment): Promise<void> {
    const { id } = experiment;
    this.setRun(id, { phase: 'running' });
    let token: string;
    let proof: SentProof | null;
    try {
      token = await this.accessToken();
      proof = await this.proofFor(experiment, token);
    } catch (error) {
      const e = error as { error?: string; message?: string };
      this.setRun(id, {
        phase: 'done',
        note: `Could not get the token or the proof for this experiment: ${e.error ?? ''} ${e.message ?? String(error)}`.trim(),
      });
      return;
    }
    const authorization = `${experiment.scheme} ${token}`;
    const headers: [string, string][] = [['Authorization', `${experiment.scheme} ${shortened(token)}`]];
    if (proof) headers.push(['DPoP', shortened(proof.proof)]);
    const results: ApiResult[] = [];
    // The replay case sends the very same request (same proof) once per expected answer.
    for (let i = 0; i < experiment.answers.length; i++) {
      results.push(await this.send(authorization, proof?.proof));
    }
    const jkt = boundKeyThumbprint(decodeToken(token));
    const met = meetsAnswers(experiment.answers, results);
    this.setRun(id, {
      phase: 'done',
      request: `${DPOP_LAB_METHOD} ${this.url}`,
      headers,
      token,
      jkt,
      proof,
      results,
      met,
      note: met ? undefined : this.noteFor(experiment, results, jkt),
    });
  }

  /** What the run shows about the binding: the token's cnf.jkt against the thumbprint of the key that signed the proof. */
  protected keyFinding(run: DpopRun): string | null {
    if (run.jkt === undefined) return null;
    const bound =
      run.jkt === null
        ? 'The token has no cnf.jkt: it is not bound to any key.'
        : `The token's cnf.jkt is ${run.jkt}.`;
    const proof = run.proof;
    if (!proof) return `${bound} No proof was sent.`;
    return (
      `${bound} The proof was signed by ${proof.keyOwner}, thumbprint ${proof.keyThumbprint}: ` +
      (proof.keyThumbprint === run.jkt
        ? 'the key the token is bound to.'
        : 'not the key the token is bound to.')
    );
  }

  private async accessToken(): Promise<string> {
    const token = await firstValueFrom(this.auth.getAccessTokenSilently());
    if (!token) throw new Error('The SDK returned no access token.');
    return token;
  }

  private async proofFor(experiment: DpopExperiment, accessToken: string): Promise<SentProof | null> {
    const spec = experiment.proof;
    if (spec.kind === 'none') return null;
    if (spec.kind === 'attacker') {
      const made = await attackerProof(
        { method: DPOP_LAB_METHOD, url: this.url, accessToken },
        Math.floor(Date.now() / 1000),
      );
      return {
        proof: made.proof,
        madeFor: `${DPOP_LAB_METHOD} ${this.url}`,
        keyThumbprint: made.thumbprint,
        keyOwner: "a key made on the spot (the thief's)",
        fields: proofFields(made.proof),
      };
    }
    const method = spec.kind === 'sdk_other_request' ? (spec.method ?? DPOP_LAB_METHOD) : DPOP_LAB_METHOD;
    const url =
      spec.kind === 'sdk_other_request' ? `${this.config.apiUrl}${spec.path ?? DPOP_LAB_PATH}` : this.url;
    const proof = await firstValueFrom(this.auth.generateDpopProof({ url, method, accessToken }));
    return {
      proof,
      madeFor: `${method} ${url}`,
      keyThumbprint: await proofKeyThumbprint(proof),
      keyOwner: "the SDK's key (this browser's)",
      fields: proofFields(proof),
    };
  }

  /** Sends the lab's request with exactly these headers; never rejects on HTTP. */
  private async send(authorization: string, proof: string | undefined): Promise<ApiResult> {
    const request = `${DPOP_LAB_METHOD} ${this.url}`;
    let headers = new HttpHeaders({ Authorization: authorization });
    if (proof !== undefined) headers = headers.set('DPoP', proof);
    try {
      const response = await firstValueFrom(
        this.labHttp.request<unknown>(DPOP_LAB_METHOD, this.url, { headers, observe: 'response' }),
      );
      return resultFromResponse(request, response);
    } catch (error) {
      return resultFromError(request, error);
    }
  }

  private noteFor(experiment: DpopExperiment, results: readonly ApiResult[], jkt: string | null): string {
    if (results.some((result) => result.status === 0)) {
      return `No answer from ${this.url}: the API is down, or its CORS settings do not allow the DPoP request header.`;
    }
    if (jkt === null) {
      return 'The SDK handed out a token without cnf.jkt: the auth server did not bind it. Allow DPoP for this API at the auth server (Auth0: Applications > APIs > the API > Settings, Token Sender-Constraining: DPoP), then log out and in again.';
    }
    // Each answer's reason, 'ok' for a 2xx, else the bare status.
    const got = results.map((result) => answerOf(result) ?? `${result.status}`);
    if (got.includes('use_dpop_nonce')) {
      return "The API asks for a server nonce (AUTH_DPOP_NONCE): the lab's proofs carry none, so the API stops there. Run the lab against an API with nonces off.";
    }
    if (got.includes('dpop_required') && experiment.scheme === 'Bearer') {
      return 'The API requires DPoP (AUTH_DPOP=required): it refuses every Bearer token before it reads cnf. With AUTH_DPOP=allowed it answers key_bound_token.';
    }
    if (got.includes('dpop_disabled')) {
      return 'DPoP is off on the API (AUTH_DPOP=off): it refuses the DPoP scheme before it reads the proof.';
    }
    return `The API answered ${got.map((answer) => (answer === 'ok' ? '200' : answer)).join(', then ')}, not ${answersText(experiment.answers)}: its checks ran in another order, or the stack lacks what this experiment needs.`;
  }

  private setRun(id: string, run: DpopRun): void {
    this.runs.update((runs) => ({ ...runs, [id]: run }));
  }
}
