import { HttpClient, HttpErrorResponse, HttpHeaders, type HttpResponse } from '@angular/common/http';
import { PROBLEM_JSON, REASONS, isReasonCode, type AuthProblem, type ReasonCode } from '@sample/contract';
import { firstValueFrom } from 'rxjs';
import { parseTokenChallenge, type BearerChallenge } from '../auth/bearer-challenge';

/** Everything worth showing about one API call, success or failure. */
export interface ApiResult {
  /** `GET https://...`: what was called. */
  readonly request: string;
  /** HTTP status; 0 when no response arrived (API down, CORS, or no token could be obtained). */
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  /** The response body (parsed JSON, or text). */
  readonly body: unknown;
  /** The API's problem details with a known `reason`, when it sent `application/problem+json`. */
  readonly problem: AuthProblem | null;
  /** The raw `WWW-Authenticate` header (exposed by the API's CORS config) and its Bearer or DPoP parameters. */
  readonly wwwAuthenticate: string | null;
  readonly challenge: BearerChallenge | null;
  /** The SDK could not get a token, so the request was not sent (e.g. `login_required`). */
  readonly sdkError: { readonly error: string; readonly description: string } | null;
}

function problemFrom(body: unknown, contentType: string | null): AuthProblem | null {
  let value = body;
  if (typeof value === 'string' && contentType?.includes(PROBLEM_JSON)) {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Partial<AuthProblem>;
  return isReasonCode(candidate.reason) && typeof candidate.status === 'number'
    ? (candidate as AuthProblem)
    : null;
}

/** Builds an `ApiResult` from a successful response. */
export function resultFromResponse(request: string, response: HttpResponse<unknown>): ApiResult {
  return {
    request,
    status: response.status,
    statusText: response.statusText,
    ok: true,
    body: response.body,
    problem: null,
    wwwAuthenticate: null,
    challenge: null,
    sdkError: null,
  };
}

/** Builds an `ApiResult` from whatever the HTTP call threw: an HTTP error, or an SDK error (no token). */
export function resultFromError(request: string, error: unknown): ApiResult {
  if (error instanceof HttpErrorResponse) {
    const header = error.headers.get('WWW-Authenticate');
    return {
      request,
      status: error.status,
      statusText: error.statusText,
      ok: false,
      body: error.status === 0 ? null : (error.error as unknown),
      problem: problemFrom(error.error, error.headers.get('Content-Type')),
      wwwAuthenticate: header,
      challenge: parseTokenChallenge(header),
      sdkError: null,
    };
  }
  const sdk = error as { error?: unknown; error_description?: unknown; message?: unknown } | null;
  return {
    request,
    status: 0,
    statusText: '',
    ok: false,
    body: null,
    problem: null,
    wwwAuthenticate: null,
    challenge: null,
    sdkError: {
      error: typeof sdk?.error === 'string' ? sdk.error : 'unexpected_error',
      description:
        typeof sdk?.error_description === 'string'
          ? sdk.error_description
          : typeof sdk?.message === 'string'
            ? sdk.message
            : String(error),
    },
  };
}

/**
 * GETs `url` and resolves with an `ApiResult` (never rejects).
 * @param token When given, sent as `Authorization: Bearer <token>` (the lab's deliberate mistakes only).
 */
export async function getApiResult(http: HttpClient, url: string, token?: string): Promise<ApiResult> {
  const request = `GET ${url}`;
  const headers =
    token === undefined ? new HttpHeaders() : new HttpHeaders({ Authorization: `Bearer ${token}` });
  try {
    const response = await firstValueFrom(http.get<unknown>(url, { observe: 'response', headers }));
    return resultFromResponse(request, response);
  } catch (error) {
    return resultFromError(request, error);
  }
}

/** Plain-words summary and the fix, for any outcome. */
export interface Explanation {
  readonly headline: string;
  readonly detail: string | null;
  readonly fix: string | null;
  readonly reason: ReasonCode | null;
  /** For a 403: the permissions the API required that the token lacks. */
  readonly missingPermissions: readonly string[];
}

const SDK_ERRORS: Record<string, string> = {
  login_required:
    'You are not signed in, so the SDK had no access token to attach and did not send the request.',
  consent_required: 'The user has not consented to the requested scopes: sign in again to grant them.',
  interaction_required: 'The auth server needs the user to interact (sign in again).',
  missing_refresh_token: 'No refresh token is stored: sign in again.',
  timeout: 'The silent token request to the auth server timed out: is it running?',
};

/** Explains a result in plain words: the API's `reason`, `detail` and fix, or why no response came. */
export function explain(result: ApiResult): Explanation {
  const none = { reason: null, missingPermissions: [] as string[] };
  if (result.ok) {
    return {
      ...none,
      headline: `${result.status} ${result.statusText || 'OK'}: the API accepted the request.`,
      detail: null,
      fix: null,
    };
  }
  if (result.sdkError) {
    return {
      ...none,
      headline: `No request sent: ${result.sdkError.error}.`,
      detail: SDK_ERRORS[result.sdkError.error] ?? result.sdkError.description,
      fix: result.sdkError.error === 'login_required' ? 'Log in, then call again.' : null,
    };
  }
  if (result.status === 0) {
    return {
      ...none,
      headline: 'No response: the browser could not reach the API.',
      detail: 'The API is down, the URL is wrong, or CORS blocked the response.',
      fix: 'Start the API (npm start), check apiUrl in config.json, and that the API allows this origin (CORS_ORIGINS).',
    };
  }
  const problem = result.problem;
  if (problem) {
    const known = REASONS[problem.reason];
    const required =
      problem.required ??
      (problem.reason === 'insufficient_permission' && result.challenge?.scope
        ? result.challenge.scope.split(' ')
        : []);
    // Required minus what the token already grants (the API lists those in `received`).
    const granted = new Set(Array.isArray(problem.received) ? problem.received : []);
    const missing = required.filter((permission) => !granted.has(permission));
    return {
      headline: `${result.status}: ${known.title} (${problem.reason}).`,
      detail: problem.detail,
      fix: problem.fix ?? known.fix,
      reason: problem.reason,
      missingPermissions: missing,
    };
  }
  return {
    ...none,
    headline: `${result.status} ${result.statusText}`.trim() + ': the API refused the request.',
    detail: result.challenge?.error_description ?? null,
    fix: null,
  };
}
