import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKey, TestIssuer } from '../../../test/support/issuer';
import { AUDIENCE, startTestApi } from '../../../test/support/test-api';
import { DEV_SPA_CONFIG, formatReport, processDoctorIo, runDoctorCli, type DoctorIo } from './doctor-cli';

describe('runDoctorCli', () => {
  let issuer: TestIssuer;
  let dir: string;
  let lines: string[];
  let io: DoctorIo;

  beforeEach(async () => {
    issuer = await TestIssuer.start([await createKey('key-1')]);
    dir = await mkdtemp(join(tmpdir(), 'doctor-'));
    lines = [];
    io = { ...processDoctorIo, out: (line) => lines.push(line) };
  });
  afterEach(async () => {
    await issuer.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const env = () => ({
    AUTH_ISSUER_URL: issuer.url,
    AUTH_AUDIENCE: AUDIENCE,
    AUTH_JWKS_TIMEOUT_MS: '5000',
  });

  async function spaFile(overrides: Record<string, unknown> = {}): Promise<string> {
    const path = join(dir, 'config.json');
    await writeFile(
      path,
      JSON.stringify({
        domain: issuer.origin,
        clientId: 'sample-spa',
        audience: AUDIENCE,
        apiUrl: 'http://127.0.0.1:9',
        ...overrides,
      }),
    );
    return path;
  }

  it('exits 0 when nothing fails, printing one ✓ line per passed check and a summary', async () => {
    const api = await startTestApi(issuer);
    try {
      const code = await runDoctorCli(['--spa-config', await spaFile({ apiUrl: api.url })], env(), io);
      expect(code).toBe(0);
      const output = lines.join('\n');
      expect(output).toContain(
        `✓ Issuer: discovery says "${issuer.url}", equal to AUTH_ISSUER_URL byte for byte`,
      );
      expect(output).toContain('✓ CORS: CORS_ORIGINS allows the SPA origin http://localhost:4200');
      expect(output).toContain(
        `✓ API at apiUrl: ${api.url}/api/docs-json answered with 8 route(s) and allows the origin http://localhost:4200`,
      );
      expect(output).toContain(
        `✓ apiUrl and the interceptor allowedList: the access token goes to ${api.url}/api/*, which covers the API's 5 protected route(s)`,
      );
      expect(lines.at(-1)).toBe('13 passed, 0 failed, 0 warning(s)');
    } finally {
      await api.close();
    }
  });

  it('only warns when the API is not running, and skips what needs its routes', async () => {
    expect(await runDoctorCli(['--spa-config', await spaFile()], env(), io)).toBe(0);
    expect(lines.join('\n')).toContain('! API at apiUrl: no answer from http://127.0.0.1:9/api/docs-json');
    expect(lines.at(-1)).toBe('10 passed, 0 failed, 1 warning(s), 2 skipped');
  });

  it('exits 1 and prints the fix under each failed check', async () => {
    const code = await runDoctorCli(
      ['--spa-config', await spaFile({ audience: 'https://other.example.com' })],
      { ...env(), AUTH_ISSUER_URL: issuer.origin },
      io,
    );
    expect(code).toBe(1);
    const issuerLine = lines.findIndex((line) => line.startsWith('  ✗ Issuer:'));
    expect(lines[issuerLine + 1]).toBe(
      `      fix: Set AUTH_ISSUER_URL=${issuer.url} (tokens carry exactly this iss, trailing slash included).`,
    );
    expect(lines.some((line) => line.startsWith('  ✗ SPA audience and API audience'))).toBe(true);
  });

  it('reads an env file, the environment winning over it, and checks the API only with --no-spa', async () => {
    const file = join(dir, 'api.env');
    await writeFile(file, `AUTH_ISSUER_URL=https://wrong.example.com/\nAUTH_AUDIENCE=${AUDIENCE}\n`);
    const code = await runDoctorCli(['--env-file', file, '--no-spa'], { AUTH_ISSUER_URL: issuer.url }, io);
    expect(code).toBe(0);
    expect(lines).toContain(`    AUTH_ISSUER_URL=${issuer.url} AUTH_AUDIENCE=${AUDIENCE}`);
    expect(lines).toContain('  SPA config: not checked (--no-spa)');
    expect(lines.some((line) => line.includes('SPA config.json'))).toBe(false);
  });

  it('skips the SPA checks when no config.json is given and the dev one is not there (the API image)', async () => {
    const noDevConfig = {
      ...io,
      exists: (path: string) => path !== DEV_SPA_CONFIG && processDoctorIo.exists(path),
    };
    expect(await runDoctorCli([], env(), noDevConfig)).toBe(0);
    expect(lines).toContain(`  SPA config: not checked (no ${DEV_SPA_CONFIG} here; pass --spa-config)`);
  });

  it("exits 2 with the contract's message, no stack trace, for invalid settings", async () => {
    const code = await runDoctorCli(['--no-spa'], { AUTH_ISSUER_URL: 'tenant.eu.auth0.com' }, io);
    expect(code).toBe(2);
    expect(lines.join('\n')).toBe(
      'API environment is invalid (2 problems):\n' +
        '  - AUTH_ISSUER_URL must be an absolute URL like https://your-tenant.us.auth0.com/ (got "tenant.eu.auth0.com")\n' +
        '  - AUTH_AUDIENCE is required: set it, for example AUTH_AUDIENCE=https://api.example.com',
    );
  });

  it('exits 2 for an unknown option, a missing file or an unreadable config.json, naming it', async () => {
    expect(await runDoctorCli(['--spa'], env(), io)).toBe(2);
    expect(lines[0]).toContain("Unknown option '--spa'");
    lines.length = 0;
    expect(await runDoctorCli(['--env-file', join(dir, 'nope.env')], {}, io)).toBe(2);
    expect(lines[0]).toContain('nope.env: no such file');
    lines.length = 0;
    await writeFile(join(dir, 'bad.json'), '{ not json');
    expect(await runDoctorCli(['--spa-config', join(dir, 'bad.json')], env(), io)).toBe(2);
    expect(lines[0]).toContain('bad.json: not JSON');
  });

  it('fetches config.json from a URL and takes the SPA origin from it', async () => {
    const code = await runDoctorCli(['--spa-config', `${issuer.origin}/config.json`], env(), io);
    // The test issuer has no config.json: the doctor names the URL and the HTTP status.
    expect(code).toBe(2);
    expect(lines[0]).toBe(`--spa-config ${issuer.origin}/config.json: HTTP 404`);
  });
});

describe('formatReport', () => {
  it('marks each status and indents fixes of checks that did not pass', () => {
    expect(
      formatReport([
        { id: 'a', title: 'A', status: 'pass', detail: 'fine', fix: 'never shown' },
        { id: 'b', title: 'B', status: 'fail', detail: 'broken', fix: 'mend it' },
        { id: 'c', title: 'C', status: 'skip', detail: 'not checked' },
      ]),
    ).toEqual([
      '  ✓ A: fine',
      '  ✗ B: broken',
      '      fix: mend it',
      '  - C: not checked',
      '',
      '1 passed, 1 failed, 0 warning(s), 1 skipped',
    ]);
  });
});
