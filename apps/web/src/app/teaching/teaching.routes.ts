import type { Routes } from '@angular/router';
import { authGuardFn } from '@auth0/auth0-angular';
import { navData } from '../shell/nav-link';
import { breakItLabOn } from './break-it-lab/lab-settings';

/**
 * The teaching layer's pages: the token inspector, and the Break it lab when config.json turns it on. One line in
 * `app.routes.ts` adds them (and, through `navData`, their links); deleting this folder and the lines ending in
 * `// teaching layer` leaves the app without them.
 */
export const teachingRoutes: Routes = [
  {
    path: 'tokens',
    canActivate: [authGuardFn],
    loadComponent: () => import('./token-inspector/token-inspector').then((m) => m.TokenInspector),
    title: 'Token inspector · Auth0 SPA sample',
    data: navData({
      label: 'Token inspector',
      summary: 'access token and ID token decoded side by side, checked against this config.',
    }),
  },
  {
    path: 'lab',
    // Off (the default): /lab is not found and has no link.
    canMatch: [breakItLabOn],
    canActivate: [authGuardFn],
    loadComponent: () => import('./break-it-lab/break-it-lab').then((m) => m.BreakItLab),
    title: 'Break it lab · Auth0 SPA sample',
    data: navData({
      label: 'Break it lab',
      summary: "send the wrong token on purpose and read the API's explanation.",
      shown: breakItLabOn,
    }),
  },
];
