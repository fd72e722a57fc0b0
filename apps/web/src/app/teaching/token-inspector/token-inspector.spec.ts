import { webcrypto } from 'node:crypto';
import { TestBed } from '@angular/core/testing';
import { provideAuth0 } from '@auth0/auth0-angular';
import { RuntimeConfig } from '../../config/runtime-config';
import {
  TEST_CONFIG,
  TEST_CONFIG_JSON,
  fakeAuth0Client,
  fakeAuth0Providers,
} from '../../../testing/fake-auth0-client';
import { loadedRuntimeConfig } from '../../../testing/loaded-runtime-config';
import { readableText } from '../../../testing/readable-text';
import { fakeJwt } from '../testing/fake-jwt';
import { TokenInspector } from './token-inspector';

// RFC 7638 section 3.1: an RSA public key and its SHA-256 thumbprint.
const KEY = {
  kty: 'RSA',
  n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  e: 'AQAB',
};
const THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

describe('TokenInspector', () => {
  // jsdom has no SubtleCrypto; the thumbprint (SHA-256) runs on Node's, as browsers run it on theirs.
  beforeAll(() =>
    Object.defineProperty(globalThis.crypto, 'subtle', { value: webcrypto.subtle, configurable: true }),
  );

  async function render(options: { useDpop: boolean; cnf?: Record<string, string> }) {
    const accessToken = fakeJwt({
      iss: TEST_CONFIG.issuer,
      aud: TEST_CONFIG.audience,
      exp: Math.floor(Date.now() / 1000) + 3600,
      ...(options.cnf ? { cnf: options.cnf } : {}),
    });
    const client = fakeAuth0Client({ signedIn: true, token: accessToken });
    // A proof as the SDK makes it: its header carries the public key of the browser's DPoP key.
    client.generateDpopProof.mockResolvedValue(
      fakeJwt({ htm: 'GET' }, { typ: 'dpop+jwt', alg: 'RS256', jwk: KEY }),
    );
    TestBed.configureTestingModule({
      providers: [
        provideAuth0(),
        ...fakeAuth0Providers(client, { ...TEST_CONFIG, useDpop: options.useDpop }),
        {
          provide: RuntimeConfig,
          useValue: loadedRuntimeConfig({ ...TEST_CONFIG_JSON, useDpop: options.useDpop }),
        },
      ],
    });
    const fixture = TestBed.createComponent(TokenInspector);
    const root = fixture.nativeElement as HTMLElement;
    const region = () => root.querySelector('section[aria-labelledby="binding-heading"]');
    for (
      let attempt = 0;
      attempt < 20 && !/Match|Mismatch|No cnf/.test(region()?.textContent ?? '');
      attempt++
    ) {
      await fixture.whenStable();
      await new Promise((resolve) => setTimeout(resolve));
    }
    await fixture.whenStable();
    return { client, binding: readableText(region() ?? root) };
  }

  it("says Match when the token's cnf.jkt is the thumbprint of this browser's DPoP key, and shows both", async () => {
    const { binding } = await render({ useDpop: true, cnf: { jkt: THUMBPRINT } });
    expect(binding).toContain(`Access token's cnf.jkt ${THUMBPRINT}`);
    expect(binding).toContain(`This browser's DPoP key (thumbprint) ${THUMBPRINT}`);
    expect(binding).toContain("Match: cnf.jkt is the thumbprint of this browser's DPoP key");
  });

  it('says Mismatch when the token is bound to another key', async () => {
    const { binding } = await render({ useDpop: true, cnf: { jkt: 'another-key-thumbprint' } });
    expect(binding).toContain(
      `Mismatch: cnf.jkt is another-key-thumbprint, but this browser's DPoP key is ${THUMBPRINT}`,
    );
  });

  it('with useDpop off, asks the SDK for no key and calls the token a bearer token', async () => {
    const { binding, client } = await render({ useDpop: false });
    expect(binding).toContain("Access token's cnf.jkt none (a bearer token)");
    expect(binding).toContain('none: useDpop is off in config.json');
    expect(binding).toContain('No cnf.jkt: a bearer token');
    expect(client.generateDpopProof).not.toHaveBeenCalled();
  });
});
