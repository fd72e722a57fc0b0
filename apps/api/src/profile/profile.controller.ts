import { applyDecorators, Controller, Get, Header, HttpCode, Patch, Req, UseFilters } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiGatewayTimeoutResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { DISPLAY_NAME_MAX_LENGTH, Permission, THEMES, type ProfileView } from '@sample/contract';
import type { IncomingMessage } from 'node:http';
import { AccessToken } from '../auth/access-token.decorator';
import { problemContent } from '../auth/openapi-access';
import type { AccessTokenUser } from '../auth/access-token-user';
import { RequirePermissions } from '../auth/permissions.decorator';
import { ManagementApiService } from './management-api.service';
import { PROFILE_BODY_LIMIT_BYTES, readProfilePatch } from './profile-body';
import { PROFILE_REASON_CODES, ProfileProblemException } from './profile-problem.exception';
import { ProfileProblemFilter } from './profile-problem.filter';
import { toProfileView, toUserMetadataChange } from './profile-view';

/** A profile failure in OpenAPI: `application/problem+json` with one of the profile reasons. */
const PROFILE_PROBLEM = problemContent(PROFILE_REASON_CODES);

const PROFILE_VIEW = {
  'application/json': {
    schema: {
      type: 'object',
      required: ['userId', 'displayName', 'theme'],
      properties: {
        userId: { type: 'string', description: "The Management API user id: the token's sub." },
        displayName: { type: 'string', nullable: true, maxLength: DISPLAY_NAME_MAX_LENGTH },
        theme: { type: 'string', nullable: true, enum: [...THEMES] },
      },
    },
  },
};

/** The answers the Management API round trip can add to a route's 200. */
function ManagementResponses() {
  return applyDecorators(
    ApiNotFoundResponse({
      description: "The tenant has no user with the token's sub (reason profile_not_found).",
      content: PROFILE_PROBLEM,
    }),
    ApiBadGatewayResponse({
      description:
        "The tenant refused this API's Management API client (management_rejected), or the Management API failed (management_unavailable).",
      content: PROFILE_PROBLEM,
    }),
    ApiServiceUnavailableResponse({
      description:
        'MANAGEMENT_CLIENT_ID is not set (management_not_configured), or the Management API rate limit was reached (management_rate_limited, with Retry-After).',
      content: PROFILE_PROBLEM,
    }),
    ApiGatewayTimeoutResponse({
      description: 'The Management API did not answer within MANAGEMENT_TIMEOUT_MS (management_timeout).',
      content: PROFILE_PROBLEM,
    }),
  );
}

/**
 * The caller's own profile (their `user_metadata`), read and changed through the Auth0 Management API with this
 * API's client credentials: the SPA's token never needs Management API scopes.
 */
@ApiTags('profile')
@Controller('api/me/profile')
@UseFilters(ProfileProblemFilter)
export class ProfileController {
  constructor(private readonly management: ManagementApiService) {}

  @Get()
  @RequirePermissions(Permission.EditProfile)
  // One user's data: no shared cache may keep it.
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Your profile',
    description: "displayName and theme from the user_metadata of the token's user (sub).",
  })
  @ApiOkResponse({ content: PROFILE_VIEW })
  @ManagementResponses()
  async loadProfile(@AccessToken() user: AccessTokenUser): Promise<ProfileView> {
    const userId = this.userIdOf(user);
    return toProfileView(await this.management.getUser(userId), userId);
  }

  @Patch()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @RequirePermissions(Permission.EditProfile)
  @ApiOperation({
    summary: 'Change your profile',
    description:
      "Only the keys sent change; null deletes one. The change is merged into user_metadata of the token's user.",
  })
  @ApiBody({
    required: true,
    description: `A JSON object of at most ${PROFILE_BODY_LIMIT_BYTES} bytes; no other keys.`,
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        displayName: { type: 'string', nullable: true, minLength: 1, maxLength: DISPLAY_NAME_MAX_LENGTH },
        theme: { type: 'string', nullable: true, enum: [...THEMES] },
      },
    },
  })
  @ApiConsumes('application/json', 'application/merge-patch+json')
  @ApiOkResponse({ description: 'The profile after the change.', content: PROFILE_VIEW })
  @ApiBadRequestResponse({
    description:
      'Not JSON, or not a valid change (invalid_profile: the detail names the field and the rule).',
    content: PROFILE_PROBLEM,
  })
  @ApiPayloadTooLargeResponse({
    description: `A body over ${PROFILE_BODY_LIMIT_BYTES} bytes (body_too_large).`,
    content: PROFILE_PROBLEM,
  })
  @ApiUnsupportedMediaTypeResponse({
    description: 'A body that is not application/json (unsupported_media_type).',
    content: PROFILE_PROBLEM,
  })
  @ManagementResponses()
  async updateProfile(
    @AccessToken() user: AccessTokenUser,
    @Req() request: IncomingMessage,
  ): Promise<ProfileView> {
    const userId = this.userIdOf(user);
    const change = toUserMetadataChange(await readProfilePatch(request));
    // Nothing to change: answer the profile as it is, without a write.
    const updated =
      Object.keys(change).length === 0
        ? await this.management.getUser(userId)
        : await this.management.updateUserMetadata(userId, change);
    return toProfileView(updated, userId);
  }

  /**
   * The Management API user id of the caller: the token's `sub`, only for a user's token, and only when the API can
   * reach the Management API (checked before any body is read).
   */
  private userIdOf(user: AccessTokenUser): string {
    if (user.clientCredentials) {
      throw new ProfileProblemException(
        'user_token_required',
        `A client-credentials token (sub ${JSON.stringify(user.sub)}) is an application acting for itself: it has no profile. Call this route with a user's access token.`,
      );
    }
    if (!this.management.configured) {
      throw new ProfileProblemException(
        'management_not_configured',
        'This API has no Management API client: set MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET (or MANAGEMENT_CLIENT_SECRET_FILE) and restart it.',
      );
    }
    return user.sub;
  }
}
