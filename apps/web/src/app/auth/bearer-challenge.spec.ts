import { challengeFor, parseChallenges, parseTokenChallenge } from './bearer-challenge';

describe('parseChallenges', () => {
  it('splits a header offering DPoP and Bearer into both challenges with their parameters', () => {
    expect(
      parseChallenges(
        'DPoP error="use_dpop_nonce", error_description="nonce, please", algs="ES256 PS256", Bearer realm="api"',
      ),
    ).toEqual([
      {
        scheme: 'DPoP',
        params: { error: 'use_dpop_nonce', error_description: 'nonce, please', algs: 'ES256 PS256' },
      },
      { scheme: 'Bearer', params: { realm: 'api' } },
    ]);
  });

  it('reads a scheme without parameters and bare values', () => {
    expect(parseChallenges('Bearer, DPoP algs=ES256')).toEqual([
      { scheme: 'Bearer', params: {} },
      { scheme: 'DPoP', params: { algs: 'ES256' } },
    ]);
  });

  it('returns no challenge for no header', () => {
    expect(parseChallenges(null)).toEqual([]);
    expect(parseChallenges('')).toEqual([]);
  });
});

describe('challengeFor', () => {
  it('finds the scheme case-insensitively', () => {
    expect(challengeFor('dpop error="invalid_dpop_proof"', 'DPoP')).toEqual({ error: 'invalid_dpop_proof' });
    expect(challengeFor('Bearer realm="api"', 'DPoP')).toBeNull();
  });
});

describe('parseTokenChallenge', () => {
  it.each([
    [
      'a DPoP error next to a plain Bearer challenge',
      'Bearer realm="api", DPoP error="invalid_token", algs="ES256"',
      'invalid_token',
    ],
    [
      'a Bearer error next to a plain DPoP challenge',
      'DPoP algs="ES256", Bearer error="invalid_token"',
      'invalid_token',
    ],
    ['a Bearer challenge alone', 'Bearer realm="api", error="insufficient_scope"', 'insufficient_scope'],
  ])('picks the challenge with an error: %s', (_what, header, error) => {
    expect(parseTokenChallenge(header)?.error).toBe(error);
  });

  it('falls back to the first token challenge when none names an error, and ignores other schemes', () => {
    expect(parseTokenChallenge('Basic realm="x", Bearer realm="api"')).toEqual({ realm: 'api' });
    expect(parseTokenChallenge('Basic realm="x"')).toBeNull();
  });
});
