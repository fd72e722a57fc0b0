import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { readableText } from '../../../testing/readable-text';
import { LabCard, type LabExperiment, type LabRun } from './lab-card';

/** A lab page in miniature: one card, its inputs in signals, something in every slot. */
@Component({
  imports: [LabCard],
  template: `
    <app-lab-card
      [experiment]="experiment()"
      [level]="level()"
      [run]="run()"
      (reproduce)="reproduced = reproduced + 1"
    >
      <ng-container ngProjectAs="[labExpected]"><p>Expected: opaque_token</p></ng-container>
      <ng-container ngProjectAs="[labAfterToken]">
        @if (run()?.phase === 'done') {
          <p>After the token</p>
        }
      </ng-container>
      @if (run()?.phase === 'done') {
        <p>The answer</p>
      }
      <ng-container ngProjectAs="[labVerdict]">
        @if (run()?.phase === 'done') {
          <p>As expected</p>
        }
      </ng-container>
      <ng-container ngProjectAs="[labProgress]">
        @if (run()?.phase === 'done') {
          <p>Progress</p>
        }
      </ng-container>
    </app-lab-card>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class LabPage {
  readonly experiment = signal<LabExperiment>({
    id: 'opaque_token',
    title: 'Get a token without an audience',
    mistake: 'Asks the SDK for a token with no audience.',
    unavailable: null,
  });
  readonly level = signal<2 | 3>(2);
  readonly run = signal<LabRun | undefined>(undefined);
  reproduced = 0;
}

describe('LabCard', () => {
  async function setUp() {
    const fixture = TestBed.createComponent(LabPage);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const button = () => root.querySelector('button');
    const liveRegion = () => root.querySelector('[aria-live="polite"]') as HTMLElement;
    return { fixture, page: fixture.componentInstance, root, button, liveRegion };
  }

  it('renders the experiment as a region named by its heading, with its mistake, expectation and button', async () => {
    const { root, button, liveRegion } = await setUp();
    const section = root.querySelector('section.card.experiment');
    expect(section?.getAttribute('aria-labelledby')).toBe('exp-opaque_token');
    const heading = root.querySelector('h2#exp-opaque_token');
    expect(heading?.textContent).toBe('Get a token without an audience');
    expect(readableText(section as Element)).toMatch(
      /^Get a token without an audience Asks the SDK for a token with no audience\. Expected: opaque_token Reproduce opaque_token$/,
    );
    expect(button()?.disabled).toBe(false);
    expect(button()?.type).toBe('button');
    // The live region is there before any run, empty, so what appears in it is announced.
    expect(liveRegion().textContent?.trim()).toBe('');
  });

  it('uses an h3 at level 3', async () => {
    const { fixture, page, root } = await setUp();
    page.level.set(3);
    await fixture.whenStable();
    expect(root.querySelector('h2')).toBeNull();
    expect(root.querySelector('h3#exp-opaque_token')?.textContent).toBe('Get a token without an audience');
  });

  it('emits reproduce when the button is pressed', async () => {
    const { page, button } = await setUp();
    button()?.click();
    button()?.click();
    expect(page.reproduced).toBe(2);
  });

  it('disables the button while a run is under way, and says so', async () => {
    const { fixture, page, button } = await setUp();
    page.run.set({ phase: 'running' });
    await fixture.whenStable();
    expect(button()?.disabled).toBe(true);
    expect(button()?.textContent?.trim()).toBe('Running…');
    page.run.set({ phase: 'done' });
    await fixture.whenStable();
    expect(button()?.disabled).toBe(false);
    expect(button()?.textContent?.trim()).toBe('Reproduce opaque_token');
  });

  it('offers no button when the config cannot run the experiment, and says why', async () => {
    const { fixture, page, root, button } = await setUp();
    page.experiment.update((experiment) => ({
      ...experiment,
      unavailable: 'Set labOtherAudience in config.json.',
    }));
    await fixture.whenStable();
    expect(button()).toBeNull();
    expect(readableText(root)).toContain(
      'Not available with this config: Set labOtherAudience in config.json.',
    );
  });

  it('shows the answer in the live region: summary, finding, verdict, note, answer, token, then the rest', async () => {
    const { fixture, page, liveRegion } = await setUp();
    page.run.set({
      phase: 'done',
      tokenSummary: 'opaque token (32 characters)',
      finding: 'The token lists no aud.',
      note: 'The API answered otherwise.',
      token: 'the-token',
    });
    await fixture.whenStable();
    expect(readableText(liveRegion())).toBe(
      'Progress Token sent: opaque token (32 characters) The token lists no aud. As expected ' +
        'The API answered otherwise. The answer Token that was sent the-token After the token',
    );
    expect(liveRegion().querySelector('details summary')?.textContent).toBe('Token that was sent');
    expect(liveRegion().querySelector('details pre')?.textContent).toBe('the-token');
  });

  it('shows only what the run has', async () => {
    const { fixture, page, liveRegion } = await setUp();
    page.run.set({ phase: 'done' });
    await fixture.whenStable();
    expect(readableText(liveRegion())).toBe('Progress As expected The answer After the token');
    expect(liveRegion().querySelector('details')).toBeNull();
  });
});
