import type { IncomingMessage } from 'node:http';

/** Form posts and token requests are small; anything bigger is not for this server. */
const LIMIT_BYTES = 64 * 1024;

export class BodyTooLarge extends Error {
  constructor() {
    super(`request body larger than ${LIMIT_BYTES} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/** Reads a whole request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > LIMIT_BYTES) throw new BodyTooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The media type of a request, lower case, without parameters. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
