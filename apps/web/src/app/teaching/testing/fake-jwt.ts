/** base64url of a JSON value. */
function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An unsigned JWT-shaped string for decoding tests (the signature is a placeholder, never verified here). */
export function fakeJwt(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT', kid: 'key-1' },
): string {
  return `${segment(header)}.${segment(payload)}.c2lnbmF0dXJl`;
}
