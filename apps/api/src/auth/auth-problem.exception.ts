import { HttpException } from '@nestjs/common';
import { REASONS, type ReasonCode } from '@sample/contract';

/** Evidence attached to a rejection; shown in verbose bodies, always logged. */
export interface RejectionEvidence {
  readonly expected?: string | readonly string[];
  readonly received?: string | readonly string[] | null;
  /** Permissions the route needs (403 only); also sent as the `scope` of WWW-Authenticate. */
  readonly required?: readonly string[];
}

/**
 * A rejected request with its stable reason code and an exact, human explanation.
 * AuthProblemFilter turns it into an RFC 9457 body and the RFC 6750 WWW-Authenticate header.
 * @example throw new AuthProblemException('token_expired', 'The token expired at 2026-01-01T00:00:00.000Z.');
 */
export class AuthProblemException extends HttpException {
  constructor(
    readonly reason: ReasonCode,
    readonly detail: string,
    readonly evidence: RejectionEvidence = {},
    /** The error that led here when it was not one the diagnosis knows (logged as a warning). */
    cause?: unknown,
  ) {
    super(REASONS[reason].title, REASONS[reason].status, cause === undefined ? undefined : { cause });
    this.name = 'AuthProblemException';
  }
}
