import { startupBanner } from './banner';
import { loadOrCreateSigningKeys } from './keys/signing-keys';
import { withManagementApi } from './management-api/management-api';
import { makeDataDir, testTenant } from './testing/test-server';

describe('startupBanner', () => {
  it('says it is for development and lists the issuer, every API, client and user', async () => {
    const tenant = await testTenant();
    const { keys } = await loadOrCreateSigningKeys(await makeDataDir());
    const banner = startupBanner('http://localhost:4000/', 'http://localhost:4000', tenant, keys);
    expect(banner).toContain('DEVELOPMENT authorization server (not for production)');
    expect(banner).toContain('  issuer     http://localhost:4000/');
    expect(banner).toContain(`  signing    kid ${keys[0]?.kid}`);
    for (const api of tenant.apis) expect(banner).toContain(api.identifier);
    expect(banner).toMatch(/https:\/\/api\.sample\.local .* DPoP allowed\n/);
    expect(banner).toMatch(/https:\/\/dpop-api\.sample\.local .* DPoP required\n/);
    for (const client of tenant.clients) expect(banner).toContain(`    ${client.clientId} (`);
    for (const user of tenant.users) expect(banner).toContain(`    ${user.email}  roles:`);
    // Secrets are never printed, only where they are.
    expect(banner).not.toContain('demo-m2m-secret');
    expect(banner).not.toContain('demo-admin-password');
  });

  it("lists the Management API, the M2M client's grant for it by its real audience", async () => {
    const tenant = withManagementApi(await testTenant(), 'http://localhost:4000/');
    const { keys } = await loadOrCreateSigningKeys(await makeDataDir());
    const banner = startupBanner('http://localhost:4000/', 'http://localhost:4000', tenant, keys);
    expect(banner).toContain(
      '    http://localhost:4000/api/v2/  scopes: read:current_user update:current_user_metadata',
    );
    expect(banner).toContain('users: the current_user scopes they ask for, no permissions claim');
    expect(banner).toMatch(
      /sample-m2m \(M2M\) .* grants: https:\/\/api\.sample\.local, .*http:\/\/localhost:4000\/api\/v2\//,
    );
  });
});
