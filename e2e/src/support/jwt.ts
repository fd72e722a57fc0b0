/** One decoded JWT segment (0: header, 1: payload); nothing is verified here, the API did that. */
export function segment(jwt: string | undefined, index: 0 | 1): Record<string, unknown> {
  const part = jwt?.split('.')[index];
  if (!part) throw new Error(`not a JWT: ${String(jwt)}`);
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}
