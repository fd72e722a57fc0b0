import type { ReasonCode } from '@sample/contract';

/** The contract reasons a DPoP proof check can end with (RFC 9449 section 4.3). */
export type DpopProofReason = Extract<
  ReasonCode,
  | 'dpop_proof_missing'
  | 'invalid_dpop_proof'
  | 'dpop_proof_replayed'
  | 'dpop_request_mismatch'
  | 'dpop_key_mismatch'
  | 'dpop_token_mismatch'
  | 'use_dpop_nonce'
>;

/** What a failed check wanted and what the proof had, when they can be shown. */
export interface DpopProofEvidence {
  readonly expected?: string | readonly string[];
  readonly received?: string | readonly string[] | null;
}

/**
 * A refused DPoP proof: `reason` is the stable contract code, `detail` names the bad value and the expected one.
 * @example if (error instanceof DpopProofError && error.reason === 'use_dpop_nonce') retryWithNonce();
 */
export class DpopProofError extends Error {
  constructor(
    readonly reason: DpopProofReason,
    readonly detail: string,
    readonly evidence: DpopProofEvidence = {},
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'DpopProofError';
  }
}
