import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';

/** Any unknown URL, and any page config.json turns off. */
@Component({
  selector: 'app-not-found',
  imports: [RouterLink],
  template: `
    <h1>Page not found</h1>
    <p>
      Nothing lives at <code>{{ url }}</code>. A page you expected here may be turned off in config.json.
    </p>
    <a class="button" routerLink="/">Back to home</a>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotFound {
  protected readonly url = inject(Router).url;
}
