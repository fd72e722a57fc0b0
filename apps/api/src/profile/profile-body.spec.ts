import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { PROFILE_BODY_LIMIT_BYTES, readProfilePatch } from './profile-body';
import { ProfileProblemException } from './profile-problem.exception';

/** A request stream with headers, as Node hands it to the route. */
function requestOf(body: string | Buffer, headers: Record<string, string> = {}): IncomingMessage {
  const chunks = typeof body === 'string' ? [Buffer.from(body)] : [body];
  return Object.assign(Readable.from(chunks), {
    headers: { 'content-type': 'application/json', ...headers },
  }) as unknown as IncomingMessage;
}

async function refusal(request: IncomingMessage): Promise<{ reason: string; detail: string }> {
  try {
    await readProfilePatch(request);
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileProblemException);
    const { reason, detail } = error as ProfileProblemException;
    return { reason, detail };
  }
  throw new Error('expected a ProfileProblemException');
}

describe('readProfilePatch', () => {
  it('reads a valid change, trimming the display name and keeping null (delete)', async () => {
    expect(await readProfilePatch(requestOf('{"displayName":"  Ada ","theme":null}'))).toEqual({
      displayName: 'Ada',
      theme: null,
    });
  });

  it('takes JSON Merge Patch and an explicit UTF-8 charset', async () => {
    const request = requestOf('{"theme":"dark"}', {
      'content-type': 'application/merge-patch+json; charset=UTF-8',
    });
    expect(await readProfilePatch(request)).toEqual({ theme: 'dark' });
  });

  it.each([
    undefined,
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/json; charset=iso-8859-1',
  ])('refuses Content-Type %p with unsupported_media_type', async (type) => {
    const request = requestOf('{}', type === undefined ? {} : { 'content-type': type });
    if (type === undefined) delete request.headers['content-type'];
    expect((await refusal(request)).reason).toBe('unsupported_media_type');
  });

  it('refuses a declared length over the limit before reading anything', async () => {
    const request = requestOf('{}', { 'content-length': String(PROFILE_BODY_LIMIT_BYTES + 1) });
    expect((await refusal(request)).reason).toBe('body_too_large');
    expect(request.readableEnded).toBe(false);
  });

  it('refuses a streamed body once it passes the limit', async () => {
    const big = JSON.stringify({ displayName: 'x'.repeat(PROFILE_BODY_LIMIT_BYTES) });
    expect((await refusal(requestOf(big))).reason).toBe('body_too_large');
  });

  it.each([
    ['', 'The body is empty'],
    ['{"theme":', 'The body is not valid JSON'],
    [Buffer.from([0x7b, 0xff, 0x7d]), 'not valid UTF-8'],
    ['null', 'the body must be a JSON object'],
    ['{"theme":"sepia"}', 'theme: theme must be one of system, light, dark'],
    ['{"displayName":""}', 'displayName: displayName must not be empty'],
    ['{"displayName":42}', 'displayName: '],
    ['{"email":"a@b.c"}', 'unknown field "email": only displayName and theme can change'],
  ])('refuses %p with invalid_profile, saying %p', async (body, detail) => {
    const result = await refusal(requestOf(body));
    expect(result.reason).toBe('invalid_profile');
    expect(result.detail).toContain(detail);
  });
});
