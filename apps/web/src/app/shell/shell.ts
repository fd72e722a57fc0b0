import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { Session } from '../auth/session';
import { navLinks } from './nav-link';

/**
 * Header, navigation and the routed page. Exists only with a valid config, so it starts the router.
 * The navigation lists the routes that declare a link (`navData()` in their `data`).
 */
@Component({
  selector: 'app-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  templateUrl: './shell.html',
  styleUrl: './shell.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly session = inject(Session);
  protected readonly links = navLinks(inject(Router).config);

  constructor() {
    // Initial navigation waits for this point (withDisabledInitialNavigation): route guards need the SDK's config.
    inject(Router).initialNavigation();
  }
}
