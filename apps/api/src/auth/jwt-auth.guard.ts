import { Inject, Injectable, Logger, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { API_SETTINGS, type ApiSettings } from '../config/api-settings';
import type { AccessTokenUser } from './access-token-user';
import { decodedPart, presentedTokenOf } from './bearer-token';
import { DpopService } from './dpop.service';
import { JwksKeyProvider } from './jwks-key-provider';
import { PerRoute } from './per-route';
import { IS_PUBLIC_KEY } from './public.decorator';
import { diagnose } from './token-diagnosis';
import { VerifiedTokenCache } from './verified-token-cache';

/** A request on its way through the guards. */
export type GuardedRequest = Request & { user?: AccessTokenUser };

/**
 * The global guard: every route needs a valid access token (JwtStrategy) unless it is @Public(). A token that
 * already passed is served from VerifiedTokenCache while its `exp` and its key last (the key set's max-age refresh
 * runs on those requests too, so a key the issuer withdrew stops serving cached tokens); a failure is explained by
 * the diagnosis as an AuthProblemException (RFC 6750 status and header), never a bare 401 or a 500.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(JwtAuthGuard.name);
  private readonly isPublic: PerRoute<boolean>;

  constructor(
    reflector: Reflector,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    private readonly keys: JwksKeyProvider,
    private readonly verified: VerifiedTokenCache<AccessTokenUser>,
    private readonly dpop: DpopService,
  ) {
    super();
    this.isPublic = new PerRoute(
      (handler, cls) =>
        reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [handler, cls]) === true,
    );
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic.get(context)) return true;

    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const presented = presentedTokenOf(request, this.dpop.acceptedSchemes);
    const token = presented?.token ?? null;
    const hit = token === null ? undefined : this.verified.get(token);
    if (presented !== null && hit !== undefined) {
      // Served from the cache, the token never reaches the key lookup: the max-age refresh must run here too.
      this.keys.refreshIfStale();
      if (this.keys.hasKey(hit.kid)) {
        // The cache stands for the token's verification only: its scheme and DPoP proof are checked every time.
        await this.checkCachedBinding(request, presented.scheme, presented.token, hit.value, context);
        request.user = hit.value;
        return true;
      }
    }
    await super.canActivate(context);
    const { user } = request;
    const kid = token === null ? undefined : decodedPart(token, 0)['kid'];
    if (token !== null && user !== undefined && typeof kid === 'string') {
      this.verified.set(token, {
        value: user,
        kid,
        expiresAtMs: (user.exp + this.settings.clockToleranceSeconds) * 1000,
      });
    }
    return true;
  }

  /** The binding check of a cached token, its failure explained like any other. */
  private async checkCachedBinding(
    request: GuardedRequest,
    scheme: 'bearer' | 'dpop',
    token: string,
    user: AccessTokenUser,
    context: ExecutionContext,
  ): Promise<void> {
    try {
      // A cached user holds jkt for a bound token; an unbound one was cached only after passing as Bearer.
      await this.dpop.checkBinding(request, scheme, token, user.jkt === null ? undefined : { jkt: user.jkt });
    } catch (error) {
      this.handleRequest(error, false, undefined, context);
    }
  }

  /** Receives passport's outcome: the user, or the error to explain. */
  override handleRequest<TUser = AccessTokenUser>(
    error: unknown,
    user: TUser | false,
    info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (error === null && user !== false && user !== undefined && user !== null) return user;
    const problem = diagnose(error ?? info, context.switchToHttp().getRequest<Request>(), {
      settings: this.settings,
      jwks: this.keys.status(),
    });
    if (problem.cause !== undefined) {
      this.logger.warn(
        `unexpected verification error classified as malformed_token: ${String(problem.cause)}`,
      );
    }
    throw problem;
  }
}
