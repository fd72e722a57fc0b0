import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_TENANT } from '@sample/contract';

/** The demo users the suite logs in as (the local tenant's seed data). */
export type DemoUser = keyof typeof LOCAL_TENANT.users;

// Demo passwords live in the tenant file only; E2E_TENANT_FILE points at another one. Only `users` is read here:
// the auth server validates the whole file (its own schema) when it starts.
const tenantFile = process.env['E2E_TENANT_FILE'] ?? join(__dirname, '../../../apps/auth-server/tenant.json');

interface SeedUser {
  readonly email: string;
  readonly password: string;
}

function seedUsers(): SeedUser[] {
  const tenant: unknown = JSON.parse(readFileSync(tenantFile, 'utf8'));
  const users = typeof tenant === 'object' && tenant !== null && 'users' in tenant ? tenant.users : undefined;
  if (!Array.isArray(users))
    throw new Error(`${tenantFile} has no "users" list: the e2e suite needs the seed users`);
  return users.filter(
    (user): user is SeedUser =>
      typeof user === 'object' &&
      user !== null &&
      'email' in user &&
      typeof user.email === 'string' &&
      'password' in user &&
      typeof user.password === 'string',
  );
}

/** Email and demo password of a seed user. */
export function credentials(user: DemoUser): SeedUser {
  const email = LOCAL_TENANT.users[user];
  const found = seedUsers().find((candidate) => candidate.email === email);
  if (!found)
    throw new Error(`${tenantFile} has no user ${email} with a password: the e2e suite needs the seed users`);
  return { email, password: found.password };
}

/** Where the setup project saves a user's logged-in browser state. */
export function storageStatePath(user: DemoUser): string {
  return join(__dirname, '../../.auth', `${user}.json`);
}
