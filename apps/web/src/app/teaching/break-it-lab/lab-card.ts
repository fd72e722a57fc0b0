import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';

/**
 * One experiment of the Break it lab: its title, the mistake it makes, the button that runs it, and a live region
 * with what came back. Each lab page projects what differs: the expected answer (`[labExpected]`), a progress line
 * (`[labProgress]`), the confirmation (`[labVerdict]`), the answer itself (default slot) and anything shown after the
 * token (`[labAfterToken]`).
 * @example <app-lab-card experimentId="opaque_token" heading="..." mistake="..." (reproduce)="run()" />
 */
@Component({
  selector: 'app-lab-card',
  templateUrl: './lab-card.html',
  styleUrls: ['./lab.css', './lab-card.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LabCard {
  /** The experiment's id: the button reads `Reproduce <id>`, the heading's id is `exp-<id>`. */
  readonly experimentId = input.required<string>();
  readonly heading = input.required<string>();
  /** What the experiment does wrong, in one sentence. */
  readonly mistake = input.required<string>();
  /** The heading's level: 2 on the lab page itself, 3 in its sections. */
  readonly level = input<2 | 3>(2);
  /** Why the experiment cannot run with this config (no button then); null or undefined: it can. */
  readonly unavailable = input<string | null | undefined>(undefined);
  /** A run is under way: the button is disabled and says so. */
  readonly running = input(false);
  /** The sent token, decoded in one line (kind, aud, ...). */
  readonly tokenSummary = input<string | undefined>(undefined);
  /** What the token's claims show, for the experiments about its claims. */
  readonly finding = input<string | undefined>(undefined);
  /** Why the answer was not the expected one, or what stopped the run. */
  readonly note = input<string | undefined>(undefined);
  /** The raw token that was sent. */
  readonly token = input<string | undefined>(undefined);

  /** The user pressed `Reproduce <id>`. */
  readonly reproduce = output<void>();

  protected readonly headingId = computed(() => `exp-${this.experimentId()}`);
}
