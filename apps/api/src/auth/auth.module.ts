import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import type { AccessTokenUser } from './access-token-user';
import { AuthProblemFilter } from './auth-problem.filter';
import { DpopService } from './dpop.service';
import { JwksKeyProvider } from './jwks-key-provider';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { PermissionsGuard } from './permissions.guard';
import { VerifiedTokenCache } from './verified-token-cache';

/** Verified tokens kept per process: enough for the active users of a small API, a few MB at most. */
const VERIFIED_TOKENS = 1_000;

/** Secure by default: the JWT guard then the permissions guard run on every route, in this order. */
@Module({
  imports: [PassportModule],
  providers: [
    JwksKeyProvider,
    JwtStrategy,
    DpopService,
    {
      provide: VerifiedTokenCache,
      useFactory: () => new VerifiedTokenCache<AccessTokenUser>(VERIFIED_TOKENS),
    },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: PermissionsGuard },
    { provide: APP_FILTER, useClass: AuthProblemFilter },
  ],
  exports: [JwksKeyProvider],
})
export class AuthModule {}
