// Quick HTTP checks of a running compose stack (local auth server), before the Playwright suite runs:
// discovery, JWKS, API readiness, a client-credentials token used on the protected, admin and profile routes, the
// M2M client's Management API token and the API's read-only mount of its secret (not of the signing keys), the SPA
// shell, its rendered /config.json and cache headers, its Content-Security-Policy (the origins config.json names, a
// fresh style nonce per page), and that every container runs hardened (docker inspect). Exit code 1 lists every
// failed check.
//   node tools/compose-smoke.mjs [--state FILE]
// With --state, the signing key ids and the M2M token are saved to FILE; if FILE already holds them (a run before
// a restart), the keys must be the same and the old token must still be accepted: the key volume survived.
// URLs: E2E_AUTH_URL, E2E_API_URL, E2E_WEB_URL (defaults: the local ports). The M2M client is the demo one.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';

const auth = process.env.E2E_AUTH_URL ?? 'http://localhost:4000';
const api = process.env.E2E_API_URL ?? 'http://localhost:3000';
const web = process.env.E2E_WEB_URL ?? 'http://localhost:4200';
const tenant = JSON.parse(
  await readFile(new URL('../apps/auth-server/tenant.json', import.meta.url), 'utf8'),
);
const m2m = tenant.clients.find((client) => client.type === 'm2m');
// Compose's auth server refuses the committed demo secret (it listens beyond loopback in its container): the
// secret it generated into its volume comes in through the environment (tools/compose-test.sh reads it).
const m2mSecret = process.env['AUTH_SERVER_M2M_CLIENT_SECRET'] || m2m.clientSecret;
const audience = 'https://api.sample.local';

const stateArg = process.argv.indexOf('--state');
const stateFile = stateArg > 0 ? process.argv[stateArg + 1] : undefined;
const before = stateFile
  ? await readFile(stateFile, 'utf8').then(
      (text) => (text.trim() ? JSON.parse(text) : undefined),
      () => undefined,
    )
  : undefined;

const failures = [];
let kids = [];

async function check(name, run) {
  try {
    const note = await run();
    console.log(`  ok   ${name}${note ? `: ${note}` : ''}`);
  } catch (error) {
    failures.push(name);
    console.log(`  FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function get(url, init) {
  return fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
}

function expectStatus(response, status, body) {
  if (response.status !== status) {
    throw new Error(
      `${response.url}: HTTP ${response.status}, expected ${status}${body ? ` (${body.slice(0, 300)})` : ''}`,
    );
  }
}

async function json(url, status = 200, init) {
  const response = await get(url, init);
  const text = await response.text();
  expectStatus(response, status, text);
  return { response, body: JSON.parse(text) };
}

let token;

await check('auth server discovery names the public issuer', async () => {
  const { body } = await json(`${auth}/.well-known/openid-configuration`);
  if (body.issuer !== `${auth}/`) throw new Error(`issuer ${body.issuer}, expected ${auth}/`);
  return body.issuer;
});

await check('auth server JWKS has RS256 keys', async () => {
  const { body } = await json(`${auth}/.well-known/jwks.json`);
  kids = body.keys.map((key) => key.kid);
  if (kids.length === 0) throw new Error('no keys');
  return kids.join(', ');
});

await check('API is ready (JWKS fetched over the compose network)', async () => {
  const { body } = await json(`${api}/health/ready`);
  return `${body.checks.jwks.detail}; ${body.checks.issuer.detail}`;
});

await check('public message without a token', async () => {
  const { body } = await json(`${api}/api/messages/public`);
  return body.text;
});

await check('protected message without a token is 401 missing_token', async () => {
  const { body } = await json(`${api}/api/messages/protected`, 401);
  if (body.reason !== 'missing_token') throw new Error(`reason ${body.reason}`);
});

await check('client-credentials token from the M2M client', async () => {
  const { body } = await json(`${auth}/oauth/token`, 200, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: m2m.clientId,
      client_secret: m2mSecret,
      audience,
    }),
  });
  token = body.access_token;
  return `expires in ${body.expires_in} s`;
});

await check('protected message with the token', async () => {
  const { body } = await json(`${api}/api/messages/protected`, 200, {
    headers: { authorization: `Bearer ${token}` },
  });
  return body.text;
});

await check('admin message with the token is 403 insufficient_permission', async () => {
  const { body } = await json(`${api}/api/messages/admin`, 403, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (body.reason !== 'insufficient_permission') throw new Error(`reason ${body.reason}`);
});

await check(
  'profile route: 401 missing_token without a token, 403 for the client-credentials token',
  async () => {
    const { body: anonymous } = await json(`${api}/api/me/profile`, 401);
    if (anonymous.reason !== 'missing_token') throw new Error(`reason ${anonymous.reason}`);
    // The M2M client is no user and lacks edit:profile: the permissions guard answers before the profile code.
    const { body } = await json(`${api}/api/me/profile`, 403, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (body.reason !== 'insufficient_permission') throw new Error(`reason ${body.reason}`);
  },
);

await check("the M2M client (the API's Management API client) gets a Management API token", async () => {
  // Form-encoded, as the API sends it; the secret is the one the API reads from the shared volume.
  const { body } = await json(`${auth}/oauth/token`, 200, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: m2m.clientId,
      client_secret: m2mSecret,
      audience: `${auth}/api/v2/`,
    }).toString(),
  });
  if (typeof body.access_token !== 'string') throw new Error('no access_token');
  // Auth0 lists the granted scopes; the API needs these two.
  const granted = String(body.scope ?? '').split(' ');
  const missing = ['read:users', 'update:users'].filter((scope) => !granted.includes(scope));
  if (missing.length > 0) throw new Error(`scope ${JSON.stringify(body.scope)} lacks ${missing.join(', ')}`);
  return `scope ${body.scope}`;
});

await check('CORS allows the SPA origin', async () => {
  const response = await get(`${api}/api/messages/public`, { headers: { origin: web } });
  const allowed = response.headers.get('access-control-allow-origin');
  if (allowed !== web) throw new Error(`access-control-allow-origin ${allowed}`);
});

await check('SPA shell at / and on a client-side route', async () => {
  for (const path of ['/', '/profile']) {
    const response = await get(`${web}${path}`);
    const html = await response.text();
    expectStatus(response, 200);
    if (!html.includes('<app-root')) throw new Error(`${path}: no <app-root>`);
    if (response.headers.get('cache-control') !== 'no-cache')
      throw new Error(`${path}: cache-control ${response.headers.get('cache-control')}`);
  }
});

await check('SPA /config.json rendered from the environment', async () => {
  const { response, body } = await json(`${web}/config.json`);
  if (body.domain !== auth || body.apiUrl !== api || body.audience !== audience) {
    throw new Error(`unexpected ${JSON.stringify(body)}`);
  }
  if (response.headers.get('cache-control') !== 'no-store')
    throw new Error(`cache-control ${response.headers.get('cache-control')}`);
  return `domain ${body.domain}, clientId ${body.clientId}, apiUrl ${body.apiUrl}`;
});

await check('hashed bundles are immutable, a missing file is 404', async () => {
  const html = await (await get(`${web}/`)).text();
  const main = /src="(main-[^"]+\.js)"/.exec(html)?.[1];
  if (!main) throw new Error('no main-*.js in index.html');
  const response = await get(`${web}/${main}`);
  expectStatus(response, 200);
  if (!response.headers.get('cache-control')?.includes('immutable'))
    throw new Error(`cache-control ${response.headers.get('cache-control')}`);
  expectStatus(await get(`${web}/no-such-chunk.js`), 404);
});

/** A Content-Security-Policy header as directive name -> sources. */
function directives(policy) {
  if (!policy) throw new Error('no content-security-policy header');
  return new Map(
    policy.split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

function expectSources(policy, name, want) {
  const got = policy.get(name) ?? [];
  if (JSON.stringify(got) !== JSON.stringify(want))
    throw new Error(`${name} ${got.join(' ') || '(none)'}, expected ${want.join(' ')}`);
}

await check('SPA shell carries the Content-Security-Policy, its style nonce new on every page', async () => {
  const nonces = [];
  for (const path of ['/', '/profile']) {
    const response = await get(`${web}${path}`);
    const html = await response.text();
    const policy = directives(response.headers.get('content-security-policy'));
    const nonce = /<app-root ngCspNonce="([0-9a-f]{32})"/.exec(html)?.[1];
    if (!nonce) throw new Error(`${path}: no ngCspNonce on <app-root>`);
    expectSources(policy, 'style-src', ["'self'", `'nonce-${nonce}'`]);
    for (const [name, want] of [
      ['default-src', ["'self'"]],
      ['script-src', ["'self'"]],
      ['frame-ancestors', ["'none'"]],
      ['object-src', ["'none'"]],
      ['base-uri', ["'self'"]],
    ]) {
      expectSources(policy, name, want);
    }
    if (/<script(?![^>]*\ssrc=)[^>]*>/.test(html))
      throw new Error(`${path}: an inline <script> that script-src blocks`);
    if (response.headers.get('etag')) throw new Error(`${path}: an ETag would let a 304 reuse an old nonce`);
    nonces.push(nonce);
  }
  if (nonces[0] === nonces[1]) throw new Error(`the same nonce twice: ${nonces[0]}`);
});

await check('the policy allows the origins the served config.json names, and only those', async () => {
  const { response, body } = await json(`${web}/config.json`);
  const issuer = new URL(/^https?:\/\//i.test(body.domain) ? body.domain : `https://${body.domain}`).origin;
  const apiOrigin = new URL(body.apiUrl).origin;
  const policy = directives(response.headers.get('content-security-policy'));
  expectSources(policy, 'connect-src', ["'self'", ...new Set([apiOrigin, issuer])]);
  expectSources(policy, 'frame-src', [issuer]);
  expectSources(policy, 'form-action', ["'self'", issuer]);
  if (issuer !== auth || apiOrigin !== api) throw new Error(`issuer ${issuer}, API ${apiOrigin}`);
  return `connect-src ${policy.get('connect-src').join(' ')}; frame-src ${issuer}`;
});

await check(
  'every container: read-only root filesystem, no capabilities, no-new-privileges, non-root',
  async () => {
    const notes = [];
    for (const url of [auth, api, web]) {
      const port = new URL(url).port;
      const id = execFileSync('docker', ['ps', '--quiet', '--filter', `publish=${port}`], {
        encoding: 'utf8',
      }).trim();
      if (!id || id.includes('\n'))
        throw new Error(`port ${port}: expected one container, got ${JSON.stringify(id)}`);
      const [info] = JSON.parse(execFileSync('docker', ['inspect', id], { encoding: 'utf8' }));
      const name = info.Name.replace(/^\//, '');
      const { ReadonlyRootfs, CapDrop, SecurityOpt } = info.HostConfig;
      const user = info.Config.User;
      if (ReadonlyRootfs !== true) throw new Error(`${name}: root filesystem is writable`);
      if (JSON.stringify(CapDrop) !== '["ALL"]')
        throw new Error(`${name}: cap_drop ${JSON.stringify(CapDrop)}`);
      if (!SecurityOpt?.includes('no-new-privileges:true'))
        throw new Error(`${name}: security_opt ${JSON.stringify(SecurityOpt)}`);
      if (!user || /^(root|0)(:|$)/.test(user))
        throw new Error(`${name}: runs as ${JSON.stringify(user || 'root')}`);
      notes.push(`${name} as ${user}`);
    }
    return notes.join(', ');
  },
);

await check('the API mounts the M2M secret read-only, and never the signing keys', async () => {
  const id = execFileSync('docker', ['ps', '--quiet', '--filter', `publish=${new URL(api).port}`], {
    encoding: 'utf8',
  }).trim();
  const [info] = JSON.parse(execFileSync('docker', ['inspect', id], { encoding: 'utf8' }));
  const mounts = info.Mounts.map((mount) => `${mount.Destination}${mount.RW ? '' : ':ro'}`);
  if (JSON.stringify(mounts) !== JSON.stringify(['/run/m2m-secret:ro']))
    throw new Error(`mounts ${JSON.stringify(mounts)}, expected ["/run/m2m-secret:ro"]`);
  return mounts.join(', ');
});

if (before) {
  await check('signing keys kept across down/up (named volume)', async () => {
    if (JSON.stringify(before.kids) !== JSON.stringify(kids)) {
      throw new Error(`kids before ${before.kids.join(', ')}, now ${kids.join(', ')}`);
    }
    return kids.join(', ');
  });
  await check('a token issued before the restart is still accepted', async () => {
    const { body } = await json(`${api}/api/messages/protected`, 200, {
      headers: { authorization: `Bearer ${before.token}` },
    });
    return body.text;
  });
}

if (failures.length > 0) {
  console.log(`compose smoke: ${failures.length} check(s) failed: ${failures.join('; ')}`);
  process.exit(1);
}
if (stateFile && !before) await writeFile(stateFile, JSON.stringify({ kids, token }));
console.log('compose smoke: all checks passed');
