import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { PROBLEM_JSON, REASONS, type AuthProblem } from '@sample/contract';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { API_SETTINGS, type ApiSettings } from '../config/api-settings';
import { AuthProblemException } from './auth-problem.exception';

/** Where the rejection reason is kept on the request, so the access log line carries it. */
export const REJECTION_REASON = Symbol('api.rejection-reason');

const RFC6750_ERRORS = 'https://datatracker.ietf.org/doc/html/rfc6750#section-3.1';

/** A quoted-string for an auth-param: RFC 6750 allows no `"` or `\` in these values. */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '')}"`;
}

/**
 * Answers every rejection the same way: RFC 6750 status and WWW-Authenticate header, an RFC 9457
 * problem body with the stable `reason`, and one log line with the full detail (never the token).
 */
@Catch(AuthProblemException)
export class AuthProblemFilter implements ExceptionFilter<AuthProblemException> {
  constructor(@Inject(API_SETTINGS) private readonly settings: ApiSettings) {}

  catch(exception: AuthProblemException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { log?: Logger; [REJECTION_REASON]?: string }>();
    const response = http.getResponse<Response>();
    const { reason, detail, evidence } = exception;
    const entry = REASONS[reason];

    request[REJECTION_REASON] = reason;
    request.log?.info({ reason, status: entry.status, detail, ...evidence }, `request rejected: ${reason}`);

    const params = [`realm=${quoted(this.settings.audience)}`];
    if (entry.error !== null) {
      params.push(`error=${quoted(entry.error)}`, `error_description=${quoted(entry.title)}`);
    }
    if (evidence.required !== undefined) params.push(`scope=${quoted(evidence.required.join(' '))}`);

    const verbose = this.settings.diagnostics === 'verbose';
    const body: AuthProblem = verbose
      ? {
          type: RFC6750_ERRORS,
          title: entry.title,
          status: entry.status,
          detail,
          reason,
          fix: entry.fix,
          ...evidence,
        }
      : {
          type: RFC6750_ERRORS,
          title: entry.title,
          status: entry.status,
          detail: `${entry.title}. The API log has the details.`,
          reason,
        };

    response
      .status(entry.status)
      .setHeader('WWW-Authenticate', `Bearer ${params.join(', ')}`)
      .setHeader('Cache-Control', 'no-store')
      .type(PROBLEM_JSON)
      .send(JSON.stringify(body));
  }
}
