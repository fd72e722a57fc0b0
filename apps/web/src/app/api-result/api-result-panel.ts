import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { explain, type ApiResult } from './api-result';

/** Shows one API call: status, body and, on failure, the API's reason, detail and fix in plain words. */
@Component({
  selector: 'app-api-result-panel',
  templateUrl: './api-result-panel.html',
  styleUrl: './api-result-panel.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiResultPanel {
  readonly result = input.required<ApiResult>();

  protected readonly explanation = computed(() => explain(this.result()));
  protected readonly body = computed(() => {
    const body = this.result().body;
    return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  });

  /** `a, b` for a list, the value for a string, `(none)` for null. */
  protected listed(value: string | readonly string[] | null | undefined): string {
    if (value === null || value === undefined) return '(none)';
    return typeof value === 'string' ? value : value.join(', ');
  }
}
