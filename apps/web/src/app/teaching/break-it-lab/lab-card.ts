import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';

/** What the card shows of an experiment; each lab's experiments have these fields. */
export interface LabExperiment {
  readonly id: string;
  readonly title: string;
  /** What the experiment does wrong, in one sentence. */
  readonly mistake: string;
  /** Why the experiment cannot run with this config (no button then); null or absent: it can. */
  readonly unavailable?: string | null;
}

/** What the card shows of a run; each lab's run state has these fields. */
export interface LabRun {
  readonly phase: string;
  /** The sent token, decoded in one line (kind, aud, ...). */
  readonly tokenSummary?: string;
  /** What the token's claims show, for the experiments about its claims. */
  readonly finding?: string;
  /** Why the answer was not the expected one, or what stopped the run. */
  readonly note?: string;
  /** The raw token that was sent. */
  readonly token?: string;
}

/**
 * One experiment of the Break it lab: its title, the mistake it makes, the button that runs it, and a live region
 * with what came back. Each lab page projects what differs: the expected answer (`[labExpected]`), a progress line
 * (`[labProgress]`), the confirmation (`[labVerdict]`), the answer itself (default slot) and anything shown after the
 * token (`[labAfterToken]`).
 * @example <app-lab-card [experiment]="experiment" [run]="runs()[experiment.id]" (reproduce)="run(experiment)" />
 */
@Component({
  selector: 'app-lab-card',
  templateUrl: './lab-card.html',
  styleUrls: ['./lab.css', './lab-card.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LabCard {
  /** The experiment: its id (the button reads `Reproduce <id>`, the heading's id is `exp-<id>`), title and mistake. */
  readonly experiment = input.required<LabExperiment>();
  /** The heading's level: 2 on the lab page itself, 3 in its sections. */
  readonly level = input<2 | 3>(2);
  /** The experiment's latest run, if any: a run not yet done disables the button; the rest fills the live region. */
  readonly run = input<LabRun | undefined>(undefined);

  /** The user pressed `Reproduce <id>`. */
  readonly reproduce = output<void>();

  protected readonly headingId = computed(() => `exp-${this.experiment().id}`);
  protected readonly running = computed(() => {
    const run = this.run();
    return run !== undefined && run.phase !== 'done';
  });
}
