import request from 'supertest';
import { HealthService } from '../src/health/health.service';
import { ManualClock } from './support/clock';
import { createKey, TestIssuer } from './support/issuer';
import { startTestApi, type TestApi } from './support/test-api';

// Jest's limit only catches a hang: an app starts in under a second, but in several on a machine busy with builds.
jest.setTimeout(60_000);

const COOLDOWN_MS = 300;

/** Readiness against the real AppModule: each test has its own issuer, app and clock. */
describe('readiness (real AppModule over HTTP)', () => {
  let issuer: TestIssuer;
  let clock: ManualClock;
  let api: TestApi;

  beforeEach(async () => {
    issuer = await TestIssuer.start([await createKey('key-1')]);
    clock = new ManualClock();
    api = await startTestApi(
      issuer,
      { AUTH_JWKS_COOLDOWN_MS: String(COOLDOWN_MS), LOG_LEVEL: 'warn' },
      clock.now,
    );
  });

  afterEach(async () => {
    await api.close();
    await issuer.stop();
  });

  it('answers 200 with every detail when the JWKS has keys and the discovery issuer matches', async () => {
    const response = await request(api.url).get('/health/ready');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ready',
      checks: {
        jwks: { status: 'up', detail: '1 signing key(s)' },
        issuer: { status: 'up', detail: 'discovery issuer matches AUTH_ISSUER_URL' },
      },
    });
  });

  it('shares one check in flight between concurrent probes', async () => {
    // The discovery issuer differs, so the issuer check is not kept: each new check asks again.
    issuer.discoveryIssuer = issuer.origin;
    const health = api.app.get(HealthService);
    // Ten probes started in the same tick: without sharing, each would fetch the discovery document.
    const probes = await Promise.all(Array.from({ length: 10 }, () => health.getReadiness()));
    expect(issuer.discoveryFetches).toBe(1);
    expect(new Set(probes).size).toBe(1);
    expect(probes[0]?.status).toBe('not_ready');

    // Once it has settled, the next probe after the cooldown runs a new check.
    clock.advance(COOLDOWN_MS);
    issuer.discoveryIssuer = undefined;
    const response = await request(api.url).get('/health/ready');
    expect(response.status).toBe(200);
    expect(issuer.discoveryFetches).toBe(2);
  });
});
