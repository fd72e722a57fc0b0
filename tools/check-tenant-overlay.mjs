// Checks what `docker compose config` renders from .env.example (the real-tenant setup): the local auth server is
// not started, and the API and the SPA get the tenant's values, with no trace of the local issuer left.
//   docker compose --env-file .env.example config --format json | node tools/check-tenant-overlay.mjs
import { readFile } from 'node:fs/promises';
import { parseEnv } from 'node:util';

const example = parseEnv(await readFile(new URL('../.env.example', import.meta.url), 'utf8'));
let input = '';
for await (const chunk of process.stdin) input += chunk;
const config = JSON.parse(input);
const api = config.services.api?.environment ?? {};
const web = config.services.web?.environment ?? {};

const expectations = [
  ['services', Object.keys(config.services).sort().join(','), 'api,web'],
  ['api AUTH_ISSUER_URL', api.AUTH_ISSUER_URL, `https://${example.AUTH0_DOMAIN}/`],
  ['api AUTH_AUDIENCE', api.AUTH_AUDIENCE, example.AUTH0_AUDIENCE],
  ['api AUTH_JWKS_URI', api.AUTH_JWKS_URI, ''],
  ['web SPA_DOMAIN', web.SPA_DOMAIN, example.AUTH0_DOMAIN],
  ['web SPA_CLIENT_ID', web.SPA_CLIENT_ID, example.AUTH0_SPA_CLIENT_ID],
  ['web SPA_AUDIENCE', web.SPA_AUDIENCE, example.AUTH0_AUDIENCE],
  // required: false lets the API start although the auth server it waits for locally is not part of this stack.
  [
    'api waits for auth-server only when present',
    config.services.api?.depends_on?.['auth-server']?.required,
    false,
  ],
];
const wrong = expectations.filter(([, got, want]) => got !== want);
for (const [name, got, want] of expectations) {
  console.log(
    `  ${got === want ? 'ok  ' : 'FAIL'} ${name}: ${JSON.stringify(got)}${got === want ? '' : ` (expected ${JSON.stringify(want)})`}`,
  );
}
if (wrong.length > 0) process.exit(1);
