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
  /** Where the API listens. */
  apiUrl: 'http://localhost:3000',
  /** Where the SPA is served. */
  webOrigin: 'http://localhost:4200',
} as const;
