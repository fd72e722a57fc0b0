import type { IncomingMessage } from 'node:http';
import * as z from 'zod/mini';
import { profilePatchSchema, type ProfilePatch } from '@sample/contract';
import { ProfileProblemException } from './profile-problem.exception';

/** Largest PATCH /api/me/profile body read, in bytes: a profile change is a few dozen. */
export const PROFILE_BODY_LIMIT_BYTES = 2048;

/** Media types of a ProfilePatch: JSON, or JSON Merge Patch (RFC 7396), which it is. */
const JSON_TYPES = new Set(['application/json', 'application/merge-patch+json']);

/** The media type and charset of a Content-Type header, lower case. */
function mediaType(header: string | undefined): { type: string; charset: string | undefined } {
  const [type = '', ...params] = (header ?? '').split(';');
  const charset = params
    .map((param) => param.trim().toLowerCase())
    .find((param) => param.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"|"$/g, '');
  return { type: type.trim().toLowerCase(), charset };
}

/** Reads at most `limit` bytes of the request body; more is a 413 (the rest is left for Node to discard). */
async function readLimited(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  const tooLarge = () =>
    new ProfileProblemException(
      'body_too_large',
      `The body is over ${limit} bytes; a profile change is a small JSON object such as {"theme":"dark"}.`,
    );
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** "displayName: must be at most 60 characters"-style lines, one per schema issue. */
function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}: only displayName and theme can change`;
      }
      const field = issue.path.map(String).join('.');
      return field === ''
        ? `the body must be a JSON object (${issue.message})`
        : `${field}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Reads and validates the body of PATCH /api/me/profile (the app has no global body parser: this route alone reads
 * one, after the guards accepted the token).
 * @throws ProfileProblemException unsupported_media_type (not JSON), body_too_large (over
 *   PROFILE_BODY_LIMIT_BYTES), invalid_profile (not UTF-8, not JSON, or not a ProfilePatch: the detail names the
 *   field and the rule).
 */
export async function readProfilePatch(
  request: IncomingMessage,
  limit = PROFILE_BODY_LIMIT_BYTES,
): Promise<ProfilePatch> {
  const { type, charset } = mediaType(request.headers['content-type']);
  if (!JSON_TYPES.has(type) || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new ProfileProblemException(
      'unsupported_media_type',
      `Send the profile change as Content-Type: application/json (UTF-8), not ${JSON.stringify(request.headers['content-type'] ?? '(none)')}.`,
    );
  }
  const bytes = await readLimited(request, limit);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    // TextDecoder is Node's own: its TypeError may come from another realm than this code's (Jest's vm context).
    if ((error as { name?: unknown }).name !== 'TypeError') throw error;
    throw new ProfileProblemException('invalid_profile', 'The body is not valid UTF-8.');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new ProfileProblemException(
      'invalid_profile',
      text.trim() === ''
        ? 'The body is empty: send a JSON object such as {"theme":"dark"}.'
        : 'The body is not valid JSON: send a JSON object such as {"theme":"dark"}.',
    );
  }
  const result = z.safeParse(profilePatchSchema, body);
  if (!result.success) throw new ProfileProblemException('invalid_profile', describeIssues(result.error));
  return result.data;
}
