import type { TenantUser } from '../tenant/tenant';
import { html, page } from '../pages/html';

export interface LoginPageModel {
  /** The application asking the user to log in. */
  readonly clientName: string;
  readonly email?: string;
  /** Shown inline above the form, e.g. after a wrong password. */
  readonly error?: string;
  /** Listed with a one-click login each; empty when the tenant turns the list off. */
  readonly demoUsers: readonly TenantUser[];
}

/** The login form: email and password, plus the demo users of the development tenant. */
export function loginPage(model: LoginPageModel): string {
  const demo =
    model.demoUsers.length === 0
      ? ''
      : html`<section class="demo" aria-labelledby="demo-users">
          <h2 id="demo-users">Demo users (demo passwords from the tenant file)</h2>
          ${model.demoUsers.map(
            (user) =>
              html`<form method="post">
                <input type="hidden" name="email" value="${user.email}" />
                <input type="hidden" name="password" value="${user.password}" />
                <button type="submit">
                  Log in as ${user.email}<small
                    >${user.roles.length > 0 ? `roles: ${user.roles.join(', ')}` : 'no roles'} · password
                    <code>${user.password}</code></small
                  >
                </button>
              </form>`,
          )}
        </section>`;
  return page(
    'Log in',
    html`<h1>Log in</h1>
      <p>to continue to ${model.clientName}</p>
      ${model.error ? html`<p class="error" role="alert">${model.error}</p>` : ''}
      <form method="post" autocomplete="on">
        <label for="email">Email address</label>
        <input id="email" name="email" type="email" required autofocus value="${model.email ?? ''}" />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" required />
        <button class="primary" type="submit">Continue</button>
      </form>
      ${demo}`,
  );
}
