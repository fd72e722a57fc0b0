// Proves two recipes of docs/recipes.md in a scratch copy of the workspace (the real one is never touched):
//   1. "Drop the teaching layer": tools/drop-teaching.mjs, after which nothing refers to a teaching/ folder;
//   2. "Add a permission and an endpoint": the permission in the contract and the tenant, the controller method, the
//      SPA's call, and a test on each side: the API answers 200 with the permission and 403 without (real tokens,
//      real JWKS), and the SPA's call gets its token from the SDK's interceptor (allowedList by prefix).
// Then format check, lint, type-check, unit tests and builds of every remaining project must pass.
//   node tools/check-lean.mjs [--keep]    (--keep leaves the scratch copy for a look)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratchCopy, removeScratchCopy, workspaceRoot } from './scratch-copy.mjs';

const keep = process.argv.includes('--keep');

/** Replaces `anchor` in a file with `replacement`; fails loudly when the recipe no longer fits the code. */
function edit(root, file, anchor, replacement) {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(anchor)) {
    throw new Error(
      `check-lean: ${file} no longer contains ${JSON.stringify(anchor)}: update docs/recipes.md and this check`,
    );
  }
  writeFileSync(path, text.replace(anchor, replacement));
}

/** The path of a package's command-line script, from its package.json `bin` (its layout changes between versions). */
function binOf(root, name) {
  const manifest = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name];
  return join('node_modules', name, bin);
}

function run(root, command, args) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  execFileSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_SKIP_NX_CACHE: 'true',
      NX_TUI: 'false',
    },
  });
}

/** The recipe "Add a permission and an endpoint", as docs/recipes.md writes it. */
function addTeamEndpoint(root) {
  // 1. The permission: its name in the contract, and in the tenant (the local one here; Auth0's dashboard there).
  edit(
    root,
    'libs/shared/contract/src/lib/permissions.ts',
    "  ReadAdminMessages: 'read:admin-messages',\n",
    "  ReadAdminMessages: 'read:admin-messages',\n  /** Read the team message. */\n  ReadTeamMessages: 'read:team-messages',\n",
  );
  const tenantFile = join(root, 'apps/auth-server/tenant.json');
  const tenant = JSON.parse(readFileSync(tenantFile, 'utf8'));
  const api = tenant.apis.find((entry) => entry.identifier === 'https://api.sample.local');
  api.scopes.push('read:team-messages');
  tenant.roles
    .find((role) => role.name === 'admin')
    .permissions['https://api.sample.local'].push('read:team-messages');
  writeFileSync(tenantFile, `${JSON.stringify(tenant, null, 2)}\n`);
  edit(root, 'apps/web/public/config.json', 'read:admin-messages', 'read:admin-messages read:team-messages');

  // 2. The controller method: one decorator declares the access rule (guards and OpenAPI both read it).
  edit(
    root,
    'apps/api/src/messages/messages.controller.ts',
    '\n}\n',
    `
  @Get('team')
  @RequirePermissions(Permission.ReadTeamMessages)
  @ApiOperation({ summary: 'Team message' })
  getTeamMessage(): Message {
    return { text: 'This is a team message.' };
  }
}
`,
  );

  // 3. The SPA's call: a card on the API console; the interceptor attaches the token by prefix (<apiUrl>/api/*).
  edit(
    root,
    'apps/web/src/app/api-console/api-console.ts',
    "    path: '/api/me',",
    `    path: '/api/messages/team',
    title: 'Team message',
    needs: 'A valid access token with read:team-messages.',
  },
  {
    path: '/api/me',`,
  );

  // 4. A test on each side.
  writeFileSync(
    join(root, 'apps/api/test/team-messages.e2e-spec.ts'),
    `import request from 'supertest';
import { createKey, mint, TestIssuer, type TestKey } from './support/issuer';
import { AUDIENCE, startTestApi, type TestApi } from './support/test-api';

describe('GET /api/messages/team', () => {
  let issuer: TestIssuer;
  let key: TestKey;
  let api: TestApi;

  beforeAll(async () => {
    key = await createKey('team-key');
    issuer = await TestIssuer.start([key]);
    api = await startTestApi(issuer);
  });

  afterAll(async () => {
    await api.close();
    await issuer.stop();
  });

  it('answers a token with read:team-messages', async () => {
    const jwt = await mint(key, issuer.url, AUDIENCE, { claims: { permissions: ['read:team-messages'] } });
    const response = await request(api.url).get('/api/messages/team').set('Authorization', \`Bearer \${jwt}\`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ text: 'This is a team message.' });
  });

  it('refuses a token without it: 403 insufficient_permission', async () => {
    const jwt = await mint(key, issuer.url, AUDIENCE, { claims: { permissions: ['read:messages'] } });
    const response = await request(api.url).get('/api/messages/team').set('Authorization', \`Bearer \${jwt}\`);
    expect(response.status).toBe(403);
    expect(response.body.reason).toBe('insufficient_permission');
    expect(response.headers['www-authenticate']).toContain('scope="read:team-messages"');
  });

  it('documents the rule in OpenAPI', async () => {
    const document = (await request(api.url).get('/api/docs-json')).body;
    expect(document.paths['/api/messages/team'].get['x-required-permissions']).toEqual(['read:team-messages']);
  });
});
`,
  );
  writeFileSync(
    join(root, 'apps/web/src/app/api-console/team-message.spec.ts'),
    `import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { authHttpInterceptorFn, provideAuth0 } from '@auth0/auth0-angular';
import { fakeAuth0Client, fakeAuth0Providers } from '../../testing/fake-auth0-client';
import { loadedRuntimeConfig } from '../../testing/loaded-runtime-config';
import { RuntimeConfig } from '../config/runtime-config';
import { ApiConsole } from './api-console';

describe('the team message on the API console', () => {
  it('goes out with the access token from the interceptor', async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authHttpInterceptorFn])),
        provideHttpClientTesting(),
        provideAuth0(),
        ...fakeAuth0Providers(fakeAuth0Client({ signedIn: true, token: 'access-token' })),
        { provide: RuntimeConfig, useValue: loadedRuntimeConfig() },
      ],
    });
    const fixture = TestBed.createComponent(ApiConsole);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const button = [...root.querySelectorAll('button')].find(
      (b) => b.getAttribute('aria-label') === 'Call GET /api/messages/team',
    );
    if (!button) throw new Error('no button for /api/messages/team');
    button.click();
    const controller = TestBed.inject(HttpTestingController);
    let sent: TestRequest | undefined;
    for (let attempt = 0; attempt < 20 && !sent; attempt++) {
      await new Promise((resolve) => setTimeout(resolve));
      [sent] = controller.match('http://localhost:3000/api/messages/team');
    }
    if (!sent) throw new Error('the API console sent no request to /api/messages/team');
    expect(sent.request.headers.get('Authorization')).toBe('Bearer access-token');
    sent.flush({ text: 'This is a team message.' });
  });
});
`,
  );
}

let scratch;
let failed = false;
try {
  // The tracked files as they are in the working tree (so an uncommitted change is checked too).
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file !== '' && file !== 'node_modules' && file !== '.cache')
    // Deleted in the working tree, not yet in the index.
    .filter((file) => existsSync(join(workspaceRoot, file)));
  scratch = makeScratchCopy('lean-check-', files);

  run(scratch, process.execPath, ['tools/drop-teaching.mjs']);
  addTeamEndpoint(scratch);
  const prettier = binOf(scratch, 'prettier');
  run(scratch, process.execPath, [prettier, '--write', '--log-level=warn', 'apps', 'libs']);
  run(scratch, process.execPath, [prettier, '--check', '.']);
  run(scratch, process.execPath, [
    binOf(scratch, 'nx'),
    'run-many',
    '-t',
    'lint',
    'typecheck',
    'test',
    'build',
    '--outputStyle=static',
  ]);
} catch (error) {
  failed = true;
  console.error(error.message);
}

if (scratch !== undefined) {
  if (keep) console.log(`scratch copy kept at ${scratch}`);
  else removeScratchCopy(scratch);
}
console.log(
  failed
    ? 'lean check: FAILED (see above)'
    : 'lean check: the teaching layer drops cleanly and the add-an-endpoint recipe works on what remains',
);
process.exit(failed ? 1 : 0);
