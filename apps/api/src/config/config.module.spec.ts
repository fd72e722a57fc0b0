import { createKey, TestIssuer } from '../../test/support/issuer';
import { startTestApi, type TestApi } from '../../test/support/test-api';

// A file of its own: nestjs-pino keeps one logger per process (per Jest module registry), so one app per file.
describe('ApiConfigModule', () => {
  let issuer: TestIssuer;
  let api: TestApi;

  beforeAll(async () => {
    issuer = await TestIssuer.start([await createKey('key-1')]);
    api = await startTestApi(issuer, { AUTH_AUDIENCE: 'aBcDeFgHiJkLmNoPqRsTuVwXyZ012345' });
  });
  afterAll(async () => {
    await api.close();
    await issuer.stop();
  });

  it('logs each config warning once at start-up, from the parse that validated the environment', () => {
    const warnings = api.logs.filter((line) => String(line['msg']).startsWith('config warning:'));
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40,
        msg: expect.stringContaining(
          'config warning: AUTH_AUDIENCE "aBcDeFgHiJkLmNoPqRsTuVwXyZ012345" looks like an Auth0 client id',
        ) as string,
      }),
    ]);
  });
});
