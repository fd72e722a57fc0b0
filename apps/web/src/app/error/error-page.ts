import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { AuthService, AuthenticationError } from '@auth0/auth0-angular';
import { Session } from '../auth/session';

/** What to do about the usual errors an authorization server sends back to the redirect URI. */
const HINTS: Readonly<Record<string, string>> = {
  access_denied:
    'The user or a rule refused the login (e.g. denied consent, or the user is blocked). Try again or use another user.',
  login_required: 'There is no session at the auth server: log in.',
  consent_required: 'The app asked for scopes the user has not consented to: log in again to grant them.',
  interaction_required: 'The auth server needs the user to interact: log in again.',
  invalid_request:
    'The login request was malformed: check domain, clientId and the callback URL (Allowed Callback URLs).',
  unauthorized_client:
    'This client may not use this flow: check the application type (SPA) and grant types in the tenant.',
  invalid_scope: 'A requested scope is unknown: check scope in config.json against the API permissions.',
  server_error: 'The auth server failed: check its log.',
  temporarily_unavailable: 'The auth server is overloaded or restarting: try again shortly.',
};

/** What auth0-spa-js throws when the redirect comes back with a state it never sent (no transaction). */
const STATE_ERRORS = new Set(['missing_transaction', 'state_mismatch']);

/**
 * Where the SDK sends a failed login (`errorPath`): shows the error and description from the redirect. Other SDK
 * errors (a silent token request's login_required, say) also reach error$, but are not a failed sign-in.
 */
@Component({
  selector: 'app-error-page',
  imports: [RouterLink],
  templateUrl: './error-page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ErrorPage {
  protected readonly session = inject(Session);
  private readonly error = toSignal(inject(AuthService).error$, { initialValue: null });

  protected readonly details = computed(() => {
    const error = this.error() as (Error & { error?: string; error_description?: string }) | null;
    if (!error) return null;
    const code = error.error ?? error.name;
    const fromRedirect = error instanceof AuthenticationError || STATE_ERRORS.has(code);
    if (!fromRedirect) return null;
    return { code, description: error.error_description ?? error.message, hint: HINTS[code] ?? null };
  });
}
