import * as z from 'zod/mini';

/** One bad setting: the key it concerns and a message that names the bad value and the fix. */
export interface ConfigIssue {
  readonly key: string;
  readonly message: string;
}

/** A likely mistake that still lets the app start (the classic Auth0 401/403 causes). */
export interface ConfigWarning {
  readonly key: string;
  readonly message: string;
}

/** What every parse function returns: the typed config and the warnings to print. */
export interface ParsedConfig<T> {
  readonly config: T;
  readonly warnings: readonly ConfigWarning[];
}

/**
 * Thrown by every parse function, listing every bad setting at once, not the first only.
 * Apps print `error.message` (no stack trace) and exit.
 */
export class ConfigError extends Error {
  constructor(
    /** What was being read, e.g. `API environment` or `/config.json`. */
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      `${source} is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((issue) => `  - ${issue.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Quotes a received value for a message, the way the user wrote it. */
export function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * Runs a settings schema and turns its issues into one ConfigError (the schema writes the messages).
 * @param source What is being read, for the error title, e.g. `API environment`.
 * @example const config = parseOrThrow(apiEnvSchema, process.env, 'API environment');
 */
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
