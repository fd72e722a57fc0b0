import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AuthService } from '@auth0/auth0-angular';
import { managementApiAudience, type ProfileView } from '@sample/contract';
import { MANAGEMENT_API_SCOPE } from '../auth/auth0-config';
import { RuntimeConfig } from '../config/runtime-config';
import { ApiProfile } from './api-profile';
import { ManagementApiProfile } from './management-api-profile';
import { ProfileEditor } from './profile-editor';
import { applyTheme } from './theme';

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

/**
 * Guarded page: the user's display name and theme (`user_metadata`), edited straight at the Management API and
 * through this app's API, and the ID token claims as the SDK validated and decoded them.
 */
@Component({
  selector: 'app-profile',
  imports: [ProfileEditor],
  templateUrl: './profile.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Profile {
  private readonly config = inject(RuntimeConfig).config;
  protected readonly managementApi = inject(ManagementApiProfile);
  protected readonly api = inject(ApiProfile);
  protected readonly managementUsersUrl = `${managementApiAudience(this.config.issuer)}users/{id}`;
  protected readonly managementScope = MANAGEMENT_API_SCOPE;
  protected readonly apiProfileUrl = `${this.config.apiUrl}/api/me/profile`;
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

  /** Shows the saved theme on the whole app. */
  protected applyTheme(profile: ProfileView): void {
    applyTheme(profile.theme);
  }
}
