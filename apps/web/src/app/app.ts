import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ConfigProblemPage } from './config/config-problem-page';
import { RuntimeConfig } from './config/runtime-config';
import { Shell } from './shell/shell';

/** Root: the app shell when `/config.json` is valid, otherwise the screen that says what to fix. */
@Component({
  selector: 'app-root',
  imports: [ConfigProblemPage, Shell],
  template: `
    @if (problem; as problem) {
      <app-config-problem-page [problem]="problem" />
    } @else {
      <app-shell />
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  protected readonly problem = inject(RuntimeConfig).problem;
}
