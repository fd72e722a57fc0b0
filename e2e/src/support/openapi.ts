import type { APIRequestContext } from '@playwright/test';

/** One operation of the API's OpenAPI document, read by the project's convention (see the API README). */
export interface ApiOperation {
  /** Lower case, as in the document: `get`, `post`... */
  readonly method: string;
  /** The templated path, e.g. `/api/messages/{id}`. */
  readonly path: string;
  /** `x-public: true`; anything else is protected. */
  readonly public: boolean;
  /** `x-required-permissions` (`[]`: any valid access token). */
  readonly permissions: readonly string[];
  /** The operation's `security` requirements as documented (undefined: none given). */
  readonly security: unknown;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every operation of `GET <apiUrl>/api/docs-json`: the route list e2e derives from the API instead of keeping one.
 * @example const operations = await apiOperations(request, urls.api);
 */
export async function apiOperations(request: APIRequestContext, apiUrl: string): Promise<ApiOperation[]> {
  const response = await request.get(`${apiUrl}/api/docs-json`);
  if (!response.ok()) throw new Error(`${apiUrl}/api/docs-json answered ${response.status()}`);
  const document: unknown = await response.json();
  const paths = isObject(document) && isObject(document['paths']) ? document['paths'] : {};
  const operations: ApiOperation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const permissions = operation['x-required-permissions'];
      operations.push({
        method,
        path,
        public: operation['x-public'] === true,
        permissions: Array.isArray(permissions) ? permissions.map(String) : [],
        security: operation['security'],
      });
    }
  }
  return operations;
}

/** A concrete path for a templated one: each `{param}` becomes `1`. */
export function concretePath(path: string): string {
  return path.replace(/\{[^}]+\}/g, '1');
}
