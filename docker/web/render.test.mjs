// The web image's start-up scripts, run with sh as the container runs them: config.json's flags, and bad ones
// refused; the Content-Security-Policy rendered from SPA_* values, directive by directive; bad values refused before
// anything reaches nginx; config.json and the policy naming the same origins; and the dev server's policy
// (apps/web/project.json) being the same one for the local config.json, but for what the dev server needs.
//   node --test docker/web/render.test.mjs   (nx run web:test-image)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '../..');

const LOCAL = {
  SPA_DOMAIN: 'http://localhost:4000',
  SPA_CLIENT_ID: 'sample-spa',
  SPA_AUDIENCE: 'https://api.sample.local',
  SPA_API_URL: 'http://localhost:3000',
};

let dir;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'web-render-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(script, env) {
  const result = spawnSync('sh', [join(here, script)], {
    env: { PATH: process.env.PATH, WEB_RENDER_DIR: dir, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Renders csp.conf and returns its directives as a map: name -> sources. */
function renderPolicy(env) {
  const result = run('41-render-csp.sh', env);
  assert.equal(result.status, 0, result.stderr);
  const conf = readFileSync(join(dir, 'csp.conf'), 'utf8');
  const header = /^add_header Content-Security-Policy "([^"]+)" always;$/m.exec(conf);
  assert.ok(header, `no add_header line in ${conf}`);
  return directives(header[1]);
}

function directives(policy) {
  return new Map(
    policy.split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('41-render-csp.sh', () => {
  it('renders every directive for the local stack (docker-compose.yml values)', () => {
    const policy = renderPolicy(LOCAL);
    assert.deepEqual(Object.fromEntries(policy), {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'nonce-$request_id'"],
      'img-src': ["'self'", 'https:'],
      'connect-src': ["'self'", 'http://localhost:3000', 'http://localhost:4000'],
      'frame-src': ['http://localhost:4000'],
      'frame-ancestors': ["'none'"],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'", 'http://localhost:4000'],
    });
  });

  it('reads a bare Auth0 domain as https and keeps only the API origin', () => {
    const policy = renderPolicy({
      SPA_DOMAIN: 'Your-Tenant.us.auth0.com/',
      SPA_API_URL: 'https://API.example.com/v1/?x=1',
      // The app keeps refresh tokens in localStorage: the SDK starts no worker, so none is allowed.
      SPA_USE_REFRESH_TOKENS: 'true',
    });
    assert.deepEqual(policy.get('connect-src'), [
      "'self'",
      'https://api.example.com',
      'https://your-tenant.us.auth0.com',
    ]);
    assert.deepEqual(policy.get('frame-src'), ['https://your-tenant.us.auth0.com']);
    assert.deepEqual(policy.get('form-action'), ["'self'", 'https://your-tenant.us.auth0.com']);
    assert.equal(policy.has('worker-src'), false);
  });

  it('names an origin once when the API and the issuer share it', () => {
    const policy = renderPolicy({
      SPA_DOMAIN: 'https://example.com',
      SPA_API_URL: 'https://example.com/api',
    });
    assert.deepEqual(policy.get('connect-src'), ["'self'", 'https://example.com']);
  });

  const refused = [
    [
      'a semicolon adding a directive',
      { SPA_DOMAIN: "evil.example; script-src 'unsafe-inline'" },
      'SPA_DOMAIN',
    ],
    ['a quote', { SPA_API_URL: "https://api.example.com' 'unsafe-eval" }, 'SPA_API_URL'],
    ['a double quote ending the nginx string', { SPA_DOMAIN: 'https://a.example" always; #' }, 'SPA_DOMAIN'],
    ['an nginx variable', { SPA_API_URL: 'https://$host' }, 'SPA_API_URL'],
    ['a space', { SPA_DOMAIN: 'https://a.example https://b.example' }, 'SPA_DOMAIN'],
    ['a newline', { SPA_DOMAIN: 'a.example\nadd_header X-Evil 1;' }, 'SPA_DOMAIN'],
    ['a path in the domain', { SPA_DOMAIN: 'https://a.example/tenant' }, 'SPA_DOMAIN'],
    ['credentials in the API URL', { SPA_API_URL: 'https://user:secret@api.example.com' }, 'SPA_API_URL'],
    ['another scheme', { SPA_API_URL: 'javascript://api.example.com' }, 'SPA_API_URL'],
    ['a missing domain', { SPA_DOMAIN: '' }, 'SPA_DOMAIN is required'],
  ];
  for (const [name, env, named] of refused) {
    it(`refuses ${name}, names the variable and writes nothing`, () => {
      const result = run('41-render-csp.sh', { ...LOCAL, ...env });
      assert.equal(result.status, 1);
      assert.match(
        result.stderr,
        /^web: cannot render the Content-Security-Policy, the environment is invalid:/,
      );
      assert.ok(result.stderr.includes(named), result.stderr);
      assert.equal(existsSync(join(dir, 'csp.conf')), false);
    });
  }

  it('lists every problem in one message', () => {
    const result = run('41-render-csp.sh', { SPA_DOMAIN: 'a b', SPA_API_URL: 'https://$x' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /- SPA_DOMAIN .*\n {2}- SPA_API_URL /);
  });
});

describe('40-render-config-json.sh', () => {
  function renderConfig(env) {
    const result = run('40-render-config-json.sh', env);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  }

  it('renders the flags off by default', () => {
    const config = renderConfig(LOCAL);
    assert.equal(config.useRefreshTokens, false);
    assert.equal(config.useDpop, false);
    assert.equal(config.breakItLab, false);
  });

  it('turns DPoP on with SPA_USE_DPOP=true', () => {
    assert.equal(renderConfig({ ...LOCAL, SPA_USE_DPOP: 'true' }).useDpop, true);
  });

  for (const variable of ['SPA_USE_DPOP', 'SPA_USE_REFRESH_TOKENS', 'SPA_BREAK_IT_LAB']) {
    it(`refuses ${variable} other than true or false, names it and writes nothing`, () => {
      const result = run('40-render-config-json.sh', { ...LOCAL, [variable]: 'yes' });
      assert.equal(result.status, 1);
      assert.match(result.stderr, /^web: cannot render \/config.json, the environment is invalid:/);
      assert.ok(result.stderr.includes(`${variable} must be true or false (got "yes")`), result.stderr);
      assert.equal(existsSync(join(dir, 'config.json')), false);
    });
  }
});

describe('config.json and the policy', () => {
  it('name the same issuer and API (from the same SPA_* values)', () => {
    const env = {
      ...LOCAL,
      SPA_DOMAIN: 'your-tenant.eu.auth0.com',
      SPA_API_URL: 'https://api.example.com/v1',
    };
    assert.equal(run('40-render-config-json.sh', env).status, 0);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    const policy = renderPolicy(env);
    const issuer = new URL(`https://${config.domain}`).origin;
    const api = new URL(config.apiUrl).origin;
    assert.ok(policy.get('connect-src').includes(issuer));
    assert.ok(policy.get('connect-src').includes(api));
    assert.deepEqual(policy.get('frame-src'), [issuer]);
  });
});

describe("the dev server's policy (apps/web/project.json)", () => {
  it("is the image's policy for public/config.json, with inline styles and the dev server's websocket", () => {
    const project = JSON.parse(readFileSync(join(root, 'apps/web/project.json'), 'utf8'));
    const serve = project.targets.serve;
    const dev = directives(serve.options.headers['Content-Security-Policy']);
    const config = JSON.parse(readFileSync(join(root, 'apps/web/public/config.json'), 'utf8'));
    const image = renderPolicy({ SPA_DOMAIN: config.domain, SPA_API_URL: config.apiUrl });
    const origin = `localhost:${serve.options.port}`;
    // No nonce in the dev server: its headers are fixed, and it adds component styles as <style> elements.
    image.set('style-src', ["'self'", "'unsafe-inline'"]);
    // Live reload and HMR talk over a websocket to the dev server ('self' covers it in CSP Level 3 browsers only).
    image.set('connect-src', ["'self'", `ws://${origin}`, ...image.get('connect-src').slice(1)]);
    assert.deepEqual(Object.fromEntries(dev), Object.fromEntries(image));
  });

  it('is off for the real-tenant configuration, whose origins project.json cannot know', () => {
    const project = JSON.parse(readFileSync(join(root, 'apps/web/project.json'), 'utf8'));
    assert.deepEqual(project.targets.serve.configurations.auth0.headers, {});
  });
});
