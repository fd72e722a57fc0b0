import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AuthService } from '@auth0/auth0-angular';
import { from, switchMap } from 'rxjs';
import { RuntimeConfig } from '../../config/runtime-config';
import { decodeToken, type DecodedToken } from '../token/decoded-token';
import {
  boundKeyThumbprint,
  keyBindingCheck,
  proofKeyThumbprint,
  type BrowserDpopKey,
} from '../token/key-binding';
import { checkAccessToken, checkIdToken, type TokenCheck } from '../token/token-checks';
import { TokenCard } from './token-card';

/**
 * Guarded page: access token and ID token side by side, decoded locally and checked against the config, and the
 * access token's key binding (DPoP `cnf.jkt`) against this browser's DPoP key.
 */
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
  /** This browser's DPoP key, by its thumbprint (none while useDpop is off). */
  protected readonly browserKey = signal<BrowserDpopKey>(
    this.config.useDpop ? { state: 'loading' } : { state: 'off' },
  );

  protected readonly access = computed(() => {
    const raw = this.accessToken();
    if (!raw) return null;
    const token = decodeToken(raw);
    return { token, checks: this.accessTokenChecks(token) };
  });
  /** The access token's `cnf.jkt` next to this browser's key, and whether they match, in words. */
  protected readonly binding = computed(() => {
    const access = this.access();
    if (access?.token.kind !== 'jwt') return null;
    return {
      jkt: boundKeyThumbprint(access.token),
      key: this.browserKey(),
      check: keyBindingCheck(access.token, this.browserKey()),
    };
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
    return { token, checks: this.accessTokenChecks(token) };
  });

  constructor() {
    const timer = setInterval(() => this.now.set(Math.floor(Date.now() / 1000)), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
    this.loadAccessToken();
    this.loadBrowserKey();
  }

  private accessTokenChecks(token: DecodedToken): TokenCheck[] {
    const binding = keyBindingCheck(token, this.browserKey());
    return [...checkAccessToken(token, this.config, this.now()), ...(binding ? [binding] : [])];
  }

  /**
   * Reads the thumbprint of the SDK's DPoP key from the public key in a proof the SDK makes (the private key cannot
   * leave IndexedDB). The proof is never sent, so it proves no token: its accessToken is empty.
   */
  private loadBrowserKey(): void {
    if (!this.config.useDpop) return;
    this.auth
      .generateDpopProof({ url: location.href, method: 'GET', accessToken: '' })
      .pipe(switchMap((proof) => from(proofKeyThumbprint(proof))))
      .subscribe({
        next: (thumbprint) => this.browserKey.set({ state: 'ready', thumbprint }),
        error: (error: { message?: string }) =>
          this.browserKey.set({ state: 'error', message: error.message ?? String(error) }),
      });
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
