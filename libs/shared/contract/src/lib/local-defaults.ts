/**
 * The local development tenant: the auth server's tenant file, the API's dev env and the SPA's dev
 * config.json all use these values, so `npm start` needs no setup. Swap them for your Auth0 tenant's.
 */
export const LOCAL_TENANT = {
  /** Issuer of the local auth server; like Auth0's, it ends with a slash. */
  issuer: 'http://localhost:4000/',
  /** What the SPA passes to the SDK as `domain` for the local server (a full URL, no trailing slash). */
  domain: 'http://localhost:4000',
  /** The SPA application's client id. */
  spaClientId: 'sample-spa',
  /** The API's identifier: the `audience` to request and the `aud` the API expects. */
  apiAudience: 'https://api.sample.local',
  /** A second API in the tenant: a token for it gets `audience_mismatch` at this API (the lab uses it). */
  otherApiAudience: 'https://other-api.sample.local',
  /** An API whose tokens live a few seconds: the lab waits for one to expire (`token_expired`). */
  shortLivedApiAudience: 'https://short-lived-api.sample.local',
  /** Machine-to-machine client (client credentials) for curl, scripts and tests. */
  m2mClientId: 'sample-m2m',
  /** Demo users of the local tenant: passwords are demo values in the tenant file. */
  users: {
    admin: 'admin@example.com',
    reader: 'reader@example.com',
    guest: 'guest@example.com',
  },
  /** Where the API listens. */
  apiUrl: 'http://localhost:3000',
  /** Where the SPA is served. */
  webOrigin: 'http://localhost:4200',
} as const;
