import { fakeJwt } from '../testing/fake-jwt';
import { base64UrlDecode, base64UrlEncode, decodeToken, tamperWithPayload } from './decoded-token';

describe('decodeToken', () => {
  it('decodes the header and payload of a signed JWT', () => {
    const token = fakeJwt({ sub: 'auth0|1', aud: 'https://api.sample.local', name: 'Zoë' });
    const decoded = decodeToken(token);
    expect(decoded).toEqual({
      kind: 'jwt',
      raw: token,
      header: { alg: 'RS256', typ: 'JWT', kid: 'key-1' },
      payload: { sub: 'auth0|1', aud: 'https://api.sample.local', name: 'Zoë' },
      signature: 'c2lnbmF0dXJl',
    });
  });

  it('detects an encrypted JWE (five parts), as Auth0 issues without an audience', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM' })).toString('base64url');
    const decoded = decodeToken(`${header}..iv.ciphertext.tag`);
    expect(decoded).toEqual({
      kind: 'encrypted',
      raw: `${header}..iv.ciphertext.tag`,
      header: { alg: 'dir', enc: 'A256GCM' },
    });
  });

  it.each([
    ['a random handle', 'mG0LHn8uJkq2bX1Zp9w4'],
    ['three parts that are not JSON', 'abc.def.ghi'],
    ['an empty string', ''],
  ])('calls %s opaque', (_what, token) => {
    expect(decodeToken(token).kind).toBe('opaque');
  });

  it('trims whitespace around a pasted token', () => {
    const token = fakeJwt({ sub: 'x' });
    expect(decodeToken(`  ${token}\n`).raw).toBe(token);
  });
});

describe('base64url', () => {
  it('round-trips UTF-8 without padding or unsafe characters', () => {
    const encoded = base64UrlEncode('{"name":"Zoë ~~~ ???"}');
    expect(encoded).not.toMatch(/[+/=]/);
    expect(base64UrlDecode(encoded)).toBe('{"name":"Zoë ~~~ ???"}');
  });
});

describe('tamperWithPayload', () => {
  it('changes the claims but keeps the original header and signature', () => {
    const token = fakeJwt({ sub: 'auth0|reader', permissions: ['read:messages'] });
    const tampered = tamperWithPayload(token, { permissions: ['read:messages', 'read:admin-messages'] });
    const [header, , signature] = token.split('.');
    expect(tampered.split('.')[0]).toBe(header);
    expect(tampered.split('.')[2]).toBe(signature);
    expect(decodeToken(tampered)).toMatchObject({
      kind: 'jwt',
      payload: { sub: 'auth0|reader', permissions: ['read:messages', 'read:admin-messages'] },
    });
  });

  it('refuses an opaque token', () => {
    expect(() => tamperWithPayload('opaque', {})).toThrow('Only a signed JWT');
  });
});
