import { JsonWebTokenError, NotBeforeError, TokenExpiredError } from 'jsonwebtoken';
import { AuthProblemException } from './auth-problem.exception';
import {
  checkRequiredClaims,
  classifyVerifyError,
  inspectToken,
  readBearerToken,
  type ClassifierSettings,
  type InspectedToken,
} from './token-classifier';

const settings: ClassifierSettings = {
  issuerUrl: 'https://tenant.eu.auth0.com/',
  audience: 'https://api.sample.local',
  algorithms: ['RS256'],
  clockToleranceSeconds: 5,
  maxTokenLifetimeSeconds: 86_400,
};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (header: unknown, claims: unknown, signature = 'c2ln') =>
  `${b64(header)}.${b64(claims)}.${signature}`;

function reasonOf(action: () => unknown): { reason: string; status: number; detail: string } {
  try {
    action();
  } catch (error) {
    if (error instanceof AuthProblemException)
      return { reason: error.reason, status: error.getStatus(), detail: error.detail };
    throw error;
  }
  throw new Error('expected an AuthProblemException');
}

describe('token classifier', () => {
  describe('readBearerToken', () => {
    it('returns the token of a Bearer header, scheme in any case', () => {
      expect(readBearerToken(['Host', 'x', 'Authorization', 'Bearer abc.def.ghi'])).toBe('abc.def.ghi');
      expect(readBearerToken(['authorization', 'BEARER   abc'])).toBe('abc');
    });

    it('reports a missing header as missing_token (401) and mentions an ignored query token', () => {
      expect(reasonOf(() => readBearerToken(['Host', 'x']))).toMatchObject({
        reason: 'missing_token',
        status: 401,
      });
      expect(reasonOf(() => readBearerToken([], '/api/me?access_token=abc')).detail).toContain(
        'query parameter is ignored',
      );
    });

    it.each([
      ['two headers', ['Authorization', 'Bearer a', 'authorization', 'Bearer a'], /2 Authorization headers/],
      ['another scheme', ['Authorization', 'Basic dXNlcg=='], /"Basic" scheme/],
      ['no token', ['Authorization', 'Bearer '], /carries no token/],
      ['a token and garbage', ['Authorization', 'Bearer abc garbage'], /exactly one token/],
      ['characters a token cannot have', ['Authorization', 'Bearer ab"c'], /characters a token cannot have/],
      ['an empty header', ['Authorization', ''], /is empty/],
    ])('reports %s as malformed_authorization_header (400)', (_name, headers, detail) => {
      const result = reasonOf(() => readBearerToken(headers));
      expect(result).toMatchObject({ reason: 'malformed_authorization_header', status: 400 });
      expect(result.detail).toMatch(detail);
    });
  });

  describe('inspectToken', () => {
    const claims = { iss: settings.issuerUrl, sub: 's' };

    it('returns header and unverified claims of a well-formed token', () => {
      const token = inspectToken(jwt({ alg: 'RS256', kid: 'k1' }, claims), settings);
      expect(token.header).toMatchObject({ alg: 'RS256', kid: 'k1' });
      expect(token.claims).toEqual(claims);
    });

    it.each([
      ['no dots', 'abcdefghijklmnop', 'opaque_token'],
      ['five parts (JWE)', 'a.b.c.d.e', 'opaque_token'],
      ['two parts', 'a.b', 'malformed_token'],
      ['a header that is not JSON', 'abc.def.ghi', 'malformed_token'],
      [
        'non-base64url characters',
        `${b64({ alg: 'RS256', kid: 'k' })}+.${b64(claims)}.sig`,
        'malformed_token',
      ],
      ['alg none', jwt({ alg: 'none', kid: 'k' }, claims, ''), 'algorithm_not_allowed'],
      ['HS256', jwt({ alg: 'HS256', kid: 'k' }, claims), 'algorithm_not_allowed'],
      ['ES256 when only RS256 is allowed', jwt({ alg: 'ES256', kid: 'k' }, claims), 'algorithm_not_allowed'],
      ['a crit header', jwt({ alg: 'RS256', kid: 'k', crit: ['b64'] }, claims), 'malformed_token'],
      ['no kid', jwt({ alg: 'RS256' }, claims), 'unknown_signing_key'],
      ['an oversized kid', jwt({ alg: 'RS256', kid: 'k'.repeat(257) }, claims), 'malformed_token'],
      ['a numeric kid', jwt({ alg: 'RS256', kid: 7 }, claims), 'malformed_token'],
      ['a payload that is an array', jwt({ alg: 'RS256', kid: 'k' }, [1]), 'malformed_token'],
      ['an empty signature', jwt({ alg: 'RS256', kid: 'k' }, claims, ''), 'invalid_signature'],
      ['over 8192 characters', jwt({ alg: 'RS256', kid: 'k' }, { pad: 'x'.repeat(9000) }), 'malformed_token'],
    ])('classifies %s', (_name, token, reason) => {
      expect(reasonOf(() => inspectToken(token, settings)).reason).toBe(reason);
    });

    it('explains why HS256 is dangerous', () => {
      expect(
        reasonOf(() => inspectToken(jwt({ alg: 'HS256', kid: 'k' }, claims), settings)).detail,
      ).toContain('shared secret');
    });
  });

  describe('classifyVerifyError', () => {
    const token = (claims: Record<string, unknown>): InspectedToken => ({
      raw: 'x',
      header: { alg: 'RS256', kid: 'k1' },
      claims,
    });

    it('reports expiry with the time', () => {
      const problem = classifyVerifyError(
        new TokenExpiredError('jwt expired', new Date(1_000_000)),
        token({ exp: 1_000 }),
        settings,
        1_100,
      );
      expect(problem.reason).toBe('token_expired');
      expect(problem.detail).toContain('1970-01-01T00:16:40.000Z (100 s ago');
    });

    it('reports nbf in the future', () => {
      expect(
        classifyVerifyError(
          new NotBeforeError('jwt not active', new Date()),
          token({ nbf: 2_000 }),
          settings,
          1_000,
        ).reason,
      ).toBe('token_not_yet_valid');
    });

    it('tells an ID token from a token for another API', () => {
      const error = new JsonWebTokenError('jwt audience invalid. expected: https://api.sample.local');
      expect(classifyVerifyError(error, token({ aud: 'sample-spa', nonce: 'n' }), settings).reason).toBe(
        'id_token_used',
      );
      expect(classifyVerifyError(error, token({ aud: 'sample-spa', at_hash: 'h' }), settings).reason).toBe(
        'id_token_used',
      );
      const other = classifyVerifyError(error, token({ aud: ['https://other.example.com'] }), settings);
      expect(other.reason).toBe('audience_mismatch');
      expect(other.evidence).toEqual({ expected: settings.audience, received: 'https://other.example.com' });
    });

    it('knows an ID token without nonce or at_hash (from a refresh) by its missing scope', () => {
      const error = new JsonWebTokenError('jwt audience invalid. expected: https://api.sample.local');
      const refreshed = token({ aud: 'sample-spa', azp: 'sample-spa', sub: 'auth0|u' });
      expect(classifyVerifyError(error, refreshed, settings).reason).toBe('id_token_used');
      const withProfile = token({ aud: 'sample-spa', email: 'a@example.com', sid: 's' });
      expect(classifyVerifyError(error, withProfile, settings).reason).toBe('id_token_used');
      // An access token for another API has a scope, whatever else it carries.
      const otherApi = token({ aud: 'https://other.example.com', scope: 'read:x', email: 'a@example.com' });
      expect(classifyVerifyError(error, otherApi, settings).reason).toBe('audience_mismatch');
    });

    it('points out an issuer that differs by the trailing slash only', () => {
      const error = new JsonWebTokenError(`jwt issuer invalid. expected: ${settings.issuerUrl}`);
      const problem = classifyVerifyError(error, token({ iss: 'https://tenant.eu.auth0.com' }), settings);
      expect(problem.reason).toBe('issuer_mismatch');
      expect(problem.detail).toContain('differ only by the trailing slash');
      expect(
        classifyVerifyError(error, token({ iss: 'https://evil.example.com/' }), settings).detail,
      ).not.toContain('trailing slash');
    });

    it.each([
      ['invalid signature', 'invalid_signature'],
      ['jwt signature is required', 'invalid_signature'],
      ['invalid algorithm', 'algorithm_not_allowed'],
      ['"alg" parameter for "rsa" key type must be one of: RS256, RS384, RS512.', 'algorithm_not_allowed'],
      ['invalid exp value', 'malformed_token'],
      ['jwt malformed', 'malformed_token'],
    ])('maps jsonwebtoken\'s "%s" to %s', (message, reason) => {
      expect(classifyVerifyError(new JsonWebTokenError(message), token({}), settings).reason).toBe(reason);
    });

    it('never lets an unknown error become a 5xx', () => {
      const problem = classifyVerifyError(new TypeError('boom'), undefined, settings);
      expect(problem.reason).toBe('malformed_token');
      expect(problem.getStatus()).toBe(401);
    });

    it('passes an AuthProblemException through', () => {
      const problem = new AuthProblemException('unknown_signing_key', 'x');
      expect(classifyVerifyError(problem, undefined, settings)).toBe(problem);
    });
  });

  describe('checkRequiredClaims', () => {
    const now = 1_000_000;
    const valid = { sub: 's', iat: now, exp: now + 600 };

    it('accepts a token with sub, iat and exp within the lifetime cap', () => {
      expect(() => checkRequiredClaims(valid, settings, now)).not.toThrow();
    });

    it.each([
      ['no exp', { ...valid, exp: undefined }, 'malformed_token', /no numeric "exp"/],
      ['a string exp', { ...valid, exp: '1' }, 'malformed_token', /no numeric "exp"/],
      ['no iat', { ...valid, iat: undefined }, 'malformed_token', /no numeric "iat"/],
      ['an iat in the future', { ...valid, iat: now + 60 }, 'token_not_yet_valid', /in the future/],
      ['a lifetime over the cap', { ...valid, exp: now + 86_401 }, 'malformed_token', /at most 86400 s/],
      ['no sub', { ...valid, sub: undefined }, 'malformed_token', /no "sub"/],
    ])('rejects %s', (_name, claims, reason, detail) => {
      const result = reasonOf(() => checkRequiredClaims(claims, settings, now));
      expect(result.reason).toBe(reason);
      expect(result.detail).toMatch(detail);
    });
  });
});
