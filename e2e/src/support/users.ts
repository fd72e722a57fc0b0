import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_TENANT, parseTenant } from '@sample/contract';

/** The demo users the suite logs in as (the local tenant's seed data). */
export type DemoUser = keyof typeof LOCAL_TENANT.users;

// Demo passwords live in the tenant file only; E2E_TENANT_FILE points at another one.
const tenantFile = process.env['E2E_TENANT_FILE'] ?? join(__dirname, '../../../apps/auth-server/tenant.json');
const tenant = parseTenant(JSON.parse(readFileSync(tenantFile, 'utf8'))).config;

/** Email and demo password of a seed user. */
export function credentials(user: DemoUser): { email: string; password: string } {
  const email = LOCAL_TENANT.users[user];
  const found = tenant.users.find((candidate) => candidate.email === email);
  if (!found) throw new Error(`${tenantFile} has no user ${email}: the e2e suite needs the seed users`);
  return { email, password: found.password };
}

/** Where the setup project saves a user's logged-in browser state. */
export function storageStatePath(user: DemoUser): string {
  return join(__dirname, '../../.auth', `${user}.json`);
}
