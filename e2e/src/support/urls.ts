import { LOCAL_TENANT } from '@sample/contract';

/** Where the stack under test is: the local dev servers by default, or the E2E_*_URL variables. */
export const urls = {
  web: process.env['E2E_WEB_URL'] ?? LOCAL_TENANT.webOrigin,
  api: process.env['E2E_API_URL'] ?? LOCAL_TENANT.apiUrl,
  auth: process.env['E2E_AUTH_URL'] ?? LOCAL_TENANT.domain,
};
