import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { PROBLEM_JSON } from '@sample/contract';
import type { Request, Response } from 'express';
import { REJECTION_REASON } from '../auth/auth-problem.filter';
import { PROFILE_REASONS, ProfileProblemException } from './profile-problem.exception';

/** The body of a profile failure (RFC 9457). */
export interface ProfileProblem {
  readonly type: 'about:blank';
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly reason: string;
}

/**
 * Answers a ProfileProblemException as `application/problem+json` with its `reason`, `Retry-After` when it has
 * one, and puts the reason on the access log line.
 */
@Catch(ProfileProblemException)
export class ProfileProblemFilter implements ExceptionFilter<ProfileProblemException> {
  catch(exception: ProfileProblemException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { [REJECTION_REASON]?: string }>();
    const response = http.getResponse<Response>();
    const { reason, detail, retryAfterSeconds } = exception;
    const { status, title } = PROFILE_REASONS[reason];
    request[REJECTION_REASON] = reason;
    if (retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(retryAfterSeconds));
    const body: ProfileProblem = { type: 'about:blank', title, status, detail, reason };
    response
      .status(status)
      .setHeader('Cache-Control', 'no-store')
      .type(PROBLEM_JSON)
      .send(JSON.stringify(body));
  }
}
