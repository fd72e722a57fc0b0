import type { ServerResponse } from 'node:http';
import { parseHostName, type HostName } from '../config/settings';

/** Loopback names a browser on this machine may use instead of the issuer's host. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface HostCheckOptions {
  /** The issuer URL: its host is always accepted. */
  readonly issuer: string;
  /** The port the server listens on: loopback names are accepted with it and with the issuer's port. */
  readonly listenPort: number;
  /** AUTH_SERVER_ALLOWED_HOSTS: more names (a compose service); without a port, any port. */
  readonly allowedHosts?: readonly HostName[];
}

/**
 * Accepts a request only when its `Host` header names this server: the issuer's host, a loopback name with the
 * issuer's or the listening port, or a name from AUTH_SERVER_ALLOWED_HOSTS. A DNS-rebinding page (its own name
 * pointing at 127.0.0.1) sends its own name, so it never gets an answer it could read.
 * @returns undefined to serve the request, or the status and plain-text answer to send instead.
 */
export function createHostCheck({ issuer, listenPort, allowedHosts = [] }: HostCheckOptions) {
  const url = new URL(issuer);
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  const issuerPort = Number(url.port || defaultPort);
  const issuerHost = url.hostname.toLowerCase();
  const misdirected = `This server answers to the host of its issuer ${issuer} only.\n`;

  return function checkHost(header: string | undefined): { status: 400 | 421; text: string } | undefined {
    const host = header === undefined ? undefined : parseHostName(header);
    if (!host) return { status: 400, text: 'Missing or malformed Host header.\n' };
    const port = host.port ?? defaultPort;
    if (host.hostname === issuerHost && port === issuerPort) return undefined;
    if (LOOPBACK_NAMES.has(host.hostname) && (port === issuerPort || port === listenPort)) return undefined;
    const extra = allowedHosts.some(
      (allowed) =>
        allowed.hostname === host.hostname && (allowed.port === undefined || allowed.port === port),
    );
    return extra ? undefined : { status: 421, text: misdirected };
  };
}

/** Sends the short plain answer of a refused Host. */
export function sendHostRefusal(res: ServerResponse, refusal: { status: number; text: string }): void {
  res
    .writeHead(refusal.status, {
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    })
    .end(refusal.text);
}
