import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { API_ROUTES, type ApiRoute } from '@sample/contract';
import { Session } from '../auth/session';
import { getApiResult, type ApiResult } from '../api-result/api-result';
import { ApiResultPanel } from '../api-result/api-result-panel';
import { RuntimeConfig } from '../config/runtime-config';

interface Endpoint {
  readonly route: ApiRoute;
  readonly title: string;
  readonly needs: string;
}

const ENDPOINTS: readonly Endpoint[] = [
  {
    route: 'public',
    title: 'Public message',
    needs: 'Nothing: a token is attached only if you are signed in (allowAnonymous).',
  },
  {
    route: 'protected',
    title: 'Protected message',
    needs: 'A valid access token for this API; no permission needed (guest@example.com has none).',
  },
  {
    route: 'admin',
    title: 'Admin message',
    needs: 'A valid access token with read:admin-messages (admin@example.com has it).',
  },
  {
    route: 'me',
    title: 'What the API sees (/api/me)',
    needs: 'A valid access token: the API echoes the claims it validated.',
  },
];

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
  protected readonly paths = API_ROUTES;
  protected readonly results = signal<Partial<Record<ApiRoute, ApiResult>>>({});
  protected readonly pending = signal<ApiRoute | null>(null);

  /** GETs one endpoint; the interceptor decides whether a token goes with it (allowedList). */
  protected async callEndpoint(route: ApiRoute): Promise<void> {
    this.pending.set(route);
    const result = await getApiResult(this.http, `${this.apiUrl}${API_ROUTES[route]}`);
    this.results.update((results) => ({ ...results, [route]: result }));
    this.pending.set(null);
  }
}
