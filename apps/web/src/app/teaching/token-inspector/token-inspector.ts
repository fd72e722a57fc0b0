import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AuthService } from '@auth0/auth0-angular';
import { RuntimeConfig } from '../../config/runtime-config';
import { decodeToken } from '../token/decoded-token';
import { checkAccessToken, checkIdToken } from '../token/token-checks';
import { TokenCard } from './token-card';

/** Guarded page: access token and ID token side by side, decoded locally and checked against the config. */
@Component({
  selector: 'app-token-inspector',
  imports: [TokenCard],
  templateUrl: './token-inspector.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TokenInspector {
  private readonly auth = inject(AuthService);
  protected readonly config = inject(RuntimeConfig).config;

  /** Seconds since the epoch, ticking: drives the exp countdowns. */
  private readonly now = signal(Math.floor(Date.now() / 1000));
  protected readonly accessToken = signal<string | null>(null);
  protected readonly accessTokenError = signal<string | null>(null);
  private readonly idClaims = toSignal(this.auth.idTokenClaims$, { initialValue: null });
  protected readonly pasted = signal('');

  protected readonly access = computed(() => {
    const raw = this.accessToken();
    if (!raw) return null;
    const token = decodeToken(raw);
    return { token, checks: checkAccessToken(token, this.config, this.now()) };
  });
  protected readonly id = computed(() => {
    const raw = this.idClaims()?.__raw;
    if (!raw) return null;
    const token = decodeToken(raw);
    return { token, checks: checkIdToken(token, this.config, this.now()) };
  });
  protected readonly other = computed(() => {
    const raw = this.pasted().trim();
    if (!raw) return null;
    const token = decodeToken(raw);
    return { token, checks: checkAccessToken(token, this.config, this.now()) };
  });

  constructor() {
    const timer = setInterval(() => this.now.set(Math.floor(Date.now() / 1000)), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
    this.loadAccessToken();
  }

  /** Reads the access token from the SDK (its cache, or a silent renewal); it is shown, never sent. */
  protected loadAccessToken(): void {
    this.auth.getAccessTokenSilently().subscribe({
      next: (token) => {
        this.accessToken.set(token ?? null);
        this.accessTokenError.set(null);
      },
      error: (error: { error?: string; message?: string }) =>
        this.accessTokenError.set(
          `${error.error ?? 'error'}: ${error.message ?? 'could not get an access token'}`,
        ),
    });
  }

  protected pasteToken(event: Event): void {
    this.pasted.set((event.target as HTMLTextAreaElement).value);
  }
}
