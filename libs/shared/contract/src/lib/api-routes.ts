import { Permission } from './permissions';

/** The API's routes, relative to the SPA's `apiUrl`: the SPA, the token CLI and the config doctor call these. */
export const API_ROUTES = {
  public: '/api/messages/public',
  protected: '/api/messages/protected',
  admin: '/api/messages/admin',
  me: '/api/me',
} as const;

/** One of the API routes above. */
export type ApiRoute = keyof typeof API_ROUTES;

/** Who may call a route: anyone, or a valid access token carrying every listed permission (none: any token). */
export type RouteAccess =
  { readonly public: true } | { readonly public: false; readonly permissions: readonly Permission[] };

/** What each API route requires; the API's guards enforce the same (its tests prove it). */
export const API_ROUTE_ACCESS: Readonly<Record<ApiRoute, RouteAccess>> = {
  public: { public: true },
  protected: { public: false, permissions: [] },
  admin: { public: false, permissions: [Permission.ReadAdminMessages] },
  me: { public: false, permissions: [] },
};

/**
 * One entry of the Auth0 SDK's `httpInterceptor.allowedList` (structurally auth0-angular's
 * `HttpInterceptorRouteConfig`): the interceptor attaches an access token to requests matching `uri`.
 */
export interface AllowedListEntry {
  /** An exact URL, or a prefix ending with `*`. */
  readonly uri: string;
  /** Send the request without a token when the user is signed out, instead of failing with login_required. */
  readonly allowAnonymous?: boolean;
}

/**
 * The interceptor's `allowedList` for an API at `apiUrl`: exactly its routes get an access token, nothing else
 * (no other origin, no `/config.json`, no auth-server URL ever sees it); the public route also goes out anonymously.
 * @example provideAuth0({ ..., httpInterceptor: { allowedList: apiAllowedList('https://api.example.com') } })
 */
export function apiAllowedList(apiUrl: string): AllowedListEntry[] {
  return (Object.keys(API_ROUTES) as ApiRoute[]).map((route) =>
    API_ROUTE_ACCESS[route].public
      ? { uri: `${apiUrl}${API_ROUTES[route]}`, allowAnonymous: true }
      : { uri: `${apiUrl}${API_ROUTES[route]}` },
  );
}

/**
 * The first allowedList entry matching `url`, by auth0-angular's rule (the URL without its query equals `uri`, or
 * `uri` ends with `*` and the URL starts with what precedes it); undefined: the request goes out without a token.
 */
export function matchAllowedList(
  list: readonly AllowedListEntry[],
  url: string,
): AllowedListEntry | undefined {
  const withoutQuery = url.split('?')[0];
  return list.find(
    ({ uri }) => uri === withoutQuery || (uri.endsWith('*') && url.startsWith(uri.slice(0, -1))),
  );
}
