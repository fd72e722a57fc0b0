import { audienceWarnings, issuerWarnings } from './warnings';

describe('issuerWarnings', () => {
  it('warns about an Auth0 issuer without the trailing slash, naming the right value', () => {
    expect(issuerWarnings('AUTH_ISSUER_URL', 'https://your-tenant.us.auth0.com')).toEqual([
      {
        key: 'AUTH_ISSUER_URL',
        code: 'issuer_without_trailing_slash',
        message:
          'AUTH_ISSUER_URL "https://your-tenant.us.auth0.com" has no trailing slash, but Auth0 tokens carry iss "https://your-tenant.us.auth0.com/": every token will fail with issuer_mismatch. Use "https://your-tenant.us.auth0.com/".',
      },
    ]);
  });

  it('does not warn about a missing slash on a non-Auth0 issuer', () => {
    expect(issuerWarnings('AUTH_ISSUER_URL', 'http://localhost:4000')).toEqual([]);
  });

  it('warns about plain http on a non-local issuer, not on localhost', () => {
    expect(issuerWarnings('AUTH_SERVER_ISSUER', 'http://auth.example.com/')).toEqual([
      {
        key: 'AUTH_SERVER_ISSUER',
        code: 'plain_http',
        message:
          'AUTH_SERVER_ISSUER "http://auth.example.com/" uses plain http on a non-local host: tokens and keys travel unprotected. Use https.',
      },
    ]);
    expect(issuerWarnings('AUTH_SERVER_ISSUER', 'http://localhost:4000/')).toEqual([]);
  });

  it('gives both warnings for plain http to an Auth0 host without the slash', () => {
    expect(issuerWarnings('domain', 'http://x.auth0.com').map((warning) => warning.code)).toEqual([
      'issuer_without_trailing_slash',
      'plain_http',
    ]);
  });
});

describe('audienceWarnings', () => {
  it('warns about an audience that looks like an Auth0 client id', () => {
    const warnings = audienceWarnings('AUTH_AUDIENCE', 'aBcDeFgHiJkLmNoPqRsTuVwXyZ012345');
    expect(warnings.map((warning) => warning.key)).toEqual(['AUTH_AUDIENCE']);
    expect(warnings[0]?.message).toContain('looks like an Auth0 client id');
  });

  it('warns about an audience equal to the given client id', () => {
    expect(audienceWarnings('audience', 'sample-spa', 'sample-spa')[0]?.message).toContain(
      'equals the client id',
    );
  });

  it('warns about the /userinfo URL as audience', () => {
    expect(
      audienceWarnings('AUTH_AUDIENCE', 'https://your-tenant.us.auth0.com/userinfo').map((w) => w.message),
    ).toEqual([expect.stringContaining('is the /userinfo URL')]);
  });

  it('accepts an API identifier', () => {
    expect(audienceWarnings('AUTH_AUDIENCE', 'https://api.example.com')).toEqual([]);
  });
});
