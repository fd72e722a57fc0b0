import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';

/** Any unknown URL (and the lab when config.json turns it off). */
@Component({
  selector: 'app-not-found',
  imports: [RouterLink],
  template: `
    <h1>Page not found</h1>
    <p>
      Nothing lives at <code>{{ url }}</code>. If you expected the Break it lab here, it may be turned off in
      config.json (<code>breakItLab</code>).
    </p>
    <a class="button" routerLink="/">Back to home</a>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotFound {
  protected readonly url = inject(Router).url;
}
