import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiExtension,
  ApiForbiddenResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { PROBLEM_JSON, REASON_CODES } from '@sample/contract';

/** Name of the bearer security scheme in the OpenAPI document. */
export const BEARER_SCHEME = 'bearer';

const problem = {
  [PROBLEM_JSON]: {
    schema: {
      type: 'object',
      required: ['type', 'title', 'status', 'detail', 'reason'],
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        reason: { type: 'string', enum: REASON_CODES },
        fix: { type: 'string' },
        expected: {},
        received: {},
        required: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};

/**
 * Documents how a route is protected: bearer token, the permissions it needs (also as `x-required-permissions`)
 * and the problem+json rejections. Documentation only: JwtAuthGuard and PermissionsGuard enforce.
 * @example @ApiAccess({ permissions: [Permission.ReadAdminMessages] })
 */
export function ApiAccess(options: { public?: boolean; permissions?: readonly string[] } = {}) {
  if (options.public === true) return applyDecorators(ApiExtension('x-required-permissions', []));
  const permissions = options.permissions ?? [];
  const decorators = [
    ApiBearerAuth(BEARER_SCHEME),
    ApiExtension('x-required-permissions', permissions),
    ApiBadRequestResponse({
      description: 'Malformed Authorization header (reason malformed_authorization_header).',
      content: problem,
    }),
    ApiUnauthorizedResponse({
      description: 'No token, or a token this API does not accept; the `reason` says which and why.',
      content: problem,
    }),
  ];
  if (permissions.length > 0) {
    decorators.push(
      ApiForbiddenResponse({
        description: `The token lacks ${permissions.join(', ')} (reason insufficient_permission).`,
        content: problem,
      }),
    );
  }
  return applyDecorators(...decorators);
}
