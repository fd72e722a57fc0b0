import { HttpException } from '@nestjs/common';

/**
 * Why a profile request failed, beside the token rejections of the auth guards: what the client switches on. The
 * status is the one sent; `title` is the HTTP status text (the problem `type` is `about:blank`).
 */
export const PROFILE_REASONS = {
  /** A client-credentials token: an application acting for itself has no profile. */
  user_token_required: { status: 403, title: 'Forbidden' },
  /** MANAGEMENT_CLIENT_ID is not set: the API cannot reach the Management API. */
  management_not_configured: { status: 503, title: 'Service Unavailable' },
  /** The PATCH body is not `application/json`. */
  unsupported_media_type: { status: 415, title: 'Unsupported Media Type' },
  /** The PATCH body is over PROFILE_BODY_LIMIT_BYTES. */
  body_too_large: { status: 413, title: 'Content Too Large' },
  /** The PATCH body is not JSON, or not a ProfilePatch (the detail names the field and the rule). */
  invalid_profile: { status: 400, title: 'Bad Request' },
  /** The token's user does not exist in the tenant (deleted, or a token from another tenant's users). */
  profile_not_found: { status: 404, title: 'Not Found' },
  /** The Management API or its token endpoint answered 429: nothing is sent upstream until Retry-After passes. */
  management_rate_limited: { status: 503, title: 'Service Unavailable' },
  /** The tenant refused this API's own machine-to-machine client (credentials, grant, scopes): the log says how to fix it. */
  management_rejected: { status: 502, title: 'Bad Gateway' },
  /** The Management API could not be reached, failed (5xx) or answered something unreadable. */
  management_unavailable: { status: 502, title: 'Bad Gateway' },
  /** The Management API did not answer within MANAGEMENT_TIMEOUT_MS. */
  management_timeout: { status: 504, title: 'Gateway Timeout' },
} as const;

/** One of PROFILE_REASONS. */
export type ProfileReason = keyof typeof PROFILE_REASONS;

/** Every profile reason, for the OpenAPI document. */
export const PROFILE_REASON_CODES = Object.keys(PROFILE_REASONS) as ProfileReason[];

/**
 * A failed profile request: its stable reason and a detail for the caller (never a secret, never an internal URL).
 * ProfileProblemFilter turns it into an RFC 9457 body.
 * @example throw new ProfileProblemException('body_too_large', 'The body is over 2048 bytes.');
 */
export class ProfileProblemException extends HttpException {
  constructor(
    readonly reason: ProfileReason,
    readonly detail: string,
    /** Seconds the client should wait (Retry-After), for management_rate_limited. */
    readonly retryAfterSeconds?: number,
  ) {
    super(PROFILE_REASONS[reason].title, PROFILE_REASONS[reason].status);
    this.name = 'ProfileProblemException';
  }
}
