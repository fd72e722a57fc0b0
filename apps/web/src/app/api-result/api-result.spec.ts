import { HttpErrorResponse, HttpHeaders, HttpResponse } from '@angular/common/http';
import { parseBearerChallenge } from '../auth/bearer-challenge';
import { explain, resultFromError, resultFromResponse } from './api-result';

const REQUEST = 'GET http://localhost:3000/api/messages/admin';

export function forbidden(): HttpErrorResponse {
  return new HttpErrorResponse({
    status: 403,
    statusText: 'Forbidden',
    url: 'http://localhost:3000/api/messages/admin',
    headers: new HttpHeaders({
      'Content-Type': 'application/problem+json; charset=utf-8',
      'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope", scope="read:admin-messages"',
    }),
    error: {
      type: 'https://example.com/problems/insufficient_permission',
      title: 'Missing permission',
      status: 403,
      detail: 'The token lacks read:admin-messages; it has read:messages.',
      reason: 'insufficient_permission',
      required: ['read:admin-messages'],
    },
  });
}

describe('parseBearerChallenge', () => {
  it('reads quoted and bare parameters', () => {
    expect(
      parseBearerChallenge(
        'Bearer realm="api", error="invalid_token", error_description="jwt \\"expired\\"", foo=bar',
      ),
    ).toEqual({ realm: 'api', error: 'invalid_token', error_description: 'jwt "expired"', foo: 'bar' });
  });

  it('returns null for no header or another scheme', () => {
    expect(parseBearerChallenge(null)).toBeNull();
    expect(parseBearerChallenge('Basic realm="x"')).toBeNull();
  });
});

describe('explain', () => {
  it('says a 200 was accepted', () => {
    const result = resultFromResponse(
      REQUEST,
      new HttpResponse({ status: 200, statusText: 'OK', body: { text: 'hi' } }),
    );
    expect(explain(result)).toMatchObject({
      headline: '200 OK: the API accepted the request.',
      reason: null,
    });
  });

  it('turns a problem+json 403 into the reason, the detail, the fix and the missing permission', () => {
    const result = resultFromError(REQUEST, forbidden());
    expect(result.challenge).toEqual({
      realm: 'api',
      error: 'insufficient_scope',
      scope: 'read:admin-messages',
    });
    expect(explain(result)).toEqual({
      headline: '403: Missing permission (insufficient_permission).',
      detail: 'The token lacks read:admin-messages; it has read:messages.',
      fix: expect.stringContaining('Grant the permission') as string,
      reason: 'insufficient_permission',
      missingPermissions: ['read:admin-messages'],
    });
  });

  it('uses the API fix when it sends one, and reads a problem body that arrived as text', () => {
    const error = new HttpErrorResponse({
      status: 401,
      headers: new HttpHeaders({ 'Content-Type': 'application/problem+json' }),
      error: JSON.stringify({
        status: 401,
        reason: 'token_expired',
        detail: 'expired 3 s ago',
        fix: 'Renew it.',
      }),
    });
    expect(explain(resultFromError(REQUEST, error))).toMatchObject({
      reason: 'token_expired',
      fix: 'Renew it.',
    });
  });

  it('explains an SDK error: no request was sent', () => {
    const result = resultFromError(
      REQUEST,
      Object.assign(new Error('Login required'), { error: 'login_required' }),
    );
    expect(result.sdkError).toEqual({ error: 'login_required', description: 'Login required' });
    expect(explain(result)).toMatchObject({
      headline: 'No request sent: login_required.',
      fix: 'Log in, then call again.',
    });
  });

  it('explains status 0: API down or CORS', () => {
    const result = resultFromError(
      REQUEST,
      new HttpErrorResponse({ status: 0, error: new ProgressEvent('error') }),
    );
    expect(explain(result).headline).toBe('No response: the browser could not reach the API.');
    expect(result.body).toBeNull();
  });

  it('falls back to the challenge description when the body is not a known problem', () => {
    const error = new HttpErrorResponse({
      status: 401,
      statusText: 'Unauthorized',
      headers: new HttpHeaders({
        'WWW-Authenticate': 'Bearer error="invalid_token", error_description="bad"',
      }),
      error: 'Unauthorized',
    });
    expect(explain(resultFromError(REQUEST, error))).toMatchObject({
      headline: '401 Unauthorized: the API refused the request.',
      detail: 'bad',
      reason: null,
    });
  });
});
