import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Session } from '../auth/session';
import { getApiResult, type ApiResult } from '../api-result/api-result';
import { ApiResultPanel } from '../api-result/api-result-panel';
import { RuntimeConfig } from '../config/runtime-config';

interface Endpoint {
  /** The API path, under `apiUrl`. */
  readonly path: string;
  readonly title: string;
  readonly needs: string;
}

/** The API's endpoints this page calls (the API's OpenAPI document at /api/docs lists them all). */
const ENDPOINTS: readonly Endpoint[] = [
  {
    path: '/api/messages/public',
    title: 'Public message',
    needs: 'Nothing: a token goes along only if you are signed in (allowAnonymous).',
  },
  {
    path: '/api/messages/protected',
    title: 'Protected message',
    needs: 'A valid access token for this API; no permission needed (guest@example.com has none).',
  },
  {
    path: '/api/messages/admin',
    title: 'Admin message',
    needs: 'A valid access token with read:admin-messages (admin@example.com has it).',
  },
  {
    path: '/api/me',
    title: 'What the API sees (/api/me)',
    needs: 'A valid access token: the API echoes the claims it validated.',
  },
];

/** The card that calls a path typed by the user (an endpoint you just added, say). */
const OTHER = 'other';

/** Calls the API through the SDK's interceptor and shows status, body and, on failure, the API's reason. */
@Component({
  selector: 'app-api-console',
  imports: [ApiResultPanel],
  templateUrl: './api-console.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiConsole {
  private readonly http = inject(HttpClient);
  protected readonly session = inject(Session);
  protected readonly apiUrl = inject(RuntimeConfig).config.apiUrl;
  protected readonly endpoints = ENDPOINTS;
  protected readonly other = OTHER;
  /** Results by endpoint path, or under `other` for the typed path. */
  protected readonly results = signal<Readonly<Record<string, ApiResult>>>({});
  protected readonly pending = signal<string | null>(null);
  protected readonly otherPath = signal('/api/');

  /** GETs one endpoint; the interceptor decides whether a token goes with it (allowedList). */
  protected async callEndpoint(path: string, key = path): Promise<void> {
    this.pending.set(key);
    const result = await getApiResult(this.http, `${this.apiUrl}${path}`);
    this.results.update((results) => ({ ...results, [key]: result }));
    this.pending.set(null);
  }

  /** GETs the typed path (a leading slash is added when missing). */
  protected callOtherPath(): Promise<void> {
    const path = this.otherPath().trim();
    return this.callEndpoint(path.startsWith('/') ? path : `/${path}`, OTHER);
  }

  protected typeOtherPath(event: Event): void {
    this.otherPath.set((event.target as HTMLInputElement).value);
  }
}
