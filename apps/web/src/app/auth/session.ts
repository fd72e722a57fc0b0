import { Injectable, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';
import { AuthService } from '@auth0/auth0-angular';

/** The SDK's session state as signals (zoneless templates read signals), plus login and logout. */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  /** True until the SDK has handled a login callback or checked for an existing session. */
  readonly isLoading = toSignal(this.auth.isLoading$, { initialValue: true });
  readonly isAuthenticated = toSignal(this.auth.isAuthenticated$, { initialValue: false });
  /** The user's profile (from the ID token), or null when signed out. */
  readonly user = toSignal(this.auth.user$, { initialValue: null });

  /** Redirects to the auth server's login page; the SDK brings the user back to `target`. */
  login(target = this.router.url): void {
    this.auth
      .loginWithRedirect({ appState: { target: target.startsWith('/error') ? '/' : target } })
      .subscribe();
  }

  /** Ends the session locally and at the auth server, then returns to the home page. */
  logout(): void {
    // returnTo must be an "Allowed Logout URL" of the application.
    this.auth.logout({ logoutParams: { returnTo: window.location.origin } }).subscribe();
  }
}
