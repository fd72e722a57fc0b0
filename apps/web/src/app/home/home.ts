import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { Session } from '../auth/session';
import { RuntimeConfig } from '../config/runtime-config';
import { navLinks } from '../shell/nav-link';

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
  /** The pages whose route gives a summary (`navData`), in navigation order. */
  protected readonly pages = navLinks(inject(Router).config).filter((link) => link.summary);
}
