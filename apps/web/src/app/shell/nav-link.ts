import type { Data, Route } from '@angular/router';

/** A page's link in the main navigation and on the home page, declared once in its route's `data`. */
export interface NavLink {
  /** The link text. */
  readonly label: string;
  /** What the page shows, in one line (the home page lists it). */
  readonly summary?: string;
  /** Whether to show the link, run in an injection context (e.g. a page config.json can turn off). Default: shown. */
  readonly shown?: () => boolean;
}

/** A link with the path of the route that declared it (no leading slash; '' is the home page). */
export interface RoutedNavLink extends NavLink {
  readonly path: string;
}

const NAV = 'nav';

/**
 * Route `data` that puts a page in the navigation: a feature adds its routes and gets its link, no shell edit.
 * @example { path: 'profile', loadComponent: ..., data: navData({ label: 'Profile', summary: 'Your ID token claims.' }) }
 */
export function navData(link: NavLink): Data {
  return { [NAV]: link };
}

function isNavLink(value: unknown): value is NavLink {
  return typeof value === 'object' && value !== null && 'label' in value && typeof value.label === 'string';
}

/**
 * The links the top-level `routes` declare, in route order, without those whose `shown()` says no.
 * Call it in an injection context (a component's field initializer): `shown()` may `inject()`.
 */
export function navLinks(routes: readonly Route[]): RoutedNavLink[] {
  const links: RoutedNavLink[] = [];
  for (const route of routes) {
    const link: unknown = route.data?.[NAV];
    if (isNavLink(link) && (link.shown?.() ?? true)) links.push({ ...link, path: route.path ?? '' });
  }
  return links;
}
