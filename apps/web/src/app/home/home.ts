import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Session } from '../auth/session';
import { RuntimeConfig } from '../config/runtime-config';

/** Public landing page: what the sample shows, who is signed in, and the config in use. */
@Component({
  selector: 'app-home',
  imports: [RouterLink],
  templateUrl: './home.html',
  styleUrl: './home.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Home {
  protected readonly session = inject(Session);
  private readonly runtime = inject(RuntimeConfig);
  protected readonly config = this.runtime.config;
  protected readonly warnings = this.runtime.warnings;
}
