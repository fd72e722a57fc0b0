/**
 * @jest-environment node
 */
// Node's WebCrypto: jsdom has no crypto.subtle, which the thumbprint needs.
import { fakeJwt } from '../testing/fake-jwt';
import { decodeToken } from './decoded-token';
import { boundKeyThumbprint, keyBindingCheck, proofKeyThumbprint, type BrowserDpopKey } from './key-binding';

// RFC 7638 section 3.1: this RSA key's SHA-256 thumbprint.
const RFC_7638_JWK = {
  kty: 'RSA',
  n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  e: 'AQAB',
  alg: 'RS256',
  kid: '2011-04-29',
};
const RFC_7638_THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

const ready: BrowserDpopKey = { state: 'ready', thumbprint: RFC_7638_THUMBPRINT };
const bound = decodeToken(fakeJwt({ sub: 'auth0|reader', cnf: { jkt: RFC_7638_THUMBPRINT } }));
const bearer = decodeToken(fakeJwt({ sub: 'auth0|reader' }));

describe('proofKeyThumbprint', () => {
  it("computes the RFC 7638 thumbprint of the proof header's jwk (the RFC's own example)", async () => {
    const proof = fakeJwt({ htm: 'GET' }, { typ: 'dpop+jwt', alg: 'RS256', jwk: RFC_7638_JWK });
    await expect(proofKeyThumbprint(proof)).resolves.toBe(RFC_7638_THUMBPRINT);
  });

  it('refuses a proof without a jwk', async () => {
    await expect(proofKeyThumbprint(fakeJwt({}, { typ: 'dpop+jwt', alg: 'ES256' }))).rejects.toThrow(
      'The DPoP proof has no jwk header',
    );
  });
});

describe('boundKeyThumbprint', () => {
  it('reads cnf.jkt, and null for a bearer token or a malformed cnf', () => {
    expect(boundKeyThumbprint(bound)).toBe(RFC_7638_THUMBPRINT);
    expect(boundKeyThumbprint(bearer)).toBeNull();
    expect(boundKeyThumbprint(decodeToken(fakeJwt({ cnf: 'jkt' })))).toBeNull();
    expect(boundKeyThumbprint(decodeToken('opaque-token'))).toBeNull();
  });
});

describe('keyBindingCheck', () => {
  it("says Match when cnf.jkt is this browser's key", () => {
    expect(keyBindingCheck(bound, ready)).toMatchObject({
      claim: 'cnf',
      status: 'ok',
      text: expect.stringMatching(/^Match: cnf\.jkt is the thumbprint of this browser's DPoP key/),
    });
  });

  it('says Mismatch, with both thumbprints and the API reason, when the token is bound to another key', () => {
    const check = keyBindingCheck(bound, { state: 'ready', thumbprint: 'other-key' });
    expect(check).toMatchObject({ claim: 'cnf', status: 'fail' });
    expect(check?.text).toMatch(/^Mismatch: /);
    expect(check?.text).toContain(RFC_7638_THUMBPRINT);
    expect(check?.text).toContain('other-key');
    expect(check?.text).toContain('dpop_key_mismatch');
  });

  it('warns that a bound token goes out as Bearer when useDpop is off', () => {
    expect(keyBindingCheck(bound, { state: 'off' })).toMatchObject({
      status: 'warn',
      text: expect.stringContaining('key_bound_token'),
    });
  });

  it('warns about an unbound token although useDpop is on, and only informs when it is off', () => {
    expect(keyBindingCheck(bearer, ready)).toMatchObject({ status: 'warn' });
    expect(keyBindingCheck(bearer, { state: 'off' })).toMatchObject({ status: 'info' });
  });

  it('says nothing about an opaque token', () => {
    expect(keyBindingCheck(decodeToken('opaque-token'), ready)).toBeNull();
  });
});
