import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import {
  DPOP_REASON_CODES,
  PROBLEM_JSON,
  REASONS,
  type AuthProblem,
  type ReasonCode,
} from '@sample/contract';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { API_SETTINGS, type ApiSettings } from '../config/api-settings';
import { AuthProblemException } from './auth-problem.exception';
import { presentedTokenOf } from './bearer-token';
import { DpopService } from './dpop.service';

/** Where the rejection reason is kept on the request, so the access log line carries it. */
export const REJECTION_REASON = Symbol('api.rejection-reason');

const RFC6750_ERRORS = 'https://datatracker.ietf.org/doc/html/rfc6750#section-3.1';

/** A quoted-string for an auth-param: RFC 6750 allows no `"` or `\` in these values. */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '')}"`;
}

const isDpopReason = (reason: ReasonCode): boolean =>
  (DPOP_REASON_CODES as readonly string[]).includes(reason);

/**
 * Answers every rejection the same way: RFC 6750 status and WWW-Authenticate header (RFC 9449's `DPoP` challenge
 * for the DPoP reasons and for requests made with the DPoP scheme), an RFC 9457 problem body with the stable
 * `reason`, and one log line with the full detail (never the token).
 */
@Catch(AuthProblemException)
export class AuthProblemFilter implements ExceptionFilter<AuthProblemException> {
  constructor(
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    private readonly dpop: DpopService,
  ) {}

  /**
   * The challenges of a rejection: `DPoP error=..., algs=...` for a DPoP reason or a request that used the DPoP
   * scheme; otherwise `Bearer realm=...`, followed by `DPoP algs=...` where a DPoP token would do (no token, or a
   * bound token sent as Bearer) and DPoP is allowed; `DPoP algs=...` alone where DPoP is required.
   */
  private challenges(request: Request, reason: ReasonCode, required?: readonly string[]): string[] {
    const entry = REASONS[reason];
    const errorParams =
      entry.error === null
        ? []
        : [`error=${quoted(entry.error)}`, `error_description=${quoted(entry.title)}`];
    const scope = required === undefined ? [] : [`scope=${quoted(required.join(' '))}`];
    const { mode, algorithms } = this.settings.dpop;
    const algs = `algs=${quoted(algorithms.join(' '))}`;
    const usedDpop = presentedTokenOf(request, this.dpop.acceptedSchemes)?.scheme === 'dpop';
    if (isDpopReason(reason) || usedDpop || (mode === 'required' && reason === 'missing_token')) {
      return [`DPoP ${[...errorParams, ...scope, algs].join(', ')}`];
    }
    const bearer = `Bearer ${[`realm=${quoted(this.settings.audience)}`, ...errorParams, ...scope].join(', ')}`;
    const dpopWouldDo = reason === 'missing_token' || reason === 'key_bound_token';
    return mode === 'allowed' && dpopWouldDo ? [bearer, `DPoP ${algs}`] : [bearer];
  }

  async catch(exception: AuthProblemException, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { log?: Logger; [REJECTION_REASON]?: string }>();
    const response = http.getResponse<Response>();
    const { reason, detail, evidence } = exception;
    const entry = REASONS[reason];

    request[REJECTION_REASON] = reason;
    request.log?.info({ reason, status: entry.status, detail, ...evidence }, `request rejected: ${reason}`);

    const challenges = this.challenges(request, reason, evidence.required);
    const nonce = reason === 'use_dpop_nonce' ? await this.dpop.currentNonce() : undefined;

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

    if (nonce !== undefined) response.setHeader('DPoP-Nonce', nonce);
    response
      .status(entry.status)
      .setHeader('WWW-Authenticate', challenges.length === 1 ? (challenges[0] as string) : challenges)
      .setHeader('Cache-Control', 'no-store')
      .type(PROBLEM_JSON)
      .send(JSON.stringify(body));
  }
}
