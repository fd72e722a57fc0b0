/** Where the API publishes its OpenAPI document, relative to its base URL. */
export const API_DOCS_PATH = '/api/docs-json';

/** How long to wait for the API's OpenAPI document before printing the token without curl lines. */
const DOCS_TIMEOUT_MS = 5_000;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One API route, as the API's OpenAPI document declares its access. */
export interface ApiRoute {
  /** Upper-case HTTP method, e.g. `GET`. */
  readonly method: string;
  /** Path as the document writes it, e.g. `/api/messages/admin`. */
  readonly path: string;
  /** `x-public: true`: answered without a token. */
  readonly public: boolean;
  /** `x-required-permissions` of a protected route; empty: any valid access token. */
  readonly permissions: readonly string[];
  /** The operation takes a JSON request body (`requestBody.content["application/json"]`). */
  readonly jsonBody: boolean;
}

/** The route list could not be read; `reason` is one line for the terminal. */
export class ApiRoutesError extends Error {
  override readonly name = 'ApiRoutesError';

  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`Cannot read the API's routes from ${url} (${reason})`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The API's routes from its OpenAPI document, in document order. Only paths under `/api/` count (health probes
 * are not API calls). By the API's convention an operation is public only with `x-public: true`; any other is
 * protected and requires the permissions in `x-required-permissions` (none listed: any valid access token).
 * @throws ApiRoutesError when `document` has no `paths` object.
 */
export function apiRoutesOf(document: unknown, url: string): ApiRoute[] {
  const paths = isRecord(document) ? document['paths'] : undefined;
  if (!isRecord(paths)) throw new ApiRoutesError(url, 'not an OpenAPI document: it has no "paths"');
  return Object.entries(paths)
    .filter(([path]) => path.startsWith('/api/'))
    .flatMap(([path, item]) =>
      METHODS.flatMap((method): ApiRoute[] => {
        const operation = isRecord(item) ? item[method] : undefined;
        if (!isRecord(operation)) return [];
        const required = operation['x-required-permissions'];
        const body = operation['requestBody'];
        const content = isRecord(body) ? body['content'] : undefined;
        return [
          {
            method: method.toUpperCase(),
            path,
            public: operation['x-public'] === true,
            permissions: Array.isArray(required)
              ? required.filter((permission): permission is string => typeof permission === 'string')
              : [],
            jsonBody: isRecord(content) && 'application/json' in content,
          },
        ];
      }),
    );
}

/**
 * Why a request failed, in a few words: the socket error code when there is one (ECONNREFUSED, ENOTFOUND), else
 * what fetch says.
 * Read by shape, not `instanceof`: fetch's errors may come from another realm (Node's own undici, a test VM).
 */
function networkReason(error: unknown): string {
  if (!isRecord(error)) return String(error);
  if (error['name'] === 'TimeoutError') return `no answer within ${DOCS_TIMEOUT_MS / 1000} s`;
  const cause = isRecord(error['cause']) ? error['cause'] : {};
  for (const reason of [cause['code'], cause['message'], error['message']]) {
    if (typeof reason === 'string' && reason !== '') return reason;
  }
  return String(error);
}

/**
 * Reads the routes of the API at `apiUrl` from `GET <apiUrl>/api/docs-json`.
 * @throws ApiRoutesError when the API cannot be reached or does not answer with an OpenAPI document.
 */
export async function fetchApiRoutes(apiUrl: string): Promise<ApiRoute[]> {
  const url = `${apiUrl.replace(/\/+$/, '')}${API_DOCS_PATH}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(DOCS_TIMEOUT_MS),
    });
  } catch (error) {
    throw new ApiRoutesError(url, networkReason(error));
  }
  if (!response.ok) throw new ApiRoutesError(url, `HTTP ${response.status}`);
  let document: unknown;
  try {
    document = await response.json();
  } catch {
    throw new ApiRoutesError(url, 'the answer is not JSON');
  }
  return apiRoutesOf(document, url);
}
