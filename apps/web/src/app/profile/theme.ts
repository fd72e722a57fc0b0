import type { Theme } from '@sample/contract';

/**
 * Applies the profile's theme to the whole app (`data-theme` on `<html>`, read by styles.css); null keeps the
 * app's default (light).
 */
export function applyTheme(theme: Theme | null, root: HTMLElement = document.documentElement): void {
  if (theme === null) delete root.dataset['theme'];
  else root.dataset['theme'] = theme;
}
