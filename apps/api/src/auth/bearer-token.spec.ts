import {
  bearerTokenFrom,
  checkJwsHeader,
  headerValues,
  presentedToken,
  presentedTokenOf,
  TokenRefusedError,
  type TokenCheck,
} from './bearer-token';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (header: unknown, claims: unknown = { sub: 's' }, signature = 'c2ln') =>
  `${b64(header)}.${b64(claims)}.${signature}`;

function checkOf(action: () => unknown): TokenCheck {
  try {
    action();
  } catch (error) {
    if (error instanceof TokenRefusedError) return error.check;
    throw error;
  }
  throw new Error('expected a TokenRefusedError');
}

describe('bearerTokenFrom', () => {
  it('returns the token of one Bearer header, scheme in any case, one or more spaces', () => {
    expect(bearerTokenFrom({ rawHeaders: ['Host', 'x', 'Authorization', 'Bearer abc.def.ghi'] })).toBe(
      'abc.def.ghi',
    );
    expect(bearerTokenFrom({ rawHeaders: ['authorization', 'BEARER   abc'] })).toBe('abc');
  });

  it.each([
    ['no header', ['Host', 'x']],
    ['two headers, even equal', ['Authorization', 'Bearer a', 'authorization', 'Bearer a']],
    ['another scheme', ['Authorization', 'Basic dXNlcg==']],
    ['no token', ['Authorization', 'Bearer ']],
    ['a token and garbage', ['Authorization', 'Bearer abc garbage']],
    ['characters a token cannot have', ['Authorization', 'Bearer ab"c']],
    ['a tab instead of a space', ['Authorization', 'Bearer\tabc']],
  ])('returns null for %s', (_name, rawHeaders) => {
    expect(bearerTokenFrom({ rawHeaders })).toBeNull();
  });
});

describe('presentedToken', () => {
  it('returns the token and scheme of one Bearer or DPoP header, scheme in any case', () => {
    expect(presentedToken({ rawHeaders: ['Authorization', 'Bearer abc'] })).toEqual({
      scheme: 'bearer',
      token: 'abc',
    });
    expect(presentedToken({ rawHeaders: ['authorization', 'dpop  abc.def'] })).toEqual({
      scheme: 'dpop',
      token: 'abc.def',
    });
  });

  it('takes only the schemes it is given (AUTH_DPOP)', () => {
    expect(presentedToken({ rawHeaders: ['Authorization', 'DPoP abc'] }, ['bearer'])).toBeNull();
    expect(presentedToken({ rawHeaders: ['Authorization', 'Bearer abc'] }, ['dpop'])).toBeNull();
  });

  it('returns null for two headers or a DPoP scheme with garbage', () => {
    expect(presentedToken({ rawHeaders: ['Authorization', 'DPoP a', 'Authorization', 'DPoP a'] })).toBeNull();
    expect(presentedToken({ rawHeaders: ['Authorization', 'DPoP a b'] })).toBeNull();
  });
});

describe('presentedTokenOf', () => {
  const both = ['bearer', 'dpop'] as const;

  it('reads the headers once per request and schemes', () => {
    const rawHeaders = ['Authorization', 'Bearer abc'];
    const request = { rawHeaders };
    expect(presentedTokenOf(request, both)).toEqual({ scheme: 'bearer', token: 'abc' });
    rawHeaders[1] = 'Bearer changed';
    expect(presentedTokenOf(request, both)).toEqual({ scheme: 'bearer', token: 'abc' });
    expect(presentedTokenOf({ rawHeaders: ['Authorization', 'Bearer other'] }, both)?.token).toBe('other');
  });

  it('works the answer out again for other schemes, and remembers a missing token too', () => {
    const bearerOnly = ['bearer'] as const;
    const request = { rawHeaders: ['Authorization', 'DPoP abc'] };
    expect(presentedTokenOf(request, bearerOnly)).toBeNull();
    request.rawHeaders[1] = 'Bearer abc';
    expect(presentedTokenOf(request, bearerOnly)).toBeNull();
    request.rawHeaders[1] = 'DPoP abc';
    expect(presentedTokenOf(request, both)).toEqual({ scheme: 'dpop', token: 'abc' });
  });
});

describe('headerValues', () => {
  it('returns every value of a header, whatever its case', () => {
    expect(headerValues({ rawHeaders: ['DPoP', 'a', 'Host', 'x', 'dpop', 'b'] }, 'dpop')).toEqual(['a', 'b']);
    expect(headerValues({ rawHeaders: ['Host', 'x'] }, 'dpop')).toEqual([]);
  });
});

describe('checkJwsHeader', () => {
  it("returns a well-formed token's alg and kid", () => {
    expect(checkJwsHeader(jwt({ alg: 'RS256', kid: 'k1' }), ['RS256'])).toEqual({ alg: 'RS256', kid: 'k1' });
  });

  it.each<[string, string, TokenCheck]>([
    ['no dots (opaque)', 'abcdefghijklmnop', 'compact_form'],
    ['five parts (JWE)', 'a.b.c.d.e', 'compact_form'],
    ['two parts', 'a.b', 'compact_form'],
    ['a header that is not JSON', 'abc.def.ghi', 'header'],
    ['non-base64url characters', `${b64({ alg: 'RS256', kid: 'k' })}+.${b64({})}.sig`, 'header'],
    ['a header without alg', jwt({ kid: 'k' }), 'header'],
    ['alg none', jwt({ alg: 'none', kid: 'k' }, {}, ''), 'algorithm'],
    ['HS256', jwt({ alg: 'HS256', kid: 'k' }), 'algorithm'],
    ['ES256 when only RS256 is allowed', jwt({ alg: 'ES256', kid: 'k' }), 'algorithm'],
    ['a crit header', jwt({ alg: 'RS256', kid: 'k', crit: ['b64'] }), 'crit'],
    ['no kid', jwt({ alg: 'RS256' }), 'kid'],
    ['an empty kid', jwt({ alg: 'RS256', kid: '' }), 'kid'],
    ['an oversized kid', jwt({ alg: 'RS256', kid: 'k'.repeat(257) }), 'kid'],
    ['a numeric kid', jwt({ alg: 'RS256', kid: 7 }), 'kid'],
    ['a payload that is an array', jwt({ alg: 'RS256', kid: 'k' }, [1]), 'payload'],
    ['an empty signature', jwt({ alg: 'RS256', kid: 'k' }, {}, ''), 'signature'],
    ['over 8192 characters', jwt({ alg: 'RS256', kid: 'k' }, { pad: 'x'.repeat(9000) }), 'length'],
  ])('refuses %s', (_name, token, check) => {
    expect(checkOf(() => checkJwsHeader(token, ['RS256']))).toBe(check);
  });
});
