import { TestBed } from '@angular/core/testing';
import { ConfigProblemPage } from './config-problem-page';

describe('ConfigProblemPage', () => {
  it('names each bad field and the fix instead of a blank page', async () => {
    const fixture = TestBed.createComponent(ConfigProblemPage);
    fixture.componentRef.setInput('problem', {
      title: 'config.json has 1 invalid field.',
      issues: [
        { key: 'apiUrl', message: 'apiUrl must be an absolute URL like http://localhost:3000 (got "/api")' },
      ],
      fix: 'Correct the fields below in apps/web/public/config.json, then reload this page.',
    });
    await fixture.whenStable();
    const text = (fixture.nativeElement as HTMLElement)
      .querySelector('[role="alert"]')
      ?.textContent?.replace(/\s+/g, ' ');
    expect(text).toContain('config.json has 1 invalid field.');
    expect(text).toContain('apiUrl: apiUrl must be an absolute URL like http://localhost:3000 (got "/api")');
    expect(text).toContain('How to fix it: Correct the fields below');
  });
});
