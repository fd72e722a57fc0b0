import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { LOCAL_TENANT } from '@sample/contract';
import type { ConfigProblem } from './runtime-config';

/** Shown instead of the app when `/config.json` is missing or invalid: names each field and the fix. */
@Component({
  selector: 'app-config-problem-page',
  templateUrl: './config-problem-page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConfigProblemPage {
  readonly problem = input.required<ConfigProblem>();

  protected readonly example = JSON.stringify(
    {
      domain: LOCAL_TENANT.domain,
      clientId: LOCAL_TENANT.spaClientId,
      audience: LOCAL_TENANT.apiAudience,
      apiUrl: LOCAL_TENANT.apiUrl,
    },
    null,
    2,
  );

  protected reload(): void {
    window.location.reload();
  }
}
