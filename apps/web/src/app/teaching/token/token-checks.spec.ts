import { TEST_CONFIG } from '../../../testing/fake-auth0-client';
import { fakeJwt } from '../testing/fake-jwt';
import { decodeToken } from './decoded-token';
import { checkAccessToken, checkIdToken, formatDuration, type TokenCheck } from './token-checks';

const NOW = 1_800_000_000;

const accessClaims = {
  iss: 'http://localhost:4000/',
  sub: 'auth0|demo-admin',
  aud: ['https://api.sample.local', 'http://localhost:4000/userinfo'],
  exp: NOW + 3600,
  iat: NOW,
  scope: 'openid profile email read:messages read:admin-messages edit:profile',
  permissions: ['read:messages', 'read:admin-messages', 'edit:profile'],
};

function statusOf(checks: TokenCheck[], claim: string): TokenCheck['status'][] {
  return checks.filter((check) => check.claim === claim).map((check) => check.status);
}

describe('checkAccessToken', () => {
  it('passes a good access token: audience, issuer, permissions, expiry, alg and kid', () => {
    const checks = checkAccessToken(decodeToken(fakeJwt(accessClaims)), TEST_CONFIG, NOW);
    expect(checks.filter((check) => check.status === 'fail' || check.status === 'warn')).toEqual([]);
    expect(checks.find((check) => check.claim === 'exp')?.text).toMatch(/^Expires in 1h 00m 00s/);
    expect(statusOf(checks, 'aud')).toEqual(['ok', 'info']);
  });

  it('explains an opaque token: requested without an audience', () => {
    const [check, ...rest] = checkAccessToken(decodeToken('mG0LHn8uJkq2bX1Zp9w4'), TEST_CONFIG, NOW);
    expect(rest).toEqual([]);
    expect(check).toEqual({
      claim: 'format',
      status: 'fail',
      text: expect.stringContaining('requested without an audience'),
    });
    expect(check?.text).toContain('opaque_token');
    expect(check?.text).toContain('"https://api.sample.local"');
  });

  it('explains an encrypted (JWE) token the same way', () => {
    const [check] = checkAccessToken(
      decodeToken('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..a.b.c'),
      TEST_CONFIG,
      NOW,
    );
    expect(check?.text).toMatch(/^Opaque access token \(an encrypted JWE/);
  });

  it('flags a token for another API as audience_mismatch', () => {
    const checks = checkAccessToken(
      decodeToken(fakeJwt({ ...accessClaims, aud: 'https://other-api.sample.local' })),
      TEST_CONFIG,
      NOW,
    );
    expect(checks.find((check) => check.claim === 'aud')).toEqual({
      claim: 'aud',
      status: 'fail',
      text: 'is "https://other-api.sample.local", not the configured audience https://api.sample.local: the API answers audience_mismatch.',
    });
  });

  it('recognises an ID token used as an access token', () => {
    const checks = checkAccessToken(
      decodeToken(fakeJwt({ ...accessClaims, aud: 'sample-spa' })),
      TEST_CONFIG,
      NOW,
    );
    expect(checks.find((check) => check.claim === 'aud')?.text).toContain('this is an ID token');
  });

  it('flags an issuer without the trailing slash', () => {
    const checks = checkAccessToken(
      decodeToken(fakeJwt({ ...accessClaims, iss: 'http://localhost:4000' })),
      TEST_CONFIG,
      NOW,
    );
    expect(statusOf(checks, 'iss')).toEqual(['fail']);
  });

  it('warns about each missing permission', () => {
    const checks = checkAccessToken(
      decodeToken(
        fakeJwt({ ...accessClaims, permissions: ['read:messages'], scope: 'openid read:messages' }),
      ),
      TEST_CONFIG,
      NOW,
    );
    expect(checks.filter((check) => check.claim === 'permissions')).toEqual([
      { claim: 'permissions', status: 'ok', text: 'Has read:messages.' },
      {
        claim: 'permissions',
        status: 'warn',
        text: 'Lacks read:admin-messages: endpoints requiring it answer 403 insufficient_permission.',
      },
      {
        claim: 'permissions',
        status: 'warn',
        text: 'Lacks edit:profile: endpoints requiring it answer 403 insufficient_permission.',
      },
    ]);
  });

  it('does not take a permission from the scope of a user token (RBAC off), and says why', () => {
    const checks = checkAccessToken(
      decodeToken(
        fakeJwt({
          ...accessClaims,
          permissions: undefined,
          scope: 'openid read:messages read:admin-messages edit:profile',
        }),
      ),
      TEST_CONFIG,
      NOW,
    );
    expect(checks.filter((check) => check.claim === 'scope')).toEqual([
      {
        claim: 'scope',
        status: 'warn',
        text: 'Lists read:messages in scope but not in permissions: the API authorizes users by permissions only, so endpoints requiring it answer 403 insufficient_permission.',
      },
      {
        claim: 'scope',
        status: 'warn',
        text: 'Lists read:admin-messages in scope but not in permissions: the API authorizes users by permissions only, so endpoints requiring it answer 403 insufficient_permission.',
      },
      {
        claim: 'scope',
        status: 'warn',
        text: 'Lists edit:profile in scope but not in permissions: the API authorizes users by permissions only, so endpoints requiring it answer 403 insufficient_permission.',
      },
    ]);
  });

  it('takes the scope of a client-credentials token (its client grant)', () => {
    const checks = checkAccessToken(
      decodeToken(
        fakeJwt({
          ...accessClaims,
          gty: 'client-credentials',
          permissions: undefined,
          scope: 'read:messages',
        }),
      ),
      TEST_CONFIG,
      NOW,
    );
    expect(checks.filter((check) => check.claim === 'scope')).toEqual([
      { claim: 'scope', status: 'ok', text: 'Has read:messages (the client grant).' },
      {
        claim: 'scope',
        status: 'warn',
        text: 'Lacks read:admin-messages: endpoints requiring it answer 403 insufficient_permission.',
      },
      {
        claim: 'scope',
        status: 'warn',
        text: 'Lacks edit:profile: endpoints requiring it answer 403 insufficient_permission.',
      },
    ]);
  });

  it('counts down to exp and reports an expired token', () => {
    const token = decodeToken(fakeJwt({ ...accessClaims, exp: NOW + 65 }));
    expect(checkAccessToken(token, TEST_CONFIG, NOW).find((c) => c.claim === 'exp')?.text).toMatch(
      /^Expires in 1m 05s/,
    );
    expect(checkAccessToken(token, TEST_CONFIG, NOW + 70).find((c) => c.claim === 'exp')).toEqual({
      claim: 'exp',
      status: 'fail',
      text: 'Expired 5s ago: the API answers token_expired.',
    });
  });

  it('warns about HS256 and a missing kid, fails alg none', () => {
    const hs = checkAccessToken(decodeToken(fakeJwt(accessClaims, { alg: 'HS256' })), TEST_CONFIG, NOW);
    expect(statusOf(hs, 'alg')).toEqual(['warn']);
    expect(statusOf(hs, 'kid')).toEqual(['warn']);
    expect(
      statusOf(
        checkAccessToken(decodeToken(fakeJwt(accessClaims, { alg: 'none' })), TEST_CONFIG, NOW),
        'alg',
      ),
    ).toEqual(['fail']);
  });
});

describe('checkIdToken', () => {
  it('accepts an ID token whose aud is the client id and says it is for the app', () => {
    const checks = checkIdToken(
      decodeToken(fakeJwt({ ...accessClaims, aud: 'sample-spa', nonce: 'n' })),
      TEST_CONFIG,
      NOW,
    );
    expect(checks[0]).toEqual({
      claim: 'aud',
      status: 'ok',
      text: expect.stringContaining('never for APIs'),
    });
    expect(checks.every((check) => check.status === 'ok')).toBe(true);
  });
});

describe('formatDuration', () => {
  it.each([
    [5, '5s'],
    [65, '1m 05s'],
    [3725, '1h 02m 05s'],
    [-5, '5s'],
  ])('formats %i seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
