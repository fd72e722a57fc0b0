import { inject } from '@angular/core';
import type { CanMatchFn, Routes } from '@angular/router';
import { authGuardFn } from '@auth0/auth0-angular';
import { Home } from './home/home';
import { RuntimeConfig } from './config/runtime-config';

/** The lab exists only when config.json says so (`breakItLab`, default true); otherwise its URL is not found. */
export const breakItLabEnabled: CanMatchFn = () => inject(RuntimeConfig).config.breakItLab;

/**
 * Home is eager (it is the landing page); every other page is a lazy chunk. `authGuardFn` sends signed-out
 * users to the login page and back; the API still decides what they may do.
 */
export const routes: Routes = [
  { path: '', component: Home, title: 'Home · Auth0 SPA sample' },
  {
    path: 'profile',
    canActivate: [authGuardFn],
    loadComponent: () => import('./profile/profile').then((m) => m.Profile),
    title: 'Profile · Auth0 SPA sample',
  },
  {
    path: 'api',
    loadComponent: () => import('./api-console/api-console').then((m) => m.ApiConsole),
    title: 'Call the API · Auth0 SPA sample',
  },
  {
    path: 'tokens',
    canActivate: [authGuardFn],
    loadComponent: () => import('./token-inspector/token-inspector').then((m) => m.TokenInspector),
    title: 'Token inspector · Auth0 SPA sample',
  },
  {
    path: 'lab',
    canMatch: [breakItLabEnabled],
    canActivate: [authGuardFn],
    loadComponent: () => import('./break-it-lab/break-it-lab').then((m) => m.BreakItLab),
    title: 'Break it lab · Auth0 SPA sample',
  },
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
