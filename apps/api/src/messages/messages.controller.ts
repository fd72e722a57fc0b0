import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permission, type Message } from '@sample/contract';
import { RequirePermissions } from '../auth/permissions.decorator';
import { Public } from '../auth/public.decorator';
import { MessagesService } from './messages.service';

const message = { schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } };

@ApiTags('messages')
@Controller('api/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Public()
  @Get('public')
  @ApiOperation({ summary: 'Public message', description: 'Anyone may read it; no token needed.' })
  @ApiOkResponse({ content: { 'application/json': message } })
  getPublicMessage(): Message {
    return this.messages.getPublicMessage();
  }

  @Get('protected')
  @ApiOperation({
    summary: 'Protected message',
    description: 'Requires a valid access token for this API; no permission.',
  })
  @ApiOkResponse({ content: { 'application/json': message } })
  getProtectedMessage(): Message {
    return this.messages.getProtectedMessage();
  }

  @Get('admin')
  @RequirePermissions(Permission.ReadAdminMessages)
  @ApiOperation({
    summary: 'Admin message',
    description: `Requires a valid access token with the permission \`${Permission.ReadAdminMessages}\` (in \`permissions\` or \`scope\`).`,
  })
  @ApiOkResponse({ content: { 'application/json': message } })
  getAdminMessage(): Message {
    return this.messages.getAdminMessage();
  }
}
