import { InjectionToken } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { inject } from '@angular/core';
import { navData, navLinks } from './nav-link';

const FEATURE_ON = new InjectionToken<boolean>('test.feature-on');

describe('navLinks', () => {
  function linksWith(featureOn: boolean) {
    TestBed.configureTestingModule({ providers: [{ provide: FEATURE_ON, useValue: featureOn }] });
    return TestBed.runInInjectionContext(() =>
      navLinks([
        { path: '', data: navData({ label: 'Home' }) },
        { path: 'plain' },
        { path: 'other-data', data: { title: 'not a link' } },
        { path: 'profile', data: navData({ label: 'Profile', summary: 'Who you are.' }) },
        { path: 'feature', data: navData({ label: 'Feature', shown: () => inject(FEATURE_ON) }) },
      ]),
    );
  }

  it('lists the routes that declare a link, in order, with their paths', () => {
    expect(linksWith(true).map(({ path, label, summary }) => ({ path, label, summary }))).toEqual([
      { path: '', label: 'Home', summary: undefined },
      { path: 'profile', label: 'Profile', summary: 'Who you are.' },
      { path: 'feature', label: 'Feature', summary: undefined },
    ]);
  });

  it('leaves out a link whose shown() says no, running it in an injection context', () => {
    expect(linksWith(false).map((link) => link.label)).toEqual(['Home', 'Profile']);
  });
});
