import { Inject, Injectable, Logger, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { API_SETTINGS, type ApiSettings } from '../config/api-settings';
import type { AccessTokenUser } from './access-token-user';
import { AuthProblemException } from './auth-problem.exception';
import { JwksKeyProvider } from './jwks-key-provider';
import { INSPECTED_TOKEN, type GuardedRequest } from './jwt.strategy';
import { IS_PUBLIC_KEY } from './public.decorator';
import { classifyVerifyError, inspectToken, readBearerToken } from './token-classifier';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * The global guard: every route needs a valid access token unless it is @Public(). Cheap, exact checks
 * (header, shape, algorithm, kid) run before passport-jwt; its errors are classified after it; a token already
 * verified is served from VerifiedTokenCache while its exp and its key last. Every rejection is an
 * AuthProblemException (RFC 6750 status and header), never a bare 401 or a 500.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(JwtAuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    private readonly keys: JwksKeyProvider,
    private readonly verified: VerifiedTokenCache<AccessTokenUser>,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic === true) return true;

    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const raw = readBearerToken(request.rawHeaders, request.url);

    const hit = this.verified.get(raw);
    if (hit !== undefined && this.keys.hasKey(hit.kid)) {
      request.user = hit.value;
      return true;
    }

    const token = inspectToken(raw, this.settings);
    request[INSPECTED_TOKEN] = token;
    try {
      await super.canActivate(context);
    } catch (error) {
      throw this.asProblem(error, request);
    }
    const user = request.user;
    if (user !== undefined) {
      this.verified.set(raw, {
        value: user,
        kid: user.kid,
        expiresAtMs: (user.exp + this.settings.clockToleranceSeconds) * 1000,
      });
    }
    return true;
  }

  /** Receives passport's outcome: the user, or the error / failure info to classify. */
  override handleRequest<TUser = AccessTokenUser>(
    error: unknown,
    user: unknown,
    info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (error === null && user !== false && user !== undefined && user !== null) return user as TUser;
    throw this.asProblem(error ?? info, context.switchToHttp().getRequest<GuardedRequest>());
  }

  private asProblem(error: unknown, request: GuardedRequest): AuthProblemException {
    if (error instanceof AuthProblemException) return error;
    const problem = classifyVerifyError(error, request[INSPECTED_TOKEN], this.settings);
    if (
      problem.reason === 'malformed_token' &&
      !(error instanceof Error && error.name === 'JsonWebTokenError')
    ) {
      this.logger.warn(`unexpected verification error classified as malformed_token: ${String(error)}`);
    }
    return problem;
  }
}
