import * as z from 'zod/mini';
import { shown } from './config-error';

// Every schema in the workspace uses zod/mini (`import * as z from 'zod/mini'`): the SPA's bundle needs it (the
// classic API adds about 450 kB, as it cannot be tree-shaken), and one flavour lets these helpers serve every app.

/** True for `http(s)://…` URLs with a host. */
export function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
  } catch {
    return false;
  }
}

/** True for loopback hosts, where plain http is fine. */
export function isLocalHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '127.0.0.1' ||
    hostname === '[::1]' ||
    hostname.endsWith('.localhost')
  );
}

/** An origin such as `http://localhost:4200`: scheme, host and port, no path and no trailing slash. */
export function isOrigin(value: string): boolean {
  return isAbsoluteHttpUrl(value) && new URL(value).origin === value;
}

/**
 * Empty strings from env files count as unset, so defaults apply. Put it in front of an optional field.
 * @example AUTH_JWKS_URI: z.pipe(unsetIfEmpty, z.optional(absoluteUrl('AUTH_JWKS_URI', 'https://…/jwks.json')))
 */
export const unsetIfEmpty = z.transform((value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value,
);

/**
 * A required, trimmed string; the messages name the key and show a good value.
 * @example AUTH_AUDIENCE: requiredString('AUTH_AUDIENCE', 'https://api.example.com')
 */
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

/** Issuer URL with exactly one trailing slash: the base that Auth0 paths are relative to. */
export function issuerBase(issuer: string): string {
  return issuer.endsWith('/') ? issuer : `${issuer}/`;
}

/** The JWKS URL Auth0 publishes for an issuer, correct with or without the trailing slash. */
export function defaultJwksUri(issuer: string): string {
  return new URL('.well-known/jwks.json', issuerBase(issuer)).toString();
}
