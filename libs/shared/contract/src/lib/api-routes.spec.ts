import { API_ROUTES, API_ROUTE_ACCESS, apiAllowedList, matchAllowedList } from './api-routes';

const API = 'https://api.example.com';

describe('apiAllowedList', () => {
  it('lists every API route under apiUrl, only the public one anonymous', () => {
    expect(apiAllowedList(API)).toEqual([
      { uri: `${API}/api/messages/public`, allowAnonymous: true },
      { uri: `${API}/api/messages/protected` },
      { uri: `${API}/api/messages/admin` },
      { uri: `${API}/api/me` },
    ]);
  });

  it('marks exactly the public route as public, the admin one as needing read:admin-messages', () => {
    expect(API_ROUTE_ACCESS.public).toEqual({ public: true });
    expect(API_ROUTE_ACCESS.admin).toEqual({ public: false, permissions: ['read:admin-messages'] });
    expect(Object.keys(API_ROUTE_ACCESS)).toEqual(Object.keys(API_ROUTES));
  });
});

describe('matchAllowedList', () => {
  const list = apiAllowedList(API);

  it('matches a route exactly, ignoring the query', () => {
    expect(matchAllowedList(list, `${API}/api/me?x=1`)).toEqual({ uri: `${API}/api/me` });
  });

  it('does not match another origin, a longer path or the bare API URL', () => {
    expect(matchAllowedList(list, 'https://evil.example.com/api/me')).toBeUndefined();
    expect(matchAllowedList(list, `${API}/api/me/extra`)).toBeUndefined();
    expect(matchAllowedList(list, API)).toBeUndefined();
  });

  it('matches a trailing-* prefix as auth0-angular does', () => {
    expect(matchAllowedList([{ uri: `${API}/api/*` }], `${API}/api/anything?q=1`)).toEqual({
      uri: `${API}/api/*`,
    });
    expect(matchAllowedList([{ uri: `${API}/api/*` }], `${API}/other`)).toBeUndefined();
  });
});
