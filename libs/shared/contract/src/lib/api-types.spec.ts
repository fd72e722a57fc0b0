import { REASONS, REASON_CODES, isReasonCode } from './api-types';

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
        'insufficient_permission',
      ].sort(),
    );
  });

  it('maps reasons to RFC 6750 statuses and error codes', () => {
    expect(REASONS.missing_token).toMatchObject({ status: 401, error: null });
    expect(REASONS.malformed_authorization_header).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(REASONS.insufficient_permission).toMatchObject({ status: 403, error: 'insufficient_scope' });
    for (const code of REASON_CODES.filter((c) => REASONS[c].status === 401 && c !== 'missing_token')) {
      expect(REASONS[code].error).toBe('invalid_token');
    }
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
