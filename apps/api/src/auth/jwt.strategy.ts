import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Secret } from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import { API_SETTINGS, type ApiSettings } from '../config/api-settings';
import { toAccessTokenUser, type AccessTokenUser, type JwtClaims } from './access-token-user';
import { bearerTokenFrom, checkJwsHeader, TokenRefusedError } from './bearer-token';
import { JwksKeyProvider } from './jwks-key-provider';

/**
 * passport-jwt's `done` as jsonwebtoken.verify (which it calls with the key unchanged) really takes it: a `Secret`,
 * KeyObject included, so no PEM is parsed per request. @types/passport-jwt 4.0.1 lists string | Buffer only; a
 * method's parameters are compared both ways, so its `done` fits here without a cast.
 */
interface KeyCallback {
  done(error: unknown, key?: Secret): void;
}

/**
 * The passport-jwt strategy: the token from the Authorization header only; its key from the issuer's JWKS (after
 * the checks that need no key); jsonwebtoken then checks algorithm, signature, nbf, exp, aud and iss, and
 * validate() what jsonwebtoken lets through. A failure reaches JwtAuthGuard.handleRequest, which explains it.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    keys: JwksKeyProvider,
  ) {
    super({
      jwtFromRequest: bearerTokenFrom,
      secretOrKeyProvider: (_request: unknown, token: string, done) => {
        const callback: KeyCallback = { done };
        try {
          const { kid, alg } = checkJwsHeader(token, settings.algorithms);
          keys.getKey(kid, alg).then(
            (key) => callback.done(null, key),
            (error: unknown) => callback.done(error),
          );
        } catch (error) {
          callback.done(error);
        }
      },
      algorithms: [...settings.algorithms],
      issuer: settings.issuerUrl,
      audience: settings.audience,
      jsonWebTokenOptions: { clockTolerance: settings.clockToleranceSeconds },
    });
  }

  /**
   * Called with the verified payload: refuses what jsonwebtoken accepts (no numeric `exp`: valid forever; no `iat`;
   * `iat` in the future; a lifetime over the cap; no `sub`; a `cnf` claim: a token bound to a key, such as DPoP's,
   * is never accepted as a plain Bearer token, RFC 9449 section 7.2).
   * @throws TokenRefusedError naming the failed check.
   */
  validate(payload: JwtClaims): AccessTokenUser {
    const { exp, iat, sub } = payload;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new TokenRefusedError('exp');
    if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new TokenRefusedError('iat');
    if (iat > Date.now() / 1000 + this.settings.clockToleranceSeconds)
      throw new TokenRefusedError('iat_in_future');
    if (exp - iat > this.settings.maxTokenLifetimeSeconds) throw new TokenRefusedError('lifetime');
    if (typeof sub !== 'string' || sub === '') throw new TokenRefusedError('sub');
    if (payload.cnf !== undefined) throw new TokenRefusedError('cnf');
    return toAccessTokenUser({ ...payload, exp, iat, sub });
  }
}
