import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TokenClaimsView } from '@sample/contract';
import { AccessToken } from '../auth/access-token.decorator';
import type { AccessTokenUser } from '../auth/access-token-user';

@ApiTags('debugging')
@Controller('api/me')
export class MeController {
  @Get()
  @ApiOperation({
    summary: 'What the API sees in your access token',
    description:
      'The validated claims sub, scope, permissions, aud, iss and exp: compare them with what you expected.',
  })
  @ApiOkResponse({
    content: {
      'application/json': {
        schema: {
          type: 'object',
          properties: {
            sub: { type: 'string' },
            scope: { type: 'string', nullable: true },
            permissions: { type: 'array', items: { type: 'string' }, nullable: true },
            aud: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
            iss: { type: 'string' },
            exp: { type: 'integer' },
          },
        },
      },
    },
  })
  getMe(@AccessToken() user: AccessTokenUser): TokenClaimsView {
    const { sub, scope, permissions, aud, iss, exp } = user;
    return { sub, scope, permissions, aud, iss, exp };
  }
}
