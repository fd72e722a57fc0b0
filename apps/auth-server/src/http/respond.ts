import type { ServerResponse } from 'node:http';
import { pageHeaders } from '../pages/html';

export function sendHtml(res: ServerResponse, status: number, body: string, nonce?: string): void {
  res.writeHead(status, pageHeaders(nonce)).end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    })
    .end(JSON.stringify(body));
}
