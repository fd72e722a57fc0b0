/** A token decoded for display. Decoding is not validation: only the API (with the issuer's keys) can validate. */
export type DecodedToken =
  | {
      /** A signed JWT (JWS compact form: header.payload.signature) whose claims anyone can read. */
      readonly kind: 'jwt';
      readonly raw: string;
      readonly header: Readonly<Record<string, unknown>>;
      readonly payload: Readonly<Record<string, unknown>>;
      readonly signature: string;
    }
  | {
      /** An encrypted JWT (JWE, five parts): only the issuer can read it. Auth0 issues these without an audience. */
      readonly kind: 'encrypted';
      readonly raw: string;
      readonly header: Readonly<Record<string, unknown>> | null;
    }
  | {
      /** Not a JWT at all: a random handle only the issuer understands. */
      readonly kind: 'opaque';
      readonly raw: string;
    };

/** Decodes one base64url segment to text (UTF-8). */
export function base64UrlDecode(segment: string): string {
  const base64 = segment
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Encodes text (UTF-8) as one base64url segment without padding. */
export function base64UrlEncode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const binary = Array.from(bytes, (byte) => String.fromCharCode(byte)).join('');
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function jsonObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(base64UrlDecode(segment));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Decodes a token for display: a readable JWT, an encrypted JWE, or an opaque string. */
export function decodeToken(token: string): DecodedToken {
  const raw = token.trim();
  const parts = raw.split('.');
  if (parts.length === 3) {
    const [headerPart = '', payloadPart = '', signature = ''] = parts;
    const header = jsonObject(headerPart);
    const payload = jsonObject(payloadPart);
    if (header && payload) return { kind: 'jwt', raw, header, payload, signature };
  }
  if (parts.length === 5) {
    return { kind: 'encrypted', raw, header: jsonObject(parts[0] ?? '') };
  }
  return { kind: 'opaque', raw };
}

/**
 * Changes the payload of a signed JWT but keeps its signature: the result is what an attacker would send,
 * and any API that verifies signatures must reject it (`invalid_signature`).
 */
export function tamperWithPayload(token: string, changes: Readonly<Record<string, unknown>>): string {
  const decoded = decodeToken(token);
  if (decoded.kind !== 'jwt') throw new Error('Only a signed JWT can be tampered with');
  const [header = '', , signature = ''] = decoded.raw.split('.');
  return [header, base64UrlEncode(JSON.stringify({ ...decoded.payload, ...changes })), signature].join('.');
}
