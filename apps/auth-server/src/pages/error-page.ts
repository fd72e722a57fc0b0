import { html, page } from './html';

/** A plain error page: the OAuth error code and its description, never a stack trace. */
export function errorPage(error: string, description?: string): string {
  return page(
    'Something went wrong',
    html`<h1>Something went wrong</h1>
      <p><code>${error}</code></p>
      ${description ? html`<p>${description}</p>` : ''}
      <p>Go back to the application and try again.</p>`,
  );
}
