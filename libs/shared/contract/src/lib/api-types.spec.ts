import { DPOP_REASON_CODES, REASONS, REASON_CODES, isReasonCode } from './api-types';

describe('REASONS', () => {
  it('lists every reason code the API documents', () => {
    expect([...REASON_CODES].sort()).toEqual(
      [
        'missing_token',
        'malformed_authorization_header',
        'opaque_token',
        'id_token_used',
        'audience_mismatch',
        'issuer_mismatch',
        'algorithm_not_allowed',
        'unknown_signing_key',
        'invalid_signature',
        'token_expired',
        'token_not_yet_valid',
        'malformed_token',
        'key_bound_token',
        'dpop_required',
        'dpop_disabled',
        'dpop_token_not_bound',
        'dpop_proof_missing',
        'invalid_dpop_proof',
        'dpop_proof_replayed',
        'dpop_request_mismatch',
        'dpop_key_mismatch',
        'dpop_token_mismatch',
        'use_dpop_nonce',
        'insufficient_permission',
      ].sort(),
    );
  });

  it('maps reasons to RFC 6750 statuses and error codes', () => {
    expect(REASONS.missing_token).toMatchObject({ status: 401, error: null });
    expect(REASONS.malformed_authorization_header).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(REASONS.insufficient_permission).toMatchObject({ status: 403, error: 'insufficient_scope' });
    expect(REASONS.dpop_disabled).toMatchObject({ status: 401, error: null });
    expect(REASONS.use_dpop_nonce).toMatchObject({ status: 401, error: 'use_dpop_nonce' });
    // RFC 9449 section 7.1: a bad proof is invalid_dpop_proof; everything else about the token is invalid_token.
    const badProof = new Set([
      'dpop_proof_missing',
      'invalid_dpop_proof',
      'dpop_proof_replayed',
      'dpop_request_mismatch',
      'dpop_key_mismatch',
      'dpop_token_mismatch',
    ]);
    for (const code of REASON_CODES.filter((c) => REASONS[c].status === 401 && REASONS[c].error !== null)) {
      if (code === 'use_dpop_nonce') continue;
      expect(REASONS[code].error).toBe(badProof.has(code) ? 'invalid_dpop_proof' : 'invalid_token');
    }
    for (const code of badProof) expect(DPOP_REASON_CODES).toContain(code);
  });

  it('gives every reason a title and a fix', () => {
    for (const code of REASON_CODES) {
      expect(REASONS[code].title.length).toBeGreaterThan(0);
      expect(REASONS[code].fix.length).toBeGreaterThan(20);
    }
  });

  it('recognises reason codes and nothing else', () => {
    expect(isReasonCode('token_expired')).toBe(true);
    expect(isReasonCode('toString')).toBe(false);
    expect(isReasonCode(42)).toBe(false);
  });
});
