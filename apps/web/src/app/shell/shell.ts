import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { Session } from '../auth/session';
import { RuntimeConfig } from '../config/runtime-config';

/** Header, navigation and the routed page. Exists only with a valid config, so it starts the router. */
@Component({
  selector: 'app-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  templateUrl: './shell.html',
  styleUrl: './shell.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly session = inject(Session);
  protected readonly labEnabled = inject(RuntimeConfig).config.breakItLab;

  constructor() {
    // Initial navigation waits for this point (withDisabledInitialNavigation): route guards need the SDK's config.
    inject(Router).initialNavigation();
  }
}
