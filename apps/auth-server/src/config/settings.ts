import { resolve } from 'node:path';
import {
  LOCAL_TENANT,
  isLocalHost,
  issuerUrl,
  issuerWarnings,
  parseOrThrow,
  port,
  shown,
  unsetIfEmpty,
  type ConfigWarning,
  type ParsedConfig,
} from '@sample/contract';
import * as z from 'zod/mini';

/** The committed demo tenant, relative to the workspace root (where Nx runs every target). */
export const DEFAULT_TENANT_FILE = 'apps/auth-server/tenant.json';
/** Generated signing keys live here; `.data/` is git-ignored. */
export const DEFAULT_DATA_DIR = 'apps/auth-server/.data';

/** A host name or address with an optional port, as in a `Host` header; the name in lower case. */
export interface HostName {
  readonly hostname: string;
  /** Undefined: any port. */
  readonly port: number | undefined;
}

/** Settings of the local development authorization server, with files resolved to absolute paths. */
export interface ServerSettings {
  /** Public issuer URL; like Auth0's it ends with `/`. Tokens carry it as `iss`. */
  readonly issuer: string;
  /** Interface to listen on: `localhost` by default; beyond loopback only with `allowRemote`. */
  readonly host: string;
  readonly port: number;
  /**
   * AUTH_SERVER_ALLOW_REMOTE: listening beyond loopback is allowed. Then the login page lists no demo users and the
   * committed demo M2M secret is refused.
   */
  readonly allowRemote: boolean;
  /** AUTH_SERVER_ALLOWED_HOSTS: `Host` names accepted besides the issuer's host and loopback (e.g. a compose service). */
  readonly allowedHosts: readonly HostName[];
  /** AUTH_SERVER_M2M_CLIENT_SECRET: replaces the tenant's M2M client secret. */
  readonly m2mClientSecret: string | undefined;
  /** AUTH_SERVER_M2M_CLIENT_SECRET_FILE: a file holding that secret, generated at first start if missing. */
  readonly m2mClientSecretFile: string | undefined;
  /** The tenant definition file. */
  readonly tenantFile: string;
  /** Folder for generated signing keys (git-ignored). */
  readonly dataDir: string;
}

/** An optional string variable; empty counts as unset. */
const optionalString = z.pipe(unsetIfEmpty, z.optional(z.string()));

/** The committed tenant's M2M secret: public in git, so refused wherever others can reach the server. */
export const DEMO_M2M_CLIENT_SECRET = 'demo-m2m-secret-not-a-real-secret';
/** Shortest M2M client secret accepted, as in the tenant schema. */
const MIN_SECRET_LENGTH = 16;

const HOST_NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/i;

/**
 * Parses `name`, `name:port`, `127.0.0.1:4000` or `[::1]:4000` (a `Host` header or a setting's entry).
 * @returns undefined when it is not one (a path, a scheme, user info, a bad port).
 */
export function parseHostName(value: string): HostName | undefined {
  const match = HOST_NAME.exec(value.trim());
  if (!match?.[1]) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { hostname: match[1].toLowerCase(), port };
}

/** Loopback names and addresses: a server listening there is reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase();
  return (
    name === 'localhost' ||
    name === '::1' ||
    name === '[::1]' ||
    /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(name)
  );
}

/** `true` or `false`; unset or empty is `false`. */
function flag(key: string) {
  return z.pipe(
    unsetIfEmpty,
    z.pipe(
      z.optional(z.string()),
      z.transform((value, ctx): boolean => {
        const normalized = value?.trim().toLowerCase();
        if (normalized === undefined || normalized === 'false') return false;
        if (normalized === 'true') return true;
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: `${key} must be true or false (got ${shown(value)})`,
        });
        return z.NEVER;
      }),
    ),
  );
}

/** A comma-separated list of `name` or `name:port` entries. */
function hostList(key: string) {
  return z.pipe(
    unsetIfEmpty,
    z.pipe(
      z.optional(z.string()),
      z.transform((value, ctx): HostName[] => {
        const entries = (value ?? '')
          .split(',')
          .map((entry) => entry.trim())
          .filter((entry) => entry !== '');
        const bad = entries.filter((entry) => parseHostName(entry) === undefined);
        if (bad.length > 0) {
          ctx.issues.push({
            code: 'custom',
            input: value,
            message: `${key} must list host names with an optional port, separated by commas, like auth-server:4000 (got ${bad.map((entry) => shown(entry)).join(', ')})`,
          });
          return z.NEVER;
        }
        return entries.flatMap((entry) => parseHostName(entry) ?? []);
      }),
    ),
  );
}

const m2mSecret = z.pipe(
  unsetIfEmpty,
  z.optional(
    z.string().check(
      z.minLength(MIN_SECRET_LENGTH, {
        error: `AUTH_SERVER_M2M_CLIENT_SECRET must be at least ${MIN_SECRET_LENGTH} characters long, e.g. from: openssl rand -base64 32`,
      }),
    ),
  ),
);

interface ExposureEnv {
  readonly AUTH_SERVER_HOST?: string | undefined;
  readonly AUTH_SERVER_ALLOW_REMOTE: boolean;
  readonly AUTH_SERVER_M2M_CLIENT_SECRET?: string | undefined;
}

/** Beyond loopback only with the explicit opt-in; and then never with the committed demo secret. */
function checkExposure(env: ExposureEnv, ctx: z.core.$RefinementCtx<ExposureEnv>): void {
  const host = env.AUTH_SERVER_HOST ?? 'localhost';
  if (!env.AUTH_SERVER_ALLOW_REMOTE && !isLoopback(host)) {
    ctx.addIssue({
      code: 'custom',
      input: host,
      path: ['AUTH_SERVER_HOST'],
      message: `AUTH_SERVER_HOST ${shown(host)} listens beyond loopback, where others can reach this development server: use localhost, or set AUTH_SERVER_ALLOW_REMOTE=true to allow it (then the login page lists no demo users and the demo M2M secret is refused)`,
    });
  }
  if (env.AUTH_SERVER_ALLOW_REMOTE && env.AUTH_SERVER_M2M_CLIENT_SECRET === DEMO_M2M_CLIENT_SECRET) {
    ctx.addIssue({
      code: 'custom',
      input: env.AUTH_SERVER_M2M_CLIENT_SECRET,
      path: ['AUTH_SERVER_M2M_CLIENT_SECRET'],
      message: `AUTH_SERVER_M2M_CLIENT_SECRET is the demo secret committed in git, refused with AUTH_SERVER_ALLOW_REMOTE=true: set a secret of your own, e.g. from: openssl rand -base64 32`,
    });
  }
}

function envSchema(cwd: string) {
  return z.pipe(
    z
      .object({
        AUTH_SERVER_ISSUER: z.pipe(
          unsetIfEmpty,
          z.optional(
            issuerUrl('AUTH_SERVER_ISSUER', LOCAL_TENANT.issuer).check(
              z.refine((issuer: string) => issuer.endsWith('/'), {
                error: (issue) =>
                  `AUTH_SERVER_ISSUER must end with "/" like an Auth0 issuer, e.g. ${LOCAL_TENANT.issuer} (got ${shown(issue.input)})`,
              }),
            ),
          ),
        ),
        AUTH_SERVER_PORT: port('AUTH_SERVER_PORT', 4000),
        AUTH_SERVER_HOST: optionalString,
        AUTH_SERVER_ALLOW_REMOTE: flag('AUTH_SERVER_ALLOW_REMOTE'),
        AUTH_SERVER_ALLOWED_HOSTS: hostList('AUTH_SERVER_ALLOWED_HOSTS'),
        AUTH_SERVER_M2M_CLIENT_SECRET: m2mSecret,
        AUTH_SERVER_M2M_CLIENT_SECRET_FILE: optionalString,
        AUTH_SERVER_TENANT_FILE: optionalString,
        AUTH_SERVER_DATA_DIR: optionalString,
      })
      .check(z.superRefine(checkExposure)),
    z.transform((env): ServerSettings => ({
      // Follows the port, so AUTH_SERVER_PORT alone still gives a discovery document whose URLs all match.
      issuer: env.AUTH_SERVER_ISSUER ?? `http://localhost:${env.AUTH_SERVER_PORT}/`,
      host: env.AUTH_SERVER_HOST ?? 'localhost',
      port: env.AUTH_SERVER_PORT,
      allowRemote: env.AUTH_SERVER_ALLOW_REMOTE,
      allowedHosts: env.AUTH_SERVER_ALLOWED_HOSTS,
      m2mClientSecret: env.AUTH_SERVER_M2M_CLIENT_SECRET,
      m2mClientSecretFile:
        env.AUTH_SERVER_M2M_CLIENT_SECRET_FILE === undefined
          ? undefined
          : resolve(cwd, env.AUTH_SERVER_M2M_CLIENT_SECRET_FILE),
      tenantFile: resolve(cwd, env.AUTH_SERVER_TENANT_FILE ?? DEFAULT_TENANT_FILE),
      dataDir: resolve(cwd, env.AUTH_SERVER_DATA_DIR ?? DEFAULT_DATA_DIR),
    })),
  );
}

/** Hosts that listen on every interface: then the issuer's port may differ (a container's published port). */
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Reads the auth server's settings from environment variables; every one has a local default (the issuer follows
 * the port). Warns when a local issuer names another port than the one the server listens on.
 * @param cwd Relative file paths resolve against it: the workspace root under `nx serve`.
 * @throws ConfigError listing every bad variable.
 * @example const { config: settings, warnings } = parseSettings(process.env);
 */
export function parseSettings(
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): ParsedConfig<ServerSettings> {
  const config = parseOrThrow(envSchema(cwd), env, 'Auth server environment');
  const warnings: ConfigWarning[] = [...issuerWarnings('AUTH_SERVER_ISSUER', config.issuer)];
  const issuer = new URL(config.issuer);
  const issuerPort = Number(issuer.port || (issuer.protocol === 'https:' ? 443 : 80));
  if (isLocalHost(issuer.hostname) && !ALL_INTERFACES.has(config.host) && issuerPort !== config.port) {
    warnings.push({
      key: 'AUTH_SERVER_ISSUER',
      message: `AUTH_SERVER_ISSUER ${shown(config.issuer)} names port ${issuerPort}, but the server listens on ${config.port}: browsers and APIs will not reach the issuer. Set AUTH_SERVER_ISSUER=http://localhost:${config.port}/ or unset it.`,
    });
  }
  return { config, warnings };
}
