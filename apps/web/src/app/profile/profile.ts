import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AuthService } from '@auth0/auth0-angular';

/** What a standard ID token claim means. */
const CLAIM_NOTES: Readonly<Record<string, string>> = {
  sub: 'Subject: the user id at the auth server. Stable; use it as the key for the user.',
  name: 'Display name (scope profile).',
  nickname: 'Nickname (scope profile).',
  picture: 'Avatar URL (scope profile).',
  email: 'Email address (scope email).',
  email_verified: 'Whether the email was verified (scope email).',
  iss: 'Issuer: who signed the token.',
  aud: "Audience: this app's client id. The ID token is for the app only.",
  iat: 'Issued at.',
  exp: 'Expires at.',
  auth_time: 'When the user last entered credentials.',
  nonce: 'Binds the token to this login request (checked by the SDK).',
  sid: 'Session id at the auth server.',
  at_hash: 'Hash of the access token issued with it.',
  updated_at: 'When the profile last changed.',
};

/** Guarded page: the user's ID token claims, as the SDK validated and decoded them. */
@Component({
  selector: 'app-profile',
  templateUrl: './profile.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Profile {
  private readonly claims = toSignal(inject(AuthService).idTokenClaims$, { initialValue: null });

  protected readonly rows = computed(() => {
    const claims = this.claims();
    if (!claims) return [];
    return Object.entries(claims)
      .filter(([name]) => name !== '__raw')
      .map(([name, value]) => ({
        name,
        value:
          (name === 'exp' || name === 'iat' || name === 'auth_time') && typeof value === 'number'
            ? `${value} (${new Date(value * 1000).toLocaleString()})`
            : typeof value === 'string'
              ? value
              : JSON.stringify(value),
        note: CLAIM_NOTES[name] ?? null,
      }));
  });
  protected readonly picture = computed(() => {
    const picture = this.claims()?.picture;
    return typeof picture === 'string' && picture.startsWith('https://') ? picture : null;
  });
  protected readonly name = computed(
    () => this.claims()?.name ?? this.claims()?.email ?? this.claims()?.['sub'] ?? '',
  );
}
