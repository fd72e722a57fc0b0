import { IncomingMessage } from 'node:http';
import { mediaType, readBody } from '../http/body';

export const TOKEN_PATH = '/oauth/token';

/** An error Auth0 answers before any grant is processed. */
export interface TokenRequestError {
  readonly status: number;
  readonly body: { readonly error: string; readonly error_description: string };
}

/** The same request with another (form) body, for oidc-provider to read as if it had arrived so. */
function withFormBody(req: IncomingMessage, body: string): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.headers = {
    ...req.headers,
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
  };
  copy.complete = true;
  copy.push(body);
  copy.push(null);
  return copy;
}

function jsonToForm(text: string): URLSearchParams | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(json)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      form.set(key, String(value));
  }
  return form;
}

/**
 * Auth0's /oauth/token takes JSON bodies as well as forms, and `audience` for client credentials;
 * oidc-provider takes forms and RFC 8707 `resource`. Rewrites the request so oidc-provider sees the latter.
 * @returns the request to hand on, or the error Auth0 would answer.
 */
export async function adaptTokenRequest(req: IncomingMessage): Promise<IncomingMessage | TokenRequestError> {
  const type = mediaType(req);
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') return req;
  const text = await readBody(req);
  const form = type === 'application/json' ? jsonToForm(text) : new URLSearchParams(text);
  if (!form) {
    return {
      status: 400,
      body: { error: 'invalid_request', error_description: 'The JSON body must be an object.' },
    };
  }
  if (form.get('grant_type') === 'client_credentials' && !form.has('resource')) {
    const audience = form.get('audience');
    if (!audience) {
      return {
        status: 403,
        body: {
          error: 'access_denied',
          error_description:
            'No audience parameter was provided, and no default audience has been configured',
        },
      };
    }
    form.delete('audience');
    form.set('resource', audience);
  }
  return withFormBody(req, form.toString());
}
