import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LOCAL_TENANT } from '@sample/contract';
import { expect, test } from '../support/fixtures';
import { apiOperations } from '../support/openapi';
import { urls } from '../support/urls';

// The token CLI and the config doctor, run as built (the e2e target builds them first) against the stack under test.
const root = join(__dirname, '../../..');
const tokenCli = join(root, 'dist/apps/auth-server/token.mjs');
const doctor = join(root, 'dist/apps/api/doctor.js');
const run = promisify(execFile);

async function runTool(script: string, args: string[], env: Record<string, string> = {}) {
  if (!existsSync(script))
    throw new Error(`${script} is missing: run npx nx run-many -t build -p api auth-server`);
  return run(process.execPath, [script, ...args], { cwd: root, env: { ...process.env, ...env } }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '' }),
  );
}

/** Runs one printed curl line in sh after the printed TOKEN= line; returns the HTTP status and the body. */
async function curl(tokenLine: string, curlLine: string): Promise<{ status: number; body: string }> {
  const { stdout } = await run('sh', ['-c', `${tokenLine}\n${curlLine}`]);
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(stdout)?.[1]);
  return { status, body: stdout.slice(stdout.indexOf('\r\n\r\n') + 4) };
}

const issuer = `${urls.auth}/`;
const REASON_BY_STATUS: Record<number, string | undefined> = { 403: 'insufficient_permission' };

test.describe('token CLI', () => {
  const adminAnswer = { reader: '# expect 403', admin: '# expect 200' } as const;
  for (const user of ['reader', 'admin'] as const) {
    test(`prints a token for ${user}@ whose curl lines get the answers it predicts`, async ({ request }) => {
      const { code, stdout } = await runTool(tokenCli, [
        '--user',
        LOCAL_TENANT.users[user],
        '--issuer',
        issuer,
        '--api-url',
        urls.api,
      ]);
      expect(code).toBe(0);
      const lines = stdout.trim().split('\n');
      const tokenLine = lines.find((line) => line.startsWith('TOKEN='));
      const curlLines = lines.filter((line) => line.startsWith('curl '));
      expect(tokenLine).toBeDefined();
      // One line per API route of the OpenAPI document: a route added later is covered here too.
      const routes = (await apiOperations(request, urls.api)).filter((op) => op.path.startsWith('/api/'));
      expect(curlLines).toHaveLength(routes.length);
      for (const line of curlLines) {
        const expected = Number(/# expect (\d{3})/.exec(line)?.[1]);
        const answer = await curl(tokenLine ?? '', line);
        expect(answer.status, line.slice(line.indexOf('#'))).toBe(expected);
        // A 403 names why; a 200 has no reason.
        expect((JSON.parse(answer.body) as { reason?: string }).reason).toBe(REASON_BY_STATUS[expected]);
      }
      // The reader cannot read the admin message, the admin can: the prediction is not a constant.
      const admin = curlLines.find((line) => line.includes('/api/messages/admin'));
      expect(admin).toContain(adminAnswer[user]);
    });
  }

  test('gets a client-credentials token for the M2M client that the API accepts', async () => {
    const { code, stdout } = await runTool(tokenCli, ['--client', 'm2m', '--issuer', issuer, '--token-only']);
    expect(code).toBe(0);
    const response = await fetch(`${urls.api}/api/me`, {
      headers: { authorization: `Bearer ${stdout.trim()}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: `${LOCAL_TENANT.m2mClientId}@clients`, iss: issuer });
  });
});

test.describe('token CLI, --management-api', () => {
  const guest = 'auth0|demo-guest';
  const userUrl = `${urls.auth}/api/v2/users/${encodeURIComponent(guest)}`;

  /** Runs the CLI, then each printed curl line; returns the printed lines and what each curl line got. */
  async function runLines(args: string[]) {
    const { code, stdout } = await runTool(tokenCli, [...args, '--issuer', issuer]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    const tokenLine = lines.find((line) => line.startsWith('TOKEN=')) ?? '';
    const answers = [];
    for (const line of lines.filter((candidate) => candidate.startsWith('curl '))) {
      const answer = await curl(tokenLine, line);
      answers.push({
        line,
        expected: Number(/# expect (\d{3})/.exec(line)?.[1]),
        status: answer.status,
        body: JSON.parse(answer.body) as Record<string, unknown>,
      });
    }
    return { lines, token: tokenLine.slice('TOKEN='.length), answers };
  }

  /** Puts the guest's theme back (null deletes the key), so no other test sees the CLI's change. */
  async function resetTheme(token: string) {
    const response = await fetch(userUrl, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_metadata: { theme: null } }),
    });
    expect(response.status).toBe(200);
  }

  test("a user's token reads and changes that user's own record, as each curl line predicts", async () => {
    const { token, answers } = await runLines(['--user', LOCAL_TENANT.users.guest, '--management-api']);
    try {
      expect(answers.map(({ line, status }) => ({ line, status }))).toEqual(
        answers.map(({ line, expected }) => ({ line, status: expected })),
      );
      expect(answers.map((answer) => answer.expected)).toEqual([200, 200]);
      expect(answers[0]?.body).toMatchObject({ user_id: guest });
      expect(answers[1]?.body).toMatchObject({ user_id: guest, user_metadata: { theme: 'dark' } });
    } finally {
      await resetTheme(token);
    }
  });

  test('update:users asked for by a user is left out, and the PATCH it would allow gets the predicted 403', async () => {
    const { lines, answers } = await runLines([
      '--user',
      LOCAL_TENANT.users.guest,
      '--management-api',
      '--scope',
      'openid read:current_user update:users',
    ]);
    expect(lines).toContain(
      '#   asked for but left out of the granted scope, without an error: update:users',
    );
    const patch = answers.find((answer) => answer.line.includes('-X PATCH'));
    expect(patch?.line).toContain('# expect 403 insufficient_scope');
    expect(patch?.status).toBe(403);
    expect(patch?.body['errorCode']).toBe('insufficient_scope');
  });

  test('the M2M client reads and changes any user with its grant, as each curl line predicts', async () => {
    const { token, answers } = await runLines(['--client', 'm2m', '--management-api', '--user-id', guest]);
    try {
      expect(answers.map(({ line, status }) => ({ line, status }))).toEqual(
        answers.map(({ line, expected }) => ({ line, status: expected })),
      );
      expect(answers.map((answer) => answer.expected)).toEqual([200, 200]);
      // read:users shows app_metadata too, which a user's own token never sees.
      expect(answers[0]?.body).toMatchObject({ user_id: guest, app_metadata: {} });
      expect(answers[1]?.body).toMatchObject({ user_metadata: { theme: 'dark' } });
    } finally {
      await resetTheme(token);
    }
  });
});

test.describe('config doctor', () => {
  const apiEnv = {
    AUTH_ISSUER_URL: issuer,
    AUTH_AUDIENCE: LOCAL_TENANT.apiAudience,
    CORS_ORIGINS: urls.web,
  };
  const spa = ['--spa-config', `${urls.web}/config.json`];

  test('passes every check of the served configuration against the live auth server and API', async () => {
    const { code, stdout } = await runTool(doctor, spa, apiEnv);
    expect(stdout).toContain(`✓ Issuer: discovery says "${issuer}", equal to AUTH_ISSUER_URL byte for byte`);
    expect(stdout).toMatch(
      new RegExp(
        `✓ API at apiUrl: ${urls.api}/api/docs-json answered with \\d+ route\\(s\\) and allows the origin ${urls.web}`,
      ),
    );
    expect(stdout).toMatch(/\n\d+ passed, 0 failed, 0 warning\(s\)\n$/);
    expect(code).toBe(0);
  });

  test('fails an issuer without the trailing slash and names the exact value', async () => {
    const { code, stdout } = await runTool(doctor, spa, { ...apiEnv, AUTH_ISSUER_URL: urls.auth });
    expect(code).toBe(1);
    expect(stdout).toContain(
      `fix: Set AUTH_ISSUER_URL=${issuer} (tokens carry exactly this iss, trailing slash included).`,
    );
  });

  test('fails an audience that is the SPA client id, and a CORS list without the SPA origin', async () => {
    const { code, stdout } = await runTool(doctor, spa, {
      ...apiEnv,
      AUTH_AUDIENCE: LOCAL_TENANT.spaClientId,
      CORS_ORIGINS: 'http://localhost:4300',
    });
    expect(code).toBe(1);
    expect(stdout).toContain(
      `✗ API identifier: AUTH_AUDIENCE "${LOCAL_TENANT.spaClientId}" equals the client id`,
    );
    expect(stdout).toContain(`✗ SPA audience and API audience`);
    expect(stdout).toContain(
      `✗ CORS: CORS_ORIGINS "http://localhost:4300" does not allow the SPA origin ${urls.web}`,
    );
  });

  test('fails a JWKS URI where the auth server publishes no keys', async () => {
    const { code, stdout } = await runTool(doctor, ['--no-spa'], {
      ...apiEnv,
      AUTH_JWKS_URI: `${urls.auth}/no-such-jwks.json`,
    });
    expect(code).toBe(1);
    expect(stdout).toContain(`✗ JWKS: ${urls.auth}/no-such-jwks.json: HTTP 404`);
  });
});
