import { createHash, timingSafeEqual } from 'node:crypto';
import type { Account } from 'oidc-provider';
import type { Tenant, TenantUser } from '../tenant/tenant';

/** Auth0 database users have `sub` = `auth0|<id>`; without an explicit userId the id is derived from the email. */
export function subjectOf(user: TenantUser): string {
  const id = user.userId ?? createHash('sha256').update(user.email.toLowerCase()).digest('hex').slice(0, 24);
  return `auth0|${id}`;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Up to two initials for the generated avatar, e.g. "Ada Admin" -> "AA". */
export function initialsOf(name: string): string {
  const letters = name
    .split(/[\s@._-]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
  return letters.replace(/[^A-Z0-9]/g, '').slice(0, 2) || 'U';
}

/** The tenant's users: login, RBAC permissions and the profile claims Auth0 puts in ID tokens and /userinfo. */
export class Accounts {
  private readonly bySubject: ReadonlyMap<string, TenantUser>;
  private readonly byEmail: ReadonlyMap<string, TenantUser>;
  private readonly updatedAt = new Date().toISOString();

  constructor(
    private readonly tenant: Tenant,
    /** Base URL for generated avatars, `<issuer>avatars/`. */
    private readonly avatarBase: string,
  ) {
    this.bySubject = new Map(tenant.users.map((user) => [subjectOf(user), user]));
    this.byEmail = new Map(tenant.users.map((user) => [user.email.toLowerCase(), user]));
  }

  /** The user with this `sub`, if any. */
  user(sub: string): TenantUser | undefined {
    return this.bySubject.get(sub);
  }

  /** Checks an email and password; returns the user's `sub`, or undefined for a wrong email or password. */
  authenticate(email: string, password: string): string | undefined {
    const user = this.byEmail.get(email.trim().toLowerCase());
    // Compare digests in constant time, and do the same work for unknown emails.
    const expected = digest(user?.password ?? '\u0000no user');
    const ok = timingSafeEqual(expected, digest(password)) && user !== undefined;
    return ok ? subjectOf(user) : undefined;
  }

  /**
   * Permissions the user's roles grant for one API, in the order the API defines them
   * (Auth0 RBAC: what "Add Permissions in the Access Token" puts in `permissions`).
   */
  permissions(sub: string, apiIdentifier: string): string[] {
    const user = this.bySubject.get(sub);
    const api = this.tenant.apis.find((candidate) => candidate.identifier === apiIdentifier);
    if (!user || !api) return [];
    const granted = new Set(
      this.tenant.roles
        .filter((role) => user.roles.includes(role.name))
        .flatMap((role) => role.permissions[apiIdentifier] ?? []),
    );
    return api.scopes.filter((scope) => granted.has(scope));
  }

  /** Profile claims as Auth0 returns them for a database user (`updated_at` is an ISO string there too). */
  claims(sub: string): Record<string, unknown> & { sub: string } {
    const user = this.bySubject.get(sub);
    if (!user) return { sub };
    return {
      sub,
      name: user.name,
      nickname: user.email.split('@')[0],
      picture: user.picture ?? `${this.avatarBase}${initialsOf(user.name)}.svg`,
      email: user.email,
      email_verified: true,
      updated_at: this.updatedAt,
    };
  }

  /** oidc-provider's `findAccount`: unknown subjects end the session or reject the token. */
  findAccount = (_ctx: unknown, sub: string): Account | undefined => {
    if (!this.bySubject.has(sub)) return undefined;
    return { accountId: sub, claims: () => this.claims(sub) };
  };
}
