import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import type { DecodedToken } from '../token/decoded-token';
import { KEY_CLAIMS, type TokenCheck } from '../token/token-checks';

interface ClaimRow {
  readonly name: string;
  readonly value: string;
  readonly key: boolean;
  readonly statuses: readonly TokenCheck['status'][];
}

function rows(values: Readonly<Record<string, unknown>> | null, checks: readonly TokenCheck[]): ClaimRow[] {
  return Object.entries(values ?? {}).map(([name, value]) => ({
    name,
    value: typeof value === 'string' ? value : JSON.stringify(value),
    key: (KEY_CLAIMS as readonly string[]).includes(name),
    statuses: checks.filter((check) => check.claim === name).map((check) => check.status),
  }));
}

/** One decoded token: raw value with a copy button, header and payload with key claims highlighted, and checks. */
@Component({
  selector: 'app-token-card',
  templateUrl: './token-card.html',
  styleUrl: './token-card.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TokenCard {
  readonly heading = input.required<string>();
  readonly token = input.required<DecodedToken>();
  readonly checks = input.required<readonly TokenCheck[]>();

  protected readonly copied = signal('');
  /** The header and the payload as claim tables; an opaque token has neither. */
  protected readonly tables = computed(() => {
    const token = this.token();
    const checks = this.checks();
    return [
      { caption: 'Header', rows: rows(token.kind === 'opaque' ? null : token.header, checks) },
      { caption: 'Payload', rows: rows(token.kind === 'jwt' ? token.payload : null, checks) },
    ].filter((table) => table.rows.length > 0);
  });

  /** Copies the raw token to the clipboard (nothing is sent anywhere). */
  protected async copyToken(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.token().raw);
      this.copied.set('Copied to the clipboard.');
    } catch {
      this.copied.set('The browser refused clipboard access: select the token text and copy it by hand.');
    }
  }

  protected worst(statuses: readonly TokenCheck['status'][]): TokenCheck['status'] | null {
    for (const status of ['fail', 'warn', 'ok', 'info'] as const)
      if (statuses.includes(status)) return status;
    return null;
  }
}
