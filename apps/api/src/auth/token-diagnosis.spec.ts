import { Logger } from '@nestjs/common';
import { sign, verify, type SignOptions, type VerifyOptions } from 'jsonwebtoken';
import { SigningKeyNotFoundError } from 'jwks-rsa';
import { generateKeyPairSync, sign as signBytes, type KeyObject } from 'node:crypto';
import { ManualClock } from '../../test/support/clock';
import { parseApiSettings } from '../config/api-settings';
import { DpopProofError } from '@sample/dpop';
import { AuthProblemException } from './auth-problem.exception';
import { checkJwsHeader, TokenRefusedError } from './bearer-token';
import type { JwksStatus } from './jwks-key-provider';
import { JwksKeyProvider } from './jwks-key-provider';
import { DpopService } from './dpop.service';
import { JwtStrategy } from './jwt.strategy';
import { diagnose, JSONWEBTOKEN_MESSAGES, type DiagnosisContext } from './token-diagnosis';

const settings = parseApiSettings({
  AUTH_ISSUER_URL: 'https://tenant.eu.auth0.com/',
  AUTH_AUDIENCE: 'https://api.sample.local',
}).config;
const jwks: JwksStatus = { fetches: 1, kids: ['k1'], ageMs: 3_000, lastFailure: null };
const context: DiagnosisContext = { settings, jwks };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const requestWith = (token: string, url = '/api/messages/protected') => ({
  rawHeaders: ['Authorization', `Bearer ${token}`],
  url,
});

/** The error `action` throws. */
function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function diagnosed(error: unknown, token: string, ctx: DiagnosisContext = context) {
  const problem = diagnose(error, requestWith(token), ctx);
  return {
    reason: problem.reason,
    status: problem.getStatus(),
    detail: problem.detail,
    evidence: problem.evidence,
  };
}

describe('diagnose', () => {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: settings.issuerUrl, aud: settings.audience, sub: 's', iat: now, exp: now + 600 };
  let rsa: { privateKey: KeyObject; publicKey: KeyObject };
  let ec: { privateKey: KeyObject; publicKey: KeyObject };

  beforeAll(() => {
    rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  });

  /** A token signed with the RSA key, by jsonwebtoken itself. */
  const signed = (payload: object = claims, options: SignOptions = {}) =>
    sign(payload, rsa.privateKey, { algorithm: 'RS256', keyid: 'k1', ...options });
  /** A token signed by hand: jsonwebtoken refuses to sign some payloads a forger can still send. */
  const handSigned = (payload: object) => {
    const input = `${b64({ alg: 'RS256', kid: 'k1' })}.${b64(payload)}`;
    return `${input}.${signBytes('sha256', Buffer.from(input), rsa.privateKey).toString('base64url')}`;
  };
  /** What the installed jsonwebtoken throws for `token`, verified as JwtStrategy configures it. */
  const verifyError = (token: string, options: VerifyOptions = {}, key: KeyObject = rsa.publicKey) =>
    thrown(() =>
      verify(token, key, {
        algorithms: ['RS256'],
        issuer: settings.issuerUrl,
        audience: settings.audience,
        clockTolerance: settings.clockToleranceSeconds,
        ...options,
      }),
    );

  describe('the Authorization header (passport-jwt found no token)', () => {
    const noToken = new Error('No auth token');
    const problemOf = (rawHeaders: string[], url = '/x') => {
      const problem = diagnose(noToken, { rawHeaders, url }, context);
      return { reason: problem.reason, status: problem.getStatus(), detail: problem.detail };
    };

    it('reports a missing header as missing_token (401), mentioning an ignored query token', () => {
      expect(problemOf(['Host', 'x'])).toMatchObject({ reason: 'missing_token', status: 401 });
      expect(problemOf([], '/api/me?access_token=abc').detail).toContain('query parameter is ignored');
    });

    it.each([
      ['two headers', ['Authorization', 'Bearer a', 'authorization', 'Bearer a'], /2 Authorization headers/],
      ['another scheme', ['Authorization', 'Basic dXNlcg=='], /"Basic" scheme/],
      ['no token', ['Authorization', 'Bearer '], /carries no token/],
      ['a token and garbage', ['Authorization', 'Bearer abc garbage'], /exactly one token/],
      ['characters a token cannot have', ['Authorization', 'Bearer ab"c'], /characters a token cannot have/],
      ['an empty header', ['Authorization', ''], /is empty/],
      ['a tab instead of a space', ['Authorization', 'Bearer\tabc'], /a space and the token/],
      ['a DPoP scheme with two parts', ['Authorization', 'DPoP a b'], /"DPoP" followed by exactly one token/],
      ['a DPoP scheme without a token', ['Authorization', 'DPoP '], /says "DPoP" but carries no token/],
    ])('reports %s as malformed_authorization_header (400)', (_name, headers, detail) => {
      const result = problemOf(headers);
      expect(result).toMatchObject({ reason: 'malformed_authorization_header', status: 400 });
      expect(result.detail).toMatch(detail);
    });

    it('names the schemes AUTH_DPOP accepts', () => {
      expect(problemOf(['Authorization', 'Basic dXNlcg==']).detail).toContain(
        'accepts "Bearer <token>" or "DPoP <token>" only',
      );
    });

    it('reports the DPoP scheme as dpop_disabled when AUTH_DPOP=off', () => {
      const off = { ...context, settings: { ...settings, dpop: { ...settings.dpop, mode: 'off' as const } } };
      const problem = diagnose(
        noToken,
        { rawHeaders: ['Authorization', 'DPoP abc.def.ghi'], url: '/x' },
        off,
      );
      expect({ reason: problem.reason, status: problem.getStatus() }).toEqual({
        reason: 'dpop_disabled',
        status: 401,
      });
      expect(problem.detail).toMatch(/AUTH_DPOP=off/);
    });

    it('reports the Bearer scheme as dpop_required when AUTH_DPOP=required', () => {
      const required = {
        ...context,
        settings: { ...settings, dpop: { ...settings.dpop, mode: 'required' as const } },
      };
      const problem = diagnose(
        noToken,
        { rawHeaders: ['Authorization', 'Bearer abc.def.ghi'], url: '/x' },
        required,
      );
      expect(problem.reason).toBe('dpop_required');
      expect(problem.evidence).toEqual({ expected: 'DPoP', received: 'Bearer' });
    });
  });

  describe('DPoP', () => {
    it('passes a DpopProofError on with its reason, detail and evidence', () => {
      const error = new DpopProofError('dpop_key_mismatch', 'signed with another key', {
        expected: 'a',
        received: 'b',
      });
      const problem = diagnose(
        error,
        { rawHeaders: ['Authorization', 'DPoP abc.def.ghi'], url: '/x' },
        context,
      );
      expect({ reason: problem.reason, detail: problem.detail, evidence: problem.evidence }).toEqual({
        reason: 'dpop_key_mismatch',
        detail: 'signed with another key',
        evidence: { expected: 'a', received: 'b' },
      });
    });

    it('explains an unbound token sent with the DPoP scheme', () => {
      const token = `${b64({ alg: 'RS256', kid: 'k1' })}.${b64(claims)}.c2ln`;
      const problem = diagnose(
        new TokenRefusedError('dpop_token_not_bound'),
        { rawHeaders: ['Authorization', `DPoP ${token}`], url: '/x' },
        context,
      );
      expect(problem.reason).toBe('dpop_token_not_bound');
      expect(problem.detail).toMatch(/not bound to a key \(no cnf\.jkt claim\)/);
    });
  });

  describe("this API's own checks (TokenRefusedError)", () => {
    const header = (value: unknown, payload: unknown = claims, signature = 'c2ln') =>
      `${b64(value)}.${b64(payload)}.${signature}`;
    const refused = (token: string) =>
      diagnosed(
        thrown(() => checkJwsHeader(token, settings.algorithms)),
        token,
      );

    it.each([
      ['a random string', '8fJw0Q2lZt7aQpRk3xYvN4mE6bC1dH9s', 'opaque_token', /not a JWT/],
      ['an encrypted JWE', 'a.b.c.d.e', 'opaque_token', /encrypted JWE/],
      ['two parts', 'a.b', 'malformed_token', /has 2 "." separated parts/],
      ['a header that is not JSON', 'aaaa.bbbb.cccc', 'malformed_token', /not base64url-encoded JSON/],
      [
        'alg none',
        header({ alg: 'none', kid: 'k1' }, claims, ''),
        'algorithm_not_allowed',
        /unsigned \(alg "none"\)/,
      ],
      ['HS256', header({ alg: 'HS256', kid: 'k1' }), 'algorithm_not_allowed', /HS256 uses a shared secret/],
      ['RS384', header({ alg: 'RS384', kid: 'k1' }), 'algorithm_not_allowed', /signed with "RS384"/],
      [
        'a crit header',
        header({ alg: 'RS256', kid: 'k1', crit: ['b64'] }),
        'malformed_token',
        /critical extensions \["b64"\]/,
      ],
      ['no kid', header({ alg: 'RS256' }), 'unknown_signing_key', /has no "kid"/],
      [
        'a numeric kid',
        header({ alg: 'RS256', kid: 7 }),
        'malformed_token',
        /"kid" must be a string of 1 to 256/,
      ],
      [
        'a payload that is not an object',
        header({ alg: 'RS256', kid: 'k1' }, [1]),
        'malformed_token',
        /payload/,
      ],
      ['no signature', header({ alg: 'RS256', kid: 'k1' }, claims, ''), 'invalid_signature', /no signature/],
      [
        'a token over the limit',
        header({ alg: 'RS256', kid: 'k1' }, { pad: 'x'.repeat(9000) }),
        'malformed_token',
        /refuses tokens over 8192/,
      ],
    ])('explains %s', (_name, token, reason, detail) => {
      const result = refused(token);
      expect(result.reason).toBe(reason);
      expect(result.detail).toMatch(detail);
    });

    it('gives the accepted and the received algorithm as evidence', () => {
      expect(refused(header({ alg: 'HS256', kid: 'k1' })).evidence).toEqual({
        expected: ['RS256'],
        received: 'HS256',
      });
    });

    it("explains a JWK bound to another algorithm than the token's", () => {
      const token = header({ alg: 'RS384', kid: 'k1' });
      expect(diagnosed(new TokenRefusedError('key_algorithm', 'RS256'), token)).toMatchObject({
        reason: 'algorithm_not_allowed',
        detail: 'The issuer\'s key "k1" is for RS256, but the token says "RS384".',
        evidence: { expected: 'RS256', received: 'RS384' },
      });
    });

    describe('the claims JwtStrategy.validate checks', () => {
      let strategy: JwtStrategy;

      beforeAll(() => {
        const clock = new ManualClock().now;
        const keys = new JwksKeyProvider(settings, clock);
        strategy = new JwtStrategy(settings, keys, new DpopService(settings, clock));
      });

      it.each([
        ['no exp', { ...claims, exp: undefined }, 'malformed_token', /no numeric "exp"/],
        ['a string exp', { ...claims, exp: '1' }, 'malformed_token', /no numeric "exp"/],
        ['no iat', { ...claims, iat: undefined }, 'malformed_token', /no numeric "iat"/],
        [
          'an iat in the future',
          { ...claims, iat: now + 120 },
          'token_not_yet_valid',
          /\(iat\), 1[12]\d s in the future/,
        ],
        [
          'a lifetime over the cap',
          { ...claims, exp: now + 86_401 },
          'malformed_token',
          /lives 86401 s .* at most 86400 s/,
        ],
        ['no sub', { ...claims, sub: undefined }, 'malformed_token', /no "sub"/],
        [
          'a DPoP-bound token (cnf.jkt)',
          { ...claims, cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' } },
          'key_bound_token',
          /bound to a DPoP key \(cnf\.jkt, RFC 9449\).*never accepted as a plain Bearer token/,
        ],
        [
          'a certificate-bound token (cnf x5t#S256)',
          { ...claims, cnf: { 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' } },
          'key_bound_token',
          /bound to a client certificate/,
        ],
        ['any other cnf', { ...claims, cnf: 'x' }, 'key_bound_token', /bound to a key \(cnf "x"\)/],
      ])('explains %s', async (_name, payload, reason, detail) => {
        const token = handSigned(payload);
        const error = await strategy.validate(requestWith(token) as never, payload).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(TokenRefusedError);
        const result = diagnosed(error, token);
        expect(result.reason).toBe(reason);
        expect(result.detail).toMatch(detail);
      });

      it('accepts a token with sub, iat and exp within the lifetime cap', async () => {
        await expect(
          strategy.validate(requestWith(handSigned(claims)) as never, claims),
        ).resolves.toMatchObject({
          sub: 's',
          iss: settings.issuerUrl,
          exp: claims.exp,
        });
      });
    });
  });

  describe("jwks-rsa's SigningKeyNotFoundError", () => {
    const stranger = (payload: object = claims) =>
      handSigned(payload).replace(/^[^.]+/, b64({ alg: 'RS256', kid: 'other' }));
    const error = new SigningKeyNotFoundError('No key with kid "other"');

    it('names the kid, the known kids and when the JWKS was fetched', () => {
      expect(diagnosed(error, stranger())).toMatchObject({
        reason: 'unknown_signing_key',
        detail: `No key with kid "other" in the issuer's JWKS (${settings.jwksUri}, which has "k1"). The JWKS was fetched 3 s ago; an unknown kid refetches it at most every 10 s.`,
        evidence: { received: 'other' },
      });
    });

    it('hints at another tenant when the token names another issuer', () => {
      const token = stranger({ ...claims, iss: 'https://other-tenant.eu.auth0.com/' });
      expect(diagnosed(error, token).detail).toContain(
        'The token says it comes from "https://other-tenant.eu.auth0.com/", but this API trusts "https://tenant.eu.auth0.com/": a token from another tenant?',
      );
    });

    it('says so when the JWKS could not be fetched', () => {
      const down = { ...context, jwks: { ...jwks, lastFailure: 'HTTP 503' } };
      expect(diagnosed(error, stranger(), down).detail).toContain(
        'The JWKS could not be fetched (HTTP 503); keys cached before still work.',
      );
    });
  });

  describe("jsonwebtoken's errors, as the installed version throws them", () => {
    it('reports expiry with the time, by the error type and its expiredAt', () => {
      const error = verifyError(signed({ ...claims, iat: now - 3600, exp: now - 100 }));
      expect(diagnosed(error, 'x.y.z', { ...context, nowSeconds: now })).toMatchObject({
        reason: 'token_expired',
        detail: `The token expired at ${new Date((now - 100) * 1000).toISOString()} (100 s ago; clock tolerance 5 s).`,
      });
    });

    it('reports nbf in the future, by the error type and its date', () => {
      const error = verifyError(signed({ ...claims, nbf: now + 120 }));
      const result = diagnosed(error, 'x.y.z', { ...context, nowSeconds: now });
      expect(result.reason).toBe('token_not_yet_valid');
      expect(result.detail).toContain('(nbf), 120 s from now');
    });

    it('reads an audience mismatch from the message, and tells an ID token from a token for another API', () => {
      const idToken = signed({ ...claims, aud: 'sample-spa', nonce: 'n' });
      const error = verifyError(idToken);
      expect((error as Error).message.startsWith(JSONWEBTOKEN_MESSAGES.audience)).toBe(true);
      expect(diagnosed(error, idToken).reason).toBe('id_token_used');
      const refreshed = signed({ ...claims, aud: 'sample-spa', azp: 'sample-spa' });
      expect(diagnosed(verifyError(refreshed), refreshed).reason).toBe('id_token_used');
      const otherApi = signed({ ...claims, aud: ['https://other.example.com'], scope: 'read:x' });
      expect(diagnosed(verifyError(otherApi), otherApi)).toMatchObject({
        reason: 'audience_mismatch',
        evidence: { expected: settings.audience, received: 'https://other.example.com' },
      });
      const userinfo = signed({ ...claims, aud: `${settings.issuerUrl}userinfo`, scope: 'openid' });
      expect(diagnosed(verifyError(userinfo), userinfo).detail).toContain(
        'only audience is the /userinfo URL',
      );
    });

    it('reads an issuer mismatch from the message and points out a trailing slash', () => {
      const noSlash = signed({ ...claims, iss: 'https://tenant.eu.auth0.com' });
      const error = verifyError(noSlash);
      expect((error as Error).message.startsWith(JSONWEBTOKEN_MESSAGES.issuer)).toBe(true);
      expect(diagnosed(error, noSlash)).toMatchObject({
        reason: 'issuer_mismatch',
        evidence: { expected: settings.issuerUrl, received: 'https://tenant.eu.auth0.com' },
      });
      expect(diagnosed(error, noSlash).detail).toContain('differ only by the trailing slash');
      const evil = signed({ ...claims, iss: 'https://evil.example.com/' });
      expect(diagnosed(verifyError(evil), evil).detail).not.toContain('trailing slash');
    });

    it('reads a bad signature from the message', () => {
      const [head, , signature] = signed().split('.');
      const tampered = `${head}.${b64({ ...claims, sub: 'admin' })}.${signature}`;
      const error = verifyError(tampered);
      expect((error as Error).message).toBe(JSONWEBTOKEN_MESSAGES.signature[0]);
      expect(diagnosed(error, tampered).reason).toBe('invalid_signature');
      const [h, p] = signed().split('.');
      const stripped = verifyError(`${h}.${p}.`);
      expect((stripped as Error).message).toBe(JSONWEBTOKEN_MESSAGES.signature[1]);
      expect(diagnosed(stripped, `${h}.${p}.`).reason).toBe('invalid_signature');
    });

    it('reads an algorithm that does not fit the key or the list from the message', () => {
      const token = signed();
      const notListed = verifyError(token, { algorithms: ['RS384'] });
      expect((notListed as Error).message).toMatch(JSONWEBTOKEN_MESSAGES.algorithm);
      expect(diagnosed(notListed, token).reason).toBe('algorithm_not_allowed');
      const wrongKeyType = verifyError(token, {}, ec.publicKey);
      expect((wrongKeyType as Error).message).toMatch(JSONWEBTOKEN_MESSAGES.algorithm);
      expect(diagnosed(wrongKeyType, token)).toMatchObject({
        reason: 'algorithm_not_allowed',
        evidence: { expected: ['RS256'], received: 'RS256' },
      });
    });

    it.each(['exp', 'nbf'])('reads a non-numeric %s from the message', (claim) => {
      const token = handSigned({ ...claims, [claim]: 'soon' });
      const error = verifyError(token);
      expect(JSONWEBTOKEN_MESSAGES.claimType).toContain((error as Error).message);
      expect(diagnosed(error, token)).toMatchObject({
        reason: 'malformed_token',
        detail: `The token's ${claim} claim is not a number of seconds.`,
      });
    });

    it('reports what else jsonwebtoken refuses as malformed_token', () => {
      const error = verifyError('aaaa.bbbb.cccc');
      expect(diagnosed(error, 'aaaa.bbbb.cccc').reason).toBe('malformed_token');
    });
  });

  it('never lets an unknown error become a 5xx, and keeps it as the cause', () => {
    Logger.overrideLogger(false);
    const boom = new TypeError('boom');
    const problem = diagnose(boom, requestWith(signed()), context);
    expect(problem).toBeInstanceOf(AuthProblemException);
    expect(problem.reason).toBe('malformed_token');
    expect(problem.getStatus()).toBe(401);
    expect(problem.cause).toBe(boom);
  });
});
