import type { OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_JSON, REASON_CODES } from '@sample/contract';

/** Name of the bearer security scheme in the OpenAPI document. */
export const BEARER_SCHEME = 'bearer';

/** Name of the DPoP security scheme (an http scheme `dpop`, RFC 9449) in the OpenAPI document. */
export const DPOP_SCHEME = 'dpop';

/** The security schemes a protected operation accepts under an AUTH_DPOP mode, either one sufficing. */
export function securitySchemes(mode: 'allowed' | 'required' | 'off'): readonly string[] {
  return mode === 'allowed' ? [BEARER_SCHEME, DPOP_SCHEME] : mode === 'off' ? [BEARER_SCHEME] : [DPOP_SCHEME];
}

/**
 * An `application/problem+json` body in OpenAPI: RFC 9457's fields plus a stable `reason` from `reasons`.
 * @param extra Further properties the body may carry.
 */
export function problemContent(reasons: readonly string[], extra: Record<string, object> = {}) {
  return {
    [PROBLEM_JSON]: {
      schema: {
        type: 'object',
        required: ['type', 'title', 'status', 'detail', 'reason'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          reason: { type: 'string', enum: [...reasons] },
          ...extra,
        },
      },
    },
  };
}

/** A token rejection, as AuthProblemFilter writes it. */
export const PROBLEM_CONTENT = problemContent(REASON_CODES, {
  fix: { type: 'string' },
  expected: {},
  received: {},
  required: { type: 'array', items: { type: 'string' } },
});

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Documents every operation as the global guards treat it: `x-public: true` (from @Public()) gets no security
 * requirement; every other one, decorated or not, the token schemes AUTH_DPOP accepts (bearer, dpop or either),
 * `x-required-permissions` (none unless @RequirePermissions() names some) and the 400/401 problem answers.
 */
export function documentAccess(
  document: OpenAPIObject,
  schemes: readonly string[] = [BEARER_SCHEME],
): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      if ('x-public' in operation && operation['x-public'] === true) {
        operation.security = [];
        continue;
      }
      operation.security = schemes.map((scheme) => ({ [scheme]: [] }));
      if (!('x-required-permissions' in operation))
        Object.assign(operation, { 'x-required-permissions': [] });
      operation.responses['400'] ??= {
        description: 'Malformed Authorization header (reason malformed_authorization_header).',
        content: PROBLEM_CONTENT,
      };
      operation.responses['401'] ??= {
        description: 'No token, or a token this API does not accept; the `reason` says which and why.',
        content: PROBLEM_CONTENT,
      };
    }
  }
  return document;
}
