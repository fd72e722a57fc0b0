import { Injectable } from '@nestjs/common';
import type { Message } from '@sample/contract';

/** The texts of the Auth0 "hello world" API samples, so users recognise the contract. */
@Injectable()
export class MessagesService {
  getPublicMessage(): Message {
    return { text: 'This is a public message.' };
  }

  getProtectedMessage(): Message {
    return { text: 'This is a protected message.' };
  }

  getAdminMessage(): Message {
    return { text: 'This is an admin message.' };
  }
}
