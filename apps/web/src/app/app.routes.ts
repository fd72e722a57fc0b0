import type { Routes } from '@angular/router';
import { authGuardFn } from '@auth0/auth0-angular';
import { Home } from './home/home';
import { navData } from './shell/nav-link';
import { teachingRoutes } from './teaching/teaching.routes'; // eslint-disable-line no-restricted-imports -- teaching layer

/**
 * Home is eager (it is the landing page); every other page is a lazy chunk. `authGuardFn` sends signed-out
 * users to the login page and back; the API still decides what they may do. A route with `navData()` gets a link
 * in the header (and on the home page when it has a summary).
 */
export const routes: Routes = [
  { path: '', component: Home, title: 'Home · Auth0 SPA sample', data: navData({ label: 'Home' }) },
  {
    path: 'profile',
    canActivate: [authGuardFn],
    loadComponent: () => import('./profile/profile').then((m) => m.Profile),
    title: 'Profile · Auth0 SPA sample',
    data: navData({
      label: 'Profile',
      summary:
        "the ID token's claims, and your display name and theme edited at the Management API directly or through the API.",
    }),
  },
  {
    path: 'api',
    loadComponent: () => import('./api-console/api-console').then((m) => m.ApiConsole),
    title: 'Call the API · Auth0 SPA sample',
    data: navData({
      label: 'Call the API',
      summary: "public, protected, admin and /api/me, with status, body and the API's reason on failure.",
    }),
  },
  ...teachingRoutes, // teaching layer
  {
    path: 'error',
    loadComponent: () => import('./error/error-page').then((m) => m.ErrorPage),
    title: 'Sign-in error · Auth0 SPA sample',
  },
  {
    path: '**',
    loadComponent: () => import('./not-found/not-found').then((m) => m.NotFound),
    title: 'Not found · Auth0 SPA sample',
  },
];
