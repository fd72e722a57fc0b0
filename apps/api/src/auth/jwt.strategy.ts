import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import type { Secret } from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import { API_SETTINGS, type ApiSettings } from '../config/api-settings';
import { toAccessTokenUser, type AccessTokenUser, type JwtClaims } from './access-token-user';
import { checkJwsHeader, presentedTokenOf, TokenRefusedError } from './bearer-token';
import { DpopService } from './dpop.service';
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
 * The passport-jwt strategy: the token from the Authorization header only (`Bearer`, or `DPoP` as AUTH_DPOP allows);
 * its key from the issuer's JWKS (after the checks that need no key); jsonwebtoken then checks algorithm, signature,
 * nbf, exp, aud and iss, and validate() what jsonwebtoken lets through, then the token's binding to the request's
 * DPoP proof. A failure reaches JwtAuthGuard.handleRequest, which explains it.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    keys: JwksKeyProvider,
    private readonly dpop: DpopService,
  ) {
    const schemes = dpop.acceptedSchemes;
    super({
      jwtFromRequest: (request: Request) => presentedTokenOf(request, schemes)?.token ?? null,
      // validate() reads the request again: the scheme and the DPoP proof are checked after the token verifies.
      passReqToCallback: true,
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
   * `iat` in the future; a lifetime over the cap; no `sub`), then checks the binding: a token with a `cnf` claim is
   * never accepted as a plain Bearer token (RFC 9449 section 7.2), a `DPoP` one must be bound (`cnf.jkt`) and come
   * with a valid proof made with that key for this request.
   * @throws TokenRefusedError naming the failed check, or DpopProofError.
   */
  async validate(request: Request, payload: JwtClaims): Promise<AccessTokenUser> {
    const { exp, iat, sub } = payload;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new TokenRefusedError('exp');
    if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new TokenRefusedError('iat');
    if (iat > Date.now() / 1000 + this.settings.clockToleranceSeconds)
      throw new TokenRefusedError('iat_in_future');
    if (exp - iat > this.settings.maxTokenLifetimeSeconds) throw new TokenRefusedError('lifetime');
    if (typeof sub !== 'string' || sub === '') throw new TokenRefusedError('sub');
    const presented = presentedTokenOf(request, this.dpop.acceptedSchemes);
    // jwtFromRequest found this token, so the header still holds it.
    if (presented === null) throw new TokenRefusedError('payload');
    const jkt = await this.dpop.checkBinding(request, presented.scheme, presented.token, payload.cnf);
    return toAccessTokenUser({ ...payload, exp, iat, sub }, jkt);
  }
}
