import { ManagementApiError } from './errors';
import { checkMetadataSize, mergeMetadata, METADATA_MAX_BYTES, parseUserPatch } from './metadata';

/** The 400 message a body gets. */
function refusal(body: unknown): string {
  try {
    parseUserPatch(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ManagementApiError);
    expect((error as ManagementApiError).body).toMatchObject({ statusCode: 400, errorCode: 'invalid_body' });
    return (error as ManagementApiError).message;
  }
  throw new Error('expected a refusal');
}

describe('parseUserPatch', () => {
  it('takes user_metadata and app_metadata objects', () => {
    const body = { user_metadata: { theme: 'dark' }, app_metadata: {} };
    expect(parseUserPatch(body)).toBe(body);
  });

  it("refuses what Auth0 refuses, in Auth0's words", () => {
    expect(refusal('x')).toBe("Payload validation error: 'Expected type object but found type string'.");
    expect(refusal({})).toBe("Payload validation error: 'Too few properties defined (0), minimum 1'.");
    expect(refusal({ app_metadata: 1 })).toBe(
      "Payload validation error: 'Expected type object but found type number' on property app_metadata.",
    );
    expect(refusal({ favourite: 1 })).toBe(
      "Payload validation error: 'Additional properties not allowed: favourite' (consider storing them in user_metadata or app_metadata).",
    );
  });

  it('says that root fields such as email need update:users and are not emulated', () => {
    expect(refusal({ email: 'a@example.com', blocked: true })).toBe(
      "Payload validation error: 'Additional properties not allowed: email,blocked' (email, blocked: Auth0 lets update:users set these; this emulation edits user_metadata and app_metadata only).",
    );
  });

  it('refuses "." and "$" in field names at any depth', () => {
    expect(refusal({ user_metadata: { prefs: [{ $set: 1 }] } })).toContain('"user_metadata.prefs[0].$set"');
    expect(refusal({ app_metadata: { 'a.b': 1 } })).toContain('"app_metadata.a.b"');
    expect(parseUserPatch({ user_metadata: { color: 'light.blue' } })).toBeDefined();
  });
});

describe('mergeMetadata', () => {
  const current = { displayName: 'Rey', theme: 'dark', prefs: { a: 1, b: 2 } };

  it('merges top-level keys and replaces nested objects whole', () => {
    expect(mergeMetadata(current, { theme: 'light', prefs: { c: 3 } })).toEqual({
      displayName: 'Rey',
      theme: 'light',
      prefs: { c: 3 },
    });
  });

  it('deletes a key set to null', () => {
    expect(mergeMetadata(current, { theme: null, unknown: null })).toEqual({
      displayName: 'Rey',
      prefs: { a: 1, b: 2 },
    });
  });

  it('clears everything for an empty object, as Auth0 does', () => {
    expect(mergeMetadata(current, {})).toEqual({});
  });

  it('leaves the current object unchanged', () => {
    mergeMetadata(current, { theme: null });
    expect(current.theme).toBe('dark');
  });
});

describe('checkMetadataSize', () => {
  it(`allows ${METADATA_MAX_BYTES} bytes of JSON and refuses one more`, () => {
    // {"k":"…"} is 8 bytes around the value.
    const fits = { k: 'x'.repeat(METADATA_MAX_BYTES - 8) };
    expect(() => checkMetadataSize('user_metadata', fits)).not.toThrow();
    expect(() => checkMetadataSize('user_metadata', { k: `${fits.k}x` })).toThrow(
      'Payload validation error: user_metadata would be 16385 bytes of JSON, more than the 16384 allowed',
    );
  });

  it('counts bytes, not characters', () => {
    expect(() => checkMetadataSize('app_metadata', { k: 'é'.repeat(METADATA_MAX_BYTES / 2) })).toThrow(
      /app_metadata would be \d+ bytes/,
    );
  });
});
