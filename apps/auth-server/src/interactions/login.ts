import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, type Provider } from 'oidc-provider';
import type { Accounts } from '../accounts/accounts';
import { mediaType, readBody } from '../http/body';
import { sendHtml } from '../http/respond';
import { errorPage } from '../pages/error-page';
import type { TenantDirectory } from '../tenant/directory';
import { loginPage } from './login-page';
import { retryText, type LoginThrottle } from './login-throttle';

/** Where oidc-provider sends the browser to log in; the path Auth0's Universal Login uses. */
export const LOGIN_PATH = '/u/login';

/** oidc-provider's `interactions.url`: the interaction id travels as `state`, as on Auth0. */
export function loginUrl(_ctx: unknown, interaction: { uid: string }): string {
  return `${LOGIN_PATH}?state=${encodeURIComponent(interaction.uid)}`;
}

export interface LoginDependencies {
  readonly provider: Provider;
  readonly accounts: Accounts;
  readonly directory: TenantDirectory;
  /** Failed logins per account and address; one per server. */
  readonly throttle: LoginThrottle;
  /** Epoch milliseconds, the throttle's clock. */
  readonly now?: () => number;
}

const EXPIRED =
  'This login page has expired or was opened in another tab. Go back to the application and log in again.';

/** GET shows the login form; POST checks the password and resumes the authorization request. */
export function createLoginHandler({
  provider,
  accounts,
  directory,
  throttle,
  now = Date.now,
}: LoginDependencies) {
  const demoUsers = directory.tenant.demoUsersOnLoginPage ? directory.tenant.users : [];

  return async function handleLogin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' }).end();
      return;
    }
    let interaction;
    try {
      interaction = await provider.interactionDetails(req, res);
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      sendHtml(res, 400, errorPage('login_expired', EXPIRED));
      return;
    }
    if (url.searchParams.get('state') !== interaction.uid) {
      sendHtml(res, 400, errorPage('login_expired', EXPIRED));
      return;
    }
    if (interaction.prompt.name !== 'login') {
      // Consent is never asked: first-party clients get their grant from the user's roles (see auth0/rbac.ts).
      sendHtml(
        res,
        400,
        errorPage('interaction_required', `Unexpected "${interaction.prompt.name}" prompt.`),
      );
      return;
    }
    const clientId = String(interaction.params['client_id'] ?? '');
    const clientName = directory.client(clientId)?.name ?? clientId;
    const loginHint =
      typeof interaction.params['login_hint'] === 'string' ? interaction.params['login_hint'] : undefined;

    if (req.method === 'GET') {
      sendHtml(res, 200, loginPage({ clientName, email: loginHint, demoUsers }));
      return;
    }

    const form =
      mediaType(req) === 'application/x-www-form-urlencoded'
        ? new URLSearchParams(await readBody(req))
        : undefined;
    const email = form?.get('email') ?? '';
    const client = req.socket.remoteAddress ?? 'unknown';
    const block = throttle.blocked(email, client);
    if (block) {
      // Refused before the password is checked, so guessing on gains nothing.
      const what = block.by === 'account' ? 'for this account' : 'from your network address';
      res.setHeader('retry-after', String(Math.max(1, Math.ceil((block.until - now()) / 1000))));
      sendHtml(
        res,
        429,
        loginPage({
          clientName,
          email,
          error: `Too many failed login attempts ${what}. ${retryText(block, now())}`,
          demoUsers,
        }),
      );
      return;
    }
    const sub = accounts.authenticate(email, form?.get('password') ?? '');
    if (!sub) {
      throttle.recordFailure(email, client);
      // Auth0's wording; which of the two was wrong is not revealed.
      sendHtml(res, 400, loginPage({ clientName, email, error: 'Wrong email or password.', demoUsers }));
      return;
    }
    throttle.recordSuccess(email);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: sub } },
      { mergeWithLastSubmission: false },
    );
  };
}
