import type { KoaContextWithOIDC } from 'oidc-provider';
import { randomBytes } from 'node:crypto';
import type { TenantDirectory } from '../tenant/directory';
import { errorPage } from '../pages/error-page';
import { html, Html, page, pageHeaders } from '../pages/html';

/** Auth0's logout endpoint. */
export const AUTH0_LOGOUT_PATH = '/v2/logout';
/** oidc-provider's RP-initiated logout; Auth0 serves OIDC logout at the same path. */
export const END_SESSION_PATH = '/oidc/logout';

export type LogoutDecision =
  { readonly endSessionUrl: string } | { readonly status: number; readonly page: string };

/**
 * `GET /v2/logout?client_id=…&returnTo=…`: `returnTo` must be one of the client's Allowed Logout URLs
 * (without it, the first of them is used, as on Auth0). Allowed requests continue at oidc-provider's
 * end-session endpoint with `post_logout_redirect_uri`; the others get an error page.
 */
export function decideLogout(url: URL, directory: TenantDirectory): LogoutDecision {
  const clientId = url.searchParams.get('client_id');
  let returnTo = url.searchParams.get('returnTo');
  const next = new URLSearchParams();
  if (clientId !== null) {
    const client = directory.spaClient(clientId);
    if (!client) {
      return { status: 400, page: errorPage('invalid_request', `Unknown client_id "${clientId}".`) };
    }
    if (returnTo !== null && !client.logoutUrls.includes(returnTo)) {
      return {
        status: 400,
        page: errorPage(
          'invalid_request',
          `The "returnTo" querystring parameter "${returnTo}" is not defined as a valid URL in "Allowed Logout URLs" of ${client.name} (${client.clientId}). ` +
            `Allowed: ${client.logoutUrls.join(', ') || 'none'}. Add it to the client's logoutUrls in the tenant file.`,
        ),
      };
    }
    returnTo ??= client.logoutUrls[0] ?? null;
    next.set('client_id', clientId);
    if (returnTo !== null) next.set('post_logout_redirect_uri', returnTo);
  } else if (returnTo !== null) {
    return {
      status: 400,
      page: errorPage(
        'invalid_request',
        'A "returnTo" URL needs the "client_id" whose Allowed Logout URLs list it.',
      ),
    };
  }
  const query = next.toString();
  return { endSessionUrl: query === '' ? END_SESSION_PATH : `${END_SESSION_PATH}?${query}` };
}

/**
 * oidc-provider's `logoutSource`: Auth0 logs out without asking, so the confirmation form (which carries
 * oidc-provider's CSRF token) submits itself, asking to end the whole session.
 */
export function submitLogoutForm(ctx: KoaContextWithOIDC, form: string): void {
  const nonce = randomBytes(16).toString('base64');
  for (const [name, value] of Object.entries(pageHeaders(nonce))) ctx.set(name, value);
  ctx.type = 'html';
  ctx.body = page(
    'Logging out',
    html`<h1>Logging out…</h1>
      ${new Html(form)}
      <input type="hidden" form="op.logoutForm" name="logout" value="yes" />
      <noscript><button class="primary" type="submit" form="op.logoutForm">Continue</button></noscript>
      <script nonce="${nonce}">
        document.getElementById('op.logoutForm').submit();
      </script>`,
  );
}

/** oidc-provider's `postLogoutSuccessSource`: shown when there is no URL to return to. */
export function loggedOutPage(ctx: KoaContextWithOIDC): void {
  for (const [name, value] of Object.entries(pageHeaders())) ctx.set(name, value);
  ctx.type = 'html';
  ctx.body = page(
    'Logged out',
    html`<h1>You are logged out</h1>
      <p>You can close this window.</p>`,
  );
}
