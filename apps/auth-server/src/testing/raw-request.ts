import { request } from 'node:http';

/** A GET on localhost with any `Host` header (fetch always sends the URL's own). */
export function getWithHost(
  port: number,
  path: string,
  host: string,
): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: 'localhost', port, path, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'], body }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** A GET whose headers may repeat, each value on a line of its own (fetch joins repeated headers into one). */
export function requestWithHeaderLines(
  url: string,
  headers: Record<string, string[]>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    for (const [name, values] of Object.entries(headers)) outgoing.setHeader(name, values);
    outgoing.on('error', reject);
    outgoing.end();
  });
}
