import { Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TokenExpiredError } from 'jsonwebtoken';
import { ManualClock } from '../../test/support/clock';
import { HttpContext } from '../../test/support/execution-context';
import { parseApiSettings } from '../config/api-settings';
import { toAccessTokenUser, type AccessTokenUser } from './access-token-user';
import { AuthProblemException } from './auth-problem.exception';
import { JwksKeyProvider } from './jwks-key-provider';
import { DpopService } from './dpop.service';
import { JwtAuthGuard } from './jwt-auth.guard';
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
  AUTH_ISSUER_URL: 'http://127.0.0.1:9/',
  AUTH_AUDIENCE: 'https://api.sample.local',
}).config;
const user = toAccessTokenUser({ sub: 's', iss: settings.issuerUrl, aud: settings.audience, iat: 1, exp: 2 });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token the cache can hold: only its header (kid k1) is ever read. */
const TOKEN = `${b64({ alg: 'RS256', kid: 'k1' })}.${b64({ sub: 's' })}.c2ln`;

const contextFor = (handler: 'open' | 'guarded', rawHeaders: string[]) =>
  new HttpContext(Routes, Routes.prototype[handler], { rawHeaders, url: '/x', headers: {} });

describe('JwtAuthGuard', () => {
  // The guard logs through Nest's Logger; keep the test output clean.
  beforeAll(() => Logger.overrideLogger(false));

  let cache: VerifiedTokenCache<AccessTokenUser>;
  let keys: JwksKeyProvider;
  let guard: JwtAuthGuard;

  afterEach(() => jest.restoreAllMocks());

  beforeEach(() => {
    cache = new VerifiedTokenCache<AccessTokenUser>(10);
    // Nothing listens at the JWKS URI: the key set stays empty unless a test says otherwise.
    keys = new JwksKeyProvider(settings, new ManualClock().now);
    guard = new JwtAuthGuard(new Reflector(), settings, keys, cache, new DpopService(settings, Date.now));
  });

  describe('canActivate', () => {
    it('lets a @Public() route through without looking at the headers', async () => {
      await expect(guard.canActivate(contextFor('open', ['Authorization', 'garbage garbage']))).resolves.toBe(
        true,
      );
    });

    it('serves an already verified token from the cache while its key is in the JWKS', async () => {
      jest.spyOn(keys, 'hasKey').mockImplementation((kid) => kid === 'k1');
      cache.set(TOKEN, { value: user, kid: 'k1', expiresAtMs: Number.MAX_SAFE_INTEGER });
      const context = contextFor('guarded', ['Authorization', `Bearer ${TOKEN}`]);
      await expect(guard.canActivate(context)).resolves.toBe(true);
      expect(context.request['user']).toBe(user);
    });

    it('still checks the binding of a cached DPoP-bound token: without a proof it is refused', async () => {
      jest.spyOn(keys, 'hasKey').mockReturnValue(true);
      const bound = { ...user, jkt: 'thumbprint-of-the-device-key' };
      cache.set(TOKEN, { value: bound, kid: 'k1', expiresAtMs: Number.MAX_SAFE_INTEGER });
      const dpop = contextFor('guarded', ['Authorization', `DPoP ${TOKEN}`]);
      await expect(guard.canActivate(dpop)).rejects.toMatchObject({ reason: 'dpop_proof_missing' });
      const bearer = contextFor('guarded', ['Authorization', `Bearer ${TOKEN}`]);
      await expect(guard.canActivate(bearer)).rejects.toMatchObject({ reason: 'key_bound_token' });
      expect(dpop.request['user']).toBeUndefined();
      expect(bearer.request['user']).toBeUndefined();
    });

    it('runs the key set max-age refresh when it serves a token from the cache', async () => {
      jest.spyOn(keys, 'hasKey').mockReturnValue(true);
      const refreshIfStale = jest.spyOn(keys, 'refreshIfStale');
      cache.set(TOKEN, { value: user, kid: 'k1', expiresAtMs: Number.MAX_SAFE_INTEGER });
      await guard.canActivate(contextFor('guarded', ['Authorization', `Bearer ${TOKEN}`]));
      expect(refreshIfStale).toHaveBeenCalledTimes(1);
    });

    it('does not serve it once the key left the JWKS: the token goes through passport again', async () => {
      cache.set(TOKEN, { value: user, kid: 'k1', expiresAtMs: Number.MAX_SAFE_INTEGER });
      const context = contextFor('guarded', ['Authorization', `Bearer ${TOKEN}`]);
      // No strategy is registered in this unit test: reaching passport is what fails.
      await expect(guard.canActivate(context)).rejects.toThrow('Unknown authentication strategy "jwt"');
      expect(context.request['user']).toBeUndefined();
    });
  });

  describe('handleRequest', () => {
    it('returns the user passport validated', () => {
      expect(guard.handleRequest(null, user, undefined, contextFor('guarded', []))).toBe(user);
    });

    it('turns a passport failure into the exact reason, not a bare 401', () => {
      const context = contextFor('guarded', ['Authorization', `Bearer ${TOKEN}`]);
      const failure = new TokenExpiredError('jwt expired', new Date(10_000));
      expect(() => guard.handleRequest(null, false, failure, context)).toThrow(
        expect.objectContaining({ reason: 'token_expired' }) as AuthProblemException,
      );
    });

    it('answers a request without a token with missing_token', () => {
      expect(() =>
        guard.handleRequest(null, false, new Error('No auth token'), contextFor('guarded', [])),
      ).toThrow(expect.objectContaining({ reason: 'missing_token' }) as AuthProblemException);
    });

    it('turns an unexpected error into a 401 and logs it as a warning, never a 500', () => {
      const warn = jest.spyOn(Logger.prototype, 'warn');
      let caught: unknown;
      try {
        guard.handleRequest(
          new Error('boom'),
          false,
          undefined,
          contextFor('guarded', ['Authorization', `Bearer ${TOKEN}`]),
        );
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AuthProblemException);
      expect((caught as AuthProblemException).getStatus()).toBe(401);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('unexpected verification error'));
    });
  });
});
