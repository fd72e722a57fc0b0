import { Logger, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TokenExpiredError } from 'jsonwebtoken';
import { parseApiSettings } from '../config/api-settings';
import { toAccessTokenUser, type AccessTokenUser } from './access-token-user';
import { AuthProblemException } from './auth-problem.exception';
import type { JwksKeyProvider } from './jwks-key-provider';
import { JwtAuthGuard } from './jwt-auth.guard';
import { INSPECTED_TOKEN } from './jwt.strategy';
import { Public } from './public.decorator';
import { VerifiedTokenCache } from './verified-token-cache';

class Routes {
  @Public()
  open(): string {
    return 'open';
  }

  guarded(): string {
    return 'guarded';
  }
}

const settings = parseApiSettings({
  AUTH_ISSUER_URL: 'http://localhost:4000/',
  AUTH_AUDIENCE: 'https://api.sample.local',
}).config;
const user = toAccessTokenUser(
  { sub: 's', iss: settings.issuerUrl, aud: settings.audience, iat: 1, exp: 2 },
  'k1',
);

function contextFor(
  handler: keyof Routes,
  rawHeaders: string[],
): { context: ExecutionContext; request: Record<PropertyKey, unknown> } {
  const request: Record<PropertyKey, unknown> = { rawHeaders, url: '/x', headers: {} };
  const context = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
  return { context, request };
}

describe('JwtAuthGuard', () => {
  // The provider and the guard log through Nest's Logger; keep the test output clean.
  beforeAll(() => Logger.overrideLogger(false));

  let cache: VerifiedTokenCache<AccessTokenUser>;
  let knownKids: Set<string>;
  let guard: JwtAuthGuard;

  beforeEach(() => {
    cache = new VerifiedTokenCache<AccessTokenUser>(10);
    knownKids = new Set(['k1']);
    const keys = { hasKey: (kid: string) => knownKids.has(kid) } as unknown as JwksKeyProvider;
    guard = new JwtAuthGuard(new Reflector(), settings, keys, cache);
  });

  describe('canActivate', () => {
    it('lets a @Public() route through without looking at the headers', async () => {
      await expect(
        guard.canActivate(contextFor('open', ['Authorization', 'garbage garbage']).context),
      ).resolves.toBe(true);
    });

    it('rejects a guarded route without a token as missing_token', async () => {
      await expect(guard.canActivate(contextFor('guarded', []).context)).rejects.toMatchObject({
        reason: 'missing_token',
      });
    });

    it('rejects a malformed header before passport runs', async () => {
      await expect(
        guard.canActivate(contextFor('guarded', ['Authorization', 'Bearer a b']).context),
      ).rejects.toMatchObject({
        reason: 'malformed_authorization_header',
      });
    });

    it('serves an already verified token from the cache while its key is known', async () => {
      cache.set('aaa.bbb.ccc', { value: user, kid: 'k1', expiresAtMs: Number.MAX_SAFE_INTEGER });
      const { context, request } = contextFor('guarded', ['Authorization', 'Bearer aaa.bbb.ccc']);
      await expect(guard.canActivate(context)).resolves.toBe(true);
      expect(request['user']).toBe(user);
    });

    it('verifies again once the key left the JWKS', async () => {
      cache.set('aaa.bbb.ccc', { value: user, kid: 'k1', expiresAtMs: Number.MAX_SAFE_INTEGER });
      knownKids.clear();
      // Not a real JWT: inspection now runs and rejects it.
      await expect(
        guard.canActivate(contextFor('guarded', ['Authorization', 'Bearer aaa.bbb.ccc']).context),
      ).rejects.toMatchObject({
        reason: 'malformed_token',
      });
    });
  });

  describe('handleRequest', () => {
    it('returns the user passport validated', () => {
      expect(guard.handleRequest(null, user, undefined, contextFor('guarded', []).context)).toBe(user);
    });

    it('turns a passport failure into the exact reason, not a bare 401', () => {
      const { context, request } = contextFor('guarded', []);
      request[INSPECTED_TOKEN] = { raw: 'x', header: { alg: 'RS256', kid: 'k1' }, claims: { exp: 10 } };
      let caught: unknown;
      try {
        guard.handleRequest(null, false, new TokenExpiredError('jwt expired', new Date(10_000)), context);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AuthProblemException);
      expect((caught as AuthProblemException).reason).toBe('token_expired');
    });

    it('turns a plain Error thrown in validate() into a 401, not a 500', () => {
      let caught: unknown;
      try {
        guard.handleRequest(new Error('boom'), false, undefined, contextFor('guarded', []).context);
      } catch (error) {
        caught = error;
      }
      expect((caught as AuthProblemException).getStatus()).toBe(401);
    });
  });
});
