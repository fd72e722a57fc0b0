import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { readableText } from '../../testing/readable-text';
import { resultFromError } from './api-result';
import { ApiResultPanel } from './api-result-panel';

describe('ApiResultPanel', () => {
  it('renders a problem+json failure in plain words: reason, detail, evidence, fix, header', async () => {
    const error = new HttpErrorResponse({
      status: 401,
      statusText: 'Unauthorized',
      headers: new HttpHeaders({
        'Content-Type': 'application/problem+json',
        'WWW-Authenticate':
          'Bearer realm="api", error="invalid_token", error_description="audience mismatch"',
      }),
      error: {
        type: 'about:blank',
        title: 'Token is for another audience',
        status: 401,
        reason: 'audience_mismatch',
        detail:
          'The token is for audience "https://other-api.sample.local"; this API expects "https://api.sample.local".',
        expected: 'https://api.sample.local',
        received: 'https://other-api.sample.local',
      },
    });
    const fixture = TestBed.createComponent(ApiResultPanel);
    fixture.componentRef.setInput(
      'result',
      resultFromError('GET http://localhost:3000/api/messages/protected', error),
    );
    await fixture.whenStable();
    const text = readableText(fixture.nativeElement as HTMLElement);

    expect(text).toContain('Failed 401: Token is for another audience (audience_mismatch).');
    expect(text).toContain('reason audience_mismatch');
    expect(text).toContain('detail The token is for audience "https://other-api.sample.local"');
    expect(text).toContain('expected https://api.sample.local');
    expect(text).toContain('received https://other-api.sample.local');
    expect(text).toContain("What to change: Request the token with this API's identifier as audience");
    expect(text).toContain('WWW-Authenticate: Bearer realm="api", error="invalid_token"');
  });

  it('names the missing permission of a 403', async () => {
    const error = new HttpErrorResponse({
      status: 403,
      headers: new HttpHeaders({
        'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="read:admin-messages"',
      }),
      error: { status: 403, reason: 'insufficient_permission', detail: 'Lacks read:admin-messages.' },
    });
    const fixture = TestBed.createComponent(ApiResultPanel);
    fixture.componentRef.setInput('result', resultFromError('GET /api/messages/admin', error));
    await fixture.whenStable();
    const missing = (fixture.nativeElement as HTMLElement).querySelector('.missing');
    expect(missing?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Missing permission: read:admin-messages');
  });
});
