import type { ServerResponse } from 'node:http';
import { sendJson } from '../http/respond';

const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
};

/** The body of a Management API error, in Auth0's shape. */
export interface ManagementErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly errorCode?: string;
  /** Auth0 repeats a 401's message here. */
  readonly attributes?: { readonly error: string };
}

/** A refusal of the Management API, answered as Auth0 answers it: `{ statusCode, error, message, errorCode }`. */
export class ManagementApiError extends Error {
  readonly body: ManagementErrorBody;

  constructor(
    readonly statusCode: number,
    message: string,
    errorCode?: string,
    /** Extra response headers, e.g. `retry-after`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ManagementApiError';
    this.body = {
      statusCode,
      error: REASON_PHRASES[statusCode] ?? 'Error',
      message,
      ...(errorCode !== undefined && { errorCode }),
      ...(statusCode === 401 && { attributes: { error: message } }),
    };
  }
}

/** 403 `insufficient_scope`, naming the scopes any one of which would do, as Auth0 words it. */
export function insufficientScope(expected: readonly string[], detail = ''): ManagementApiError {
  return new ManagementApiError(
    403,
    `Insufficient scope, expected any of: ${expected.join(',')}${detail}`,
    'insufficient_scope',
  );
}

/** 400 `invalid_body`: Auth0's payload validation message. */
export function invalidBody(reason: string): ManagementApiError {
  return new ManagementApiError(400, `Payload validation error: ${reason}`, 'invalid_body');
}

/** Sends an error with the headers already set for the request (CORS, rate limit). */
export function sendManagementError(
  res: ServerResponse,
  error: ManagementApiError,
  headers: Readonly<Record<string, string>>,
): void {
  sendJson(res, error.statusCode, error.body, { ...headers, ...error.headers });
}
