import { ApiRoutesError, apiRoutesOf } from './api-routes';

const URL = 'http://localhost:3000/api/docs-json';

describe('apiRoutesOf', () => {
  it('reads public and protected routes by the x-public and x-required-permissions convention', () => {
    const routes = apiRoutesOf(
      {
        paths: {
          '/api/open': { get: { 'x-public': true, security: [] } },
          '/api/any-token': { get: { 'x-required-permissions': [] } },
          '/api/admin': { get: { 'x-required-permissions': ['read:admin-messages'] } },
        },
      },
      URL,
    );
    expect(routes).toEqual([
      { method: 'GET', path: '/api/open', public: true, permissions: [], jsonBody: false },
      { method: 'GET', path: '/api/any-token', public: false, permissions: [], jsonBody: false },
      {
        method: 'GET',
        path: '/api/admin',
        public: false,
        permissions: ['read:admin-messages'],
        jsonBody: false,
      },
    ]);
  });

  it('treats an operation without x-public: true as protected, needing any valid token', () => {
    const routes = apiRoutesOf(
      { paths: { '/api/me': { get: {} }, '/api/odd': { get: { 'x-public': 'yes' } } } },
      URL,
    );
    expect(routes.map((route) => [route.path, route.public, route.permissions])).toEqual([
      ['/api/me', false, []],
      ['/api/odd', false, []],
    ]);
  });

  it('lists every method of a path and skips what is not an operation', () => {
    const routes = apiRoutesOf(
      {
        paths: {
          '/api/messages': {
            parameters: [],
            summary: 'Messages',
            get: { 'x-required-permissions': ['read:messages'] },
            post: { 'x-required-permissions': ['write:messages', 7] },
          },
        },
      },
      URL,
    );
    expect(routes).toEqual([
      {
        method: 'GET',
        path: '/api/messages',
        public: false,
        permissions: ['read:messages'],
        jsonBody: false,
      },
      {
        method: 'POST',
        path: '/api/messages',
        public: false,
        permissions: ['write:messages'],
        jsonBody: false,
      },
    ]);
  });

  it('notes which operations take a JSON body', () => {
    const routes = apiRoutesOf(
      {
        paths: {
          '/api/me/profile': {
            get: { 'x-required-permissions': ['edit:profile'] },
            patch: {
              'x-required-permissions': ['edit:profile'],
              requestBody: { content: { 'application/json': { schema: {} } } },
            },
          },
        },
      },
      URL,
    );
    expect(routes.map((route) => [route.method, route.jsonBody])).toEqual([
      ['GET', false],
      ['PATCH', true],
    ]);
  });

  it('keeps to the API routes: health probes get no curl line', () => {
    const routes = apiRoutesOf(
      { paths: { '/health': { get: { 'x-public': true } }, '/api/x': { get: {} } } },
      URL,
    );
    expect(routes.map((route) => route.path)).toEqual(['/api/x']);
  });

  it.each([null, [], 'html', { openapi: '3.0.0' }, { paths: [] }])(
    'refuses %p, which is not an OpenAPI document',
    (document) => {
      expect(() => apiRoutesOf(document, URL)).toThrow(
        new ApiRoutesError(URL, 'not an OpenAPI document: it has no "paths"'),
      );
    },
  );
});
