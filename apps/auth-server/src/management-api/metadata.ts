import { invalidBody } from './errors';

/** A user's `user_metadata` or `app_metadata`: a JSON object. */
export type Metadata = Readonly<Record<string, unknown>>;

/** The fields of `PATCH /api/v2/users/{id}` this emulation supports. */
export interface UserPatch {
  readonly user_metadata?: Metadata;
  readonly app_metadata?: Metadata;
}

/** Largest `user_metadata` (and `app_metadata`) kept, as JSON bytes: Auth0's practical limit of 16 KB. */
export const METADATA_MAX_BYTES = 16 * 1024;

const METADATA_FIELDS = ['user_metadata', 'app_metadata'] as const;
/** Root fields of Auth0's user that PATCH accepts and this emulation does not (they need `update:users`). */
const UNSUPPORTED_ROOT_FIELDS = new Set([
  'blocked',
  'email',
  'email_verified',
  'phone_number',
  'phone_verified',
  'verify_email',
  'verify_phone_number',
  'password',
  'verify_password',
  'username',
  'name',
  'nickname',
  'given_name',
  'family_name',
  'picture',
  'connection',
  'client_id',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** The first key at any depth holding `.` or `$`, which Auth0 refuses in metadata field names. */
function badFieldName(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = badFieldName(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('.') || key.includes('$')) return `${path}.${key}`;
    const found = badFieldName(item, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * Validates a PATCH body: a JSON object with `user_metadata` and/or `app_metadata`, each an object whose field
 * names hold no `.` or `$`.
 * @throws ManagementApiError 400 `invalid_body` in Auth0's words (`Payload validation error: …`).
 */
export function parseUserPatch(body: unknown): UserPatch {
  if (!isObject(body)) {
    throw invalidBody(`'Expected type object but found type ${typeName(body)}'.`);
  }
  const keys = Object.keys(body);
  if (keys.length === 0) throw invalidBody(`'Too few properties defined (0), minimum 1'.`);
  const unknown = keys.filter((key) => !(METADATA_FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    const supported = unknown.filter((key) => UNSUPPORTED_ROOT_FIELDS.has(key));
    const note =
      supported.length > 0
        ? ` (${supported.join(', ')}: Auth0 lets update:users set these; this emulation edits user_metadata and app_metadata only)`
        : ' (consider storing them in user_metadata or app_metadata)';
    throw invalidBody(`'Additional properties not allowed: ${unknown.join(',')}'${note}.`);
  }
  for (const field of METADATA_FIELDS) {
    if (!(field in body)) continue;
    const value = body[field];
    if (!isObject(value)) {
      throw invalidBody(`'Expected type object but found type ${typeName(value)}' on property ${field}.`);
    }
    const bad = badFieldName(value, field);
    if (bad) {
      throw invalidBody(
        `field name ${JSON.stringify(bad)} must not contain "." or "$" (nest objects instead).`,
      );
    }
  }
  return body as UserPatch;
}

/**
 * Applies a metadata change as Auth0 does: top-level keys are merged, a nested object replaces the old one whole,
 * a key set to `null` is deleted, and an empty object clears everything.
 */
export function mergeMetadata(current: Metadata, change: Metadata): Metadata {
  if (Object.keys(change).length === 0) return {};
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/**
 * Refuses metadata larger than METADATA_MAX_BYTES once merged.
 * @throws ManagementApiError 400 `invalid_body`.
 */
export function checkMetadataSize(field: string, value: Metadata): void {
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > METADATA_MAX_BYTES) {
    throw invalidBody(
      `${field} would be ${bytes} bytes of JSON, more than the ${METADATA_MAX_BYTES} allowed: store less, or keep large data in your own database.`,
    );
  }
}
