import type { APIRequestContext } from '@playwright/test';
import type { ApiConsolePage } from './support/api-console-page';
import { expect, signedInAs, test } from './support/fixtures';
import { apiOperations, concretePath, type ApiOperation } from './support/openapi';
import { urls } from './support/urls';

// The routes come from the API's OpenAPI document (x-public, x-required-permissions), never from a list kept here:
// a route added to a controller is covered by these tests without editing them. Each test compares what happened
// for every route with what the convention predicts, so a failure lists every route that differs.
let operations: ApiOperation[] = [];

test.beforeAll(async ({ playwright }) => {
  const request = await playwright.request.newContext();
  operations = await apiOperations(request, urls.api);
  await request.dispose();
});

const name = (operation: ApiOperation) => `${operation.method.toUpperCase()} ${operation.path}`;

/**
 * What the convention says an operation documents: public ones `security: []`, the others the token schemes the API
 * accepts, either one sufficing: `bearer` or `dpop` (AUTH_DPOP=allowed, the default of the stack under test).
 */
function conventionalSecurity(operation: ApiOperation) {
  return { route: name(operation), security: operation.public ? [] : [{ bearer: [] }, { dpop: [] }] };
}

/** Calls an operation without a token: refused (401 with a Bearer challenge and its reason), or answered. */
async function withoutToken(request: APIRequestContext, operation: ApiOperation) {
  const response = await request.fetch(`${urls.api}${concretePath(operation.path)}`, {
    method: operation.method.toUpperCase(),
  });
  if (response.status() !== 401) return { route: name(operation), refused: false };
  const body = (await response.json()) as { reason?: string };
  const challenge = response.headers()['www-authenticate'] ?? '';
  return {
    route: name(operation),
    refused: true,
    reason: body.reason,
    bearerChallenge: challenge.startsWith('Bearer'),
  };
}

function predictedWithoutToken(operation: ApiOperation) {
  return operation.public
    ? { route: name(operation), refused: false }
    : { route: name(operation), refused: true, reason: 'missing_token', bearerChallenge: true };
}

/** Calls a path through the SPA (the API console): did the interceptor attach a token, and did the API take it? */
async function throughTheSpa(apiConsole: ApiConsolePage, path: string) {
  const answer = await apiConsole.callPath(path);
  return { path, token: /^Bearer ey/.test(answer.authorization ?? ''), accepted: answer.status !== 401 };
}

test('the OpenAPI document marks its public routes and names the bearer and DPoP schemes on every other one', () => {
  expect(operations.length).toBeGreaterThan(0);
  // The public message is public: without x-public every consumer would take it for a protected route.
  expect(operations.filter((operation) => operation.public).map((operation) => operation.path)).toContain(
    '/api/messages/public',
  );
  expect(operations.map((operation) => ({ route: name(operation), security: operation.security }))).toEqual(
    operations.map(conventionalSecurity),
  );
});

test('without a token, each protected route answers 401 missing_token and each public one answers', async ({
  request,
}) => {
  const answers = [];
  for (const operation of operations) answers.push(await withoutToken(request, operation));
  expect(answers).toEqual(operations.map(predictedWithoutToken));
});

test.describe('signed in', () => {
  test.use(signedInAs('admin'));

  test("the SPA's interceptor attaches the access token to every route under /api/, and to nothing else", async ({
    apiConsole,
  }) => {
    await apiConsole.open();
    const paths = [...new Set(operations.map((operation) => concretePath(operation.path)))];
    const sent = [];
    for (const path of paths) sent.push(await throughTheSpa(apiConsole, path));
    // Under /api/ the token goes along and the API accepts it (the admin has every permission of the local tenant).
    expect(sent).toEqual(paths.map((path) => ({ path, token: path.startsWith('/api/'), accepted: true })));
  });
});
