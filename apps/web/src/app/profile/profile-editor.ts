import { ChangeDetectionStrategy, Component, input, output, signal, type OnInit } from '@angular/core';
import {
  DISPLAY_NAME_MAX_LENGTH,
  THEMES,
  profilePatchSchema,
  type ProfilePatch,
  type ProfileView,
  type Theme,
} from '@sample/contract';
import type { ProfileFailure, ProfileOutcome, ProfileSource } from './profile-source';

/** The form's fields that can be invalid, with the contract's message. */
type FieldErrors = Partial<Record<'displayName' | 'theme', string>>;

/** What a profile holds, in one sentence for the status line. */
function described(profile: ProfileView): string {
  const name = profile.displayName === null ? 'no display name' : `display name "${profile.displayName}"`;
  const theme = profile.theme === null ? 'no theme' : `theme ${profile.theme}`;
  return `${name}, ${theme}.`;
}

/**
 * The display name and theme form over one `ProfileSource`: loads on start, validates like the contract
 * (`profilePatchSchema`), saves, and announces the outcome (role=status) or the failure (role=alert).
 */
@Component({
  selector: 'app-profile-editor',
  templateUrl: './profile-editor.html',
  styleUrl: './profile-editor.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProfileEditor implements OnInit {
  readonly source = input.required<ProfileSource>();
  /** Prefix of the form's element ids: two editors share the page. */
  readonly idPrefix = input.required<string>();
  /** The save button's text, e.g. "Save through the Management API". */
  readonly saveLabel = input.required<string>();
  /** Each profile read or saved (the page applies its theme). */
  readonly profileChange = output<ProfileView>();

  protected readonly themes = THEMES;
  protected readonly maxLength = DISPLAY_NAME_MAX_LENGTH;
  protected readonly displayName = signal('');
  protected readonly theme = signal<Theme | ''>('');
  protected readonly busy = signal<'loading' | 'saving' | 'granting' | null>('loading');
  protected readonly status = signal('Loading your profile…');
  protected readonly failure = signal<ProfileFailure | null>(null);
  protected readonly errors = signal<FieldErrors>({});

  ngOnInit(): void {
    void this.loadProfile();
  }

  protected id(name: string): string {
    return `${this.idPrefix()}-${name}`;
  }

  /** Reads the profile from the source into the form. */
  protected async loadProfile(): Promise<void> {
    this.busy.set('loading');
    this.status.set('Loading your profile…');
    this.show(await this.source().load(), 'Loaded', 'Could not load your profile.');
  }

  /** Validates the form like the contract, then saves it; an empty display name or "Not set" deletes the key. */
  protected async saveProfile(): Promise<void> {
    const patch = this.validPatch();
    if (!patch) {
      this.status.set('Not saved: check the highlighted field.');
      return;
    }
    this.busy.set('saving');
    this.status.set('Saving…');
    this.failure.set(null);
    this.show(await this.source().save(patch), 'Saved', 'Not saved.');
  }

  /** The interactive fallback after consent_required / login_required, then a fresh load with the new token. */
  protected async grantAccess(): Promise<void> {
    const grant = this.source().grantAccess;
    if (!grant) return;
    this.busy.set('granting');
    this.status.set('Waiting for the auth server (a pop-up)…');
    const failure = await grant.call(this.source());
    if (failure) {
      this.failure.set(failure);
      this.status.set('Access not granted.');
      this.busy.set(null);
      return;
    }
    await this.loadProfile();
  }

  protected typeDisplayName(event: Event): void {
    this.displayName.set((event.target as HTMLInputElement).value);
  }

  protected chooseTheme(event: Event): void {
    this.theme.set((event.target as HTMLSelectElement).value as Theme | '');
  }

  private validPatch(): ProfilePatch | null {
    const name = this.displayName();
    const result = profilePatchSchema.safeParse({
      displayName: name.trim() === '' ? null : name,
      theme: this.theme() === '' ? null : this.theme(),
    });
    if (result.success) {
      this.errors.set({});
      return result.data;
    }
    const errors: FieldErrors = {};
    for (const issue of result.error.issues) {
      const field = issue.path[0];
      if ((field === 'displayName' || field === 'theme') && !errors[field]) errors[field] = issue.message;
    }
    this.errors.set(errors);
    return null;
  }

  private show(outcome: ProfileOutcome, done: string, failed: string): void {
    this.busy.set(null);
    if (outcome.ok) {
      this.failure.set(null);
      this.displayName.set(outcome.profile.displayName ?? '');
      this.theme.set(outcome.profile.theme ?? '');
      this.status.set(`${done}: ${described(outcome.profile)}`);
      this.profileChange.emit(outcome.profile);
    } else {
      this.failure.set(outcome.failure);
      this.status.set(failed);
    }
  }
}
