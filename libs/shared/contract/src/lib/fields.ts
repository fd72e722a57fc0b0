import { z } from 'zod';
import { shown } from './config-error';

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

/** Empty strings from env files count as unset, so defaults apply. */
export function unsetIfEmpty(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

/** A required string; the messages name the key and show a good value. */
export function requiredString(key: string, example: string) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? `${key} is required: set it, for example ${key}=${example}`
          : `${key} must be a string like ${shown(example)} (got ${shown(issue.input)})`,
    })
    .trim()
    .min(1, { error: `${key} is required: set it, for example ${key}=${example}`, abort: true });
}

/** A required absolute http(s) URL, kept exactly as written. */
export function absoluteUrl(key: string, example: string) {
  return requiredString(key, example).refine(isAbsoluteHttpUrl, {
    error: (issue) => `${key} must be an absolute URL like ${example} (got ${shown(issue.input)})`,
    abort: true,
  });
}

/** An issuer URL: absolute http(s), kept exactly as written, with no query or fragment (tokens never carry one). */
export function issuerUrl(key: string, example: string) {
  return absoluteUrl(key, example).refine((value) => !/[?#]/.test(value), {
    error: (issue) => `${key} must not have a query or fragment, like ${example} (got ${shown(issue.input)})`,
  });
}

/** An origin such as `http://localhost:4200`: scheme, host and port, no path and no trailing slash. */
export function isOrigin(value: string): boolean {
  return isAbsoluteHttpUrl(value) && new URL(value).origin === value;
}

/** A TCP port number, from a string (env) or a number. */
export function port(key: string, fallback: number) {
  return z.preprocess(
    unsetIfEmpty,
    z
      .union([z.number(), z.string()])
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return fallback;
        const n = typeof value === 'number' ? value : Number(value.trim());
        if (!Number.isInteger(n) || n < 1 || n > 65535) {
          ctx.addIssue({
            code: 'custom',
            message: `${key} must be a port number from 1 to 65535, like ${fallback} (got ${shown(value)})`,
          });
          return z.NEVER;
        }
        return n;
      }),
  );
}

/** A whole number of seconds within [min, max], from env. */
export function seconds(key: string, fallback: number, min: number, max: number) {
  return z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return fallback;
        const n = Number(value.trim());
        if (!Number.isInteger(n) || n < min || n > max) {
          ctx.addIssue({
            code: 'custom',
            message: `${key} must be a whole number of seconds from ${min} to ${max}, like ${fallback} (got ${shown(value)})`,
          });
          return z.NEVER;
        }
        return n;
      }),
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
