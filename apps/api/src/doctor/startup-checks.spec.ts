import { createKey, TestIssuer } from '../../test/support/issuer';
import { AUDIENCE } from '../../test/support/test-api';
import { liveNetwork } from './doctor-checks';
import { runStartupChecks } from './startup-checks';

describe('runStartupChecks', () => {
  let issuer: TestIssuer;
  let logged: { level: 'log' | 'warn'; message: string }[];
  const logger = {
    log: (message: string) => logged.push({ level: 'log', message }),
    warn: (message: string) => logged.push({ level: 'warn', message }),
  };

  beforeEach(async () => {
    issuer = await TestIssuer.start([await createKey('key-1')]);
    logged = [];
  });
  afterEach(() => issuer.stop());

  const settings = (issuerUrl = issuer.url) => ({
    issuerUrl,
    audience: AUDIENCE,
    jwksUri: `${issuer.url}.well-known/jwks.json`,
    algorithms: ['RS256' as const],
    corsOrigins: ['http://localhost:4200'],
  });

  it('logs one info line when every check passes', async () => {
    await runStartupChecks(settings(), logger, liveNetwork(1_000), { retry: { attempts: 1, intervalMs: 0 } });
    expect(logged).toEqual([{ level: 'log', message: 'config doctor: 6 startup checks passed' }]);
  });

  it('logs each problem as a warning with its fix, and does not throw', async () => {
    await runStartupChecks(settings(issuer.origin), logger, liveNetwork(1_000), {
      retry: {
        attempts: 1,
        intervalMs: 0,
      },
    });
    expect(logged).toEqual([
      {
        level: 'warn',
        message: expect.stringContaining(
          `config doctor: ✗ Issuer: discovery says "${issuer.url}", AUTH_ISSUER_URL is "${issuer.origin}"`,
        ),
      },
    ]);
    expect(logged[0]?.message).toContain(`Fix: Set AUTH_ISSUER_URL=${issuer.url}`);
  });

  it('waits for an issuer that is still starting before it reports', async () => {
    issuer.mode = { kind: 'error', status: 503 };
    setTimeout(() => (issuer.mode = { kind: 'up' }), 150);
    const results = await runStartupChecks(settings(), logger, liveNetwork(1_000), {
      retry: {
        attempts: 20,
        intervalMs: 50,
      },
    });
    expect(results.every((r) => r.status === 'pass')).toBe(true);
    expect(issuer.jwksFetches).toBeGreaterThan(1);
    expect(logged.map((l) => l.level)).toEqual(['log']);
  });

  it('reports an issuer that never comes up after the last attempt', async () => {
    issuer.mode = { kind: 'error', status: 503 };
    await runStartupChecks(settings(), logger, liveNetwork(1_000), {
      retry: { attempts: 3, intervalMs: 10 },
    });
    expect(issuer.jwksFetches).toBe(3);
    expect(logged.map((l) => l.message)).toEqual([expect.stringContaining('config doctor: ✗ JWKS:')]);
  });
});
