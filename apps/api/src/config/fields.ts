import * as z from 'zod/mini';
import { ConfigError } from '@sample/contract';

// The zod/mini field helpers, with the names and messages of @sample/contract's (the contract's own helpers are
// being rewritten to zod/mini on another branch): once it exports them, import them from there and delete this file.

/** Quotes a received value for a message, the way the user wrote it. */
export function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Empty strings from env files count as unset, so defaults apply. Put it in front of an optional field. */
export const unsetIfEmpty = z.transform((value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value,
);

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
  } catch {
    return false;
  }
}

/** A required, trimmed string; the messages name the key and show a good value. */
export function requiredString(key: string, example: string) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? `${key} is required: set it, for example ${key}=${example}`
          : `${key} must be a string like ${shown(example)} (got ${shown(issue.input)})`,
    })
    .check(
      z.trim(),
      z.minLength(1, { error: `${key} is required: set it, for example ${key}=${example}`, abort: true }),
    );
}

/** A required absolute http(s) URL, kept exactly as written. */
export function absoluteUrl(key: string, example: string) {
  return requiredString(key, example).check(
    z.refine(isAbsoluteHttpUrl, {
      error: (issue) => `${key} must be an absolute URL like ${example} (got ${shown(issue.input)})`,
      abort: true,
    }),
  );
}

/** An issuer URL: absolute http(s), kept exactly as written, with no query or fragment (tokens never carry one). */
export function issuerUrl(key: string, example: string) {
  return absoluteUrl(key, example).check(
    z.refine((value: string) => !/[?#]/.test(value), {
      error: (issue) =>
        `${key} must not have a query or fragment, like ${example} (got ${shown(issue.input)})`,
    }),
  );
}

/** A whole number within [min, max], from a string (env) or a number; `fallback` when unset or empty. */
export function wholeNumber(fallback: number, min: number, max: number, message: (got: string) => string) {
  return z.pipe(
    unsetIfEmpty,
    z.pipe(
      z.optional(z.union([z.number(), z.string()])),
      z.transform((value, ctx): number => {
        if (value === undefined) return fallback;
        const n = typeof value === 'number' ? value : Number(value.trim());
        if (!Number.isInteger(n) || n < min || n > max) {
          ctx.issues.push({ code: 'custom', input: value, message: message(shown(value)) });
          return z.NEVER;
        }
        return n;
      }),
    ),
  );
}

/** A TCP port number, from a string (env) or a number. */
export function port(key: string, fallback: number) {
  return wholeNumber(
    fallback,
    1,
    65535,
    (got) => `${key} must be a port number from 1 to 65535, like ${fallback} (got ${got})`,
  );
}

/** A whole number of seconds within [min, max], from env. */
export function seconds(key: string, fallback: number, min: number, max: number) {
  return wholeNumber(
    fallback,
    min,
    max,
    (got) => `${key} must be a whole number of seconds from ${min} to ${max}, like ${fallback} (got ${got})`,
  );
}

/** Runs a settings schema and turns its issues into one ConfigError (the schema writes the messages). */
export function parseOrThrow<S extends z.ZodMiniType>(
  schema: S,
  input: unknown,
  source: string,
): z.output<S> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  throw new ConfigError(
    source,
    result.error.issues.map((issue) => ({ key: issue.path.join('.'), message: issue.message })),
  );
}
