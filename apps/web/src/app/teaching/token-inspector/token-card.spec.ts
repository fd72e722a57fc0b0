import { TestBed } from '@angular/core/testing';
import { TEST_CONFIG } from '../../../testing/fake-auth0-client';
import { fakeJwt } from '../testing/fake-jwt';
import { decodeToken } from '../token/decoded-token';
import { checkAccessToken } from '../token/token-checks';
import { TokenCard } from './token-card';

const NOW = 1_800_000_000;

async function render(raw: string) {
  const token = decodeToken(raw);
  const fixture = TestBed.createComponent(TokenCard);
  fixture.componentRef.setInput('heading', 'Access token (for the API)');
  fixture.componentRef.setInput('token', token);
  fixture.componentRef.setInput('checks', checkAccessToken(token, TEST_CONFIG, NOW));
  await fixture.whenStable();
  return fixture.nativeElement as HTMLElement;
}

/** The value cell of a claim's row in the table with that caption. */
function cell(root: HTMLElement, caption: string, claim: string): HTMLTableCellElement | undefined {
  const table = [...root.querySelectorAll('table')].find((t) => t.caption?.textContent?.trim() === caption);
  const row = [...(table?.querySelectorAll('tr') ?? [])].find(
    (r) => r.querySelector('th')?.textContent === claim,
  );
  return row?.querySelector('td') ?? undefined;
}

describe('TokenCard', () => {
  it('shows header and payload claims in tables, the key claims highlighted and checked', async () => {
    const root = await render(
      fakeJwt({
        iss: TEST_CONFIG.issuer,
        aud: TEST_CONFIG.audience,
        exp: NOW + 60,
        sub: 'auth0|u',
        scope: 'openid',
      }),
    );
    expect(root.textContent).toContain('JWT (signed)');
    expect(cell(root, 'Header', 'kid')?.textContent).toBe('key-1');
    expect(cell(root, 'Payload', 'aud')?.textContent).toBe(TEST_CONFIG.audience);
    const audRow = cell(root, 'Payload', 'aud')?.parentElement;
    expect(audRow?.classList).toContain('key');
    expect(audRow?.classList).toContain('ok');
  });

  it('marks an audience that is not the configured one as failed', async () => {
    const root = await render(fakeJwt({ iss: TEST_CONFIG.issuer, aud: 'sample-spa', exp: NOW + 60 }));
    expect(cell(root, 'Payload', 'aud')?.parentElement?.classList).toContain('fail');
  });

  it('renders an opaque token without tables and says why it is opaque', async () => {
    const root = await render('qw3rty-opaque-access-token');
    expect(root.textContent).toContain('Opaque');
    expect(root.querySelectorAll('table')).toHaveLength(0);
    expect(root.textContent).toMatch(/without an audience/i);
  });

  it('names the copy button after its visible text and the token', async () => {
    const root = await render(fakeJwt({ aud: TEST_CONFIG.audience }));
    const button = root.querySelector('button');
    expect(button?.textContent?.trim()).toBe('Copy token');
    expect(button?.getAttribute('aria-label')).toBe('Copy token: Access token (for the API)');
  });
});
