import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { API_SETTINGS, type ApiSettings } from '../config/api-settings';
import { toAccessTokenUser, type AccessTokenUser } from './access-token-user';
import { JwksKeyProvider } from './jwks-key-provider';
import { checkRequiredClaims, type InspectedToken, type JwtClaims } from './token-classifier';

/** Where JwtAuthGuard leaves the inspected bearer token for the strategy (it is read from nowhere else). */
export const INSPECTED_TOKEN = Symbol('api.inspected-token');

/** A request on its way through JwtAuthGuard. */
export type GuardedRequest = Request & { [INSPECTED_TOKEN]?: InspectedToken; user?: AccessTokenUser };

/**
 * passport-jwt strategy, built once per process. The token comes from JwtAuthGuard (Authorization header only,
 * already inspected); the key is a cached KeyObject from JwksKeyProvider, so jsonwebtoken parses no PEM per
 * request. jsonwebtoken checks algorithm, signature, nbf, exp, aud and iss; validate() adds what it lacks.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    keys: JwksKeyProvider,
  ) {
    super({
      jwtFromRequest: (request: GuardedRequest) => request[INSPECTED_TOKEN]?.raw ?? null,
      secretOrKeyProvider: (
        request: GuardedRequest,
        _raw: string,
        done: (error: unknown, key?: Buffer) => void,
      ) => {
        const token = request[INSPECTED_TOKEN];
        if (token === undefined) return done(new Error('no inspected token'));
        keys.getKey(token).then(
          // jsonwebtoken 9 takes a KeyObject as is (the typings only list string | Buffer).
          (key) => done(null, key as unknown as Buffer),
          (error: unknown) => done(error),
        );
      },
      algorithms: [...settings.algorithms],
      issuer: settings.issuerUrl,
      audience: settings.audience,
      jsonWebTokenOptions: { clockTolerance: settings.clockToleranceSeconds },
      passReqToCallback: true,
    });
  }

  /** Called by passport-jwt with the verified payload; a rejection here is an AuthProblemException, never a 500. */
  validate(request: GuardedRequest, payload: JwtClaims): AccessTokenUser {
    checkRequiredClaims(payload, this.settings);
    return toAccessTokenUser(payload, request[INSPECTED_TOKEN]?.header.kid ?? '');
  }
}
