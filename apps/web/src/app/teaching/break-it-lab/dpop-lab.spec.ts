import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideAuth0 } from '@auth0/auth0-angular';
import { REASONS, parseSpaConfig, type ReasonCode } from '@sample/contract';
import { webcrypto } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { accessTokenInterceptorFn } from '../../auth/access-token-interceptor';
import { renewOnInvalidTokenFn } from '../../auth/renew-on-invalid-token';
import { RuntimeConfig } from '../../config/runtime-config';
import { TEST_CONFIG_JSON, fakeAuth0Client, fakeAuth0Providers } from '../../../testing/fake-auth0-client';
import { loadedRuntimeConfig } from '../../../testing/loaded-runtime-config';
import { readableText } from '../../../testing/readable-text';
import { settled } from '../../../testing/settled';
import { fakeJwt } from '../testing/fake-jwt';
import { cardText, reproduce } from '../testing/lab-experiment';
import { DpopLab } from './dpop-lab';

const URL = 'http://localhost:3000/api/messages/protected';
// RFC 9449 section 6.1's example key stands in for the SDK's key; the bound token names its thumbprint.
const SDK_KEY = {
  kty: 'EC',
  crv: 'P-256',
  x: 'l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs',
  y: '9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA',
};
const SDK_JKT = '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I';
const BOUND_TOKEN = fakeJwt({
  sub: 'auth0|demo-reader',
  aud: 'https://api.sample.local',
  cnf: { jkt: SDK_JKT },
});

interface ProofParams {
  readonly url: string;
  readonly method: string;
  readonly accessToken: string;
  readonly nonce?: string;
}

/** A proof shaped like the SDK's (signature not checked here: the API does that). */
function sdkProof({ url, method }: ProofParams, jti: string): string {
  return fakeJwt(
    { jti, htm: method, htu: url, iat: 1_800_000_000, ath: 'ath' },
    {
      typ: 'dpop+jwt',
      alg: 'ES256',
      jwk: SDK_KEY,
    },
  );
}

function decodedSegment(token: string | null, index: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token?.split('.')[index] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

describe('DpopLab', () => {
  let proofs = 0;

  beforeAll(() => {
    // jsdom has no crypto.subtle; the attacker case needs WebCrypto, as a browser has it.
    if (!globalThis.crypto.subtle) {
      Object.defineProperty(globalThis.crypto, 'subtle', { value: webcrypto.subtle, configurable: true });
    }
  });

  async function setUp(options: { useDpop?: boolean; token?: string } = {}) {
    proofs = 0;
    const json = { ...TEST_CONFIG_JSON, useDpop: options.useDpop ?? true };
    const client = Object.assign(
      fakeAuth0Client({ signedIn: true, token: options.token ?? BOUND_TOKEN, tokenType: 'DPoP' }),
      { generateDpopProof: jest.fn(async (params: ProofParams) => sdkProof(params, `sdk-jti-${++proofs}`)) },
    );
    TestBed.configureTestingModule({
      providers: [
        // The app's own interceptor chain (DPoP with useDpop on): the lab must not go through it.
        provideHttpClient(withInterceptors([renewOnInvalidTokenFn, accessTokenInterceptorFn])),
        provideHttpClientTesting(),
        provideAuth0(),
        ...fakeAuth0Providers(client, parseSpaConfig(json).config),
        { provide: RuntimeConfig, useValue: loadedRuntimeConfig(json) },
      ],
    });
    const fixture = TestBed.createComponent(DpopLab);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    return { fixture, root, client, controller: TestBed.inject(HttpTestingController) };
  }

  /**
   * Waits until the lab has sent its next request. Its token, proof and thumbprints are asynchronous, WebCrypto's on
   * a thread pool, so this polls for as long as the test may run (a busy machine takes longer), not a number of ticks.
   */
  async function request(controller: HttpTestingController): Promise<TestRequest> {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const [found] = controller.match(URL);
      if (found) return found;
    }
  }

  /** Answers like the API: 401, the problem body, and its DPoP challenge. */
  function refuse(sent: TestRequest, reason: ReasonCode): void {
    const { error, title, fix } = REASONS[reason];
    sent.flush(
      {
        type: `https://sample.local/problems/${reason}`,
        title,
        status: 401,
        detail: `detail of ${reason}`,
        reason,
        fix,
      },
      {
        status: 401,
        statusText: 'Unauthorized',
        headers: {
          'Content-Type': 'application/problem+json',
          'WWW-Authenticate': `DPoP error="${error ?? 'invalid_token'}", error_description="detail of ${reason}", algs="ES256"`,
        },
      },
    );
  }

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('with useDpop off, says how to turn it on and offers no button', async () => {
    const { root } = await setUp({ useDpop: false });
    const text = readableText(root);
    expect(text).toContain('DPoP is off: config.json has no "useDpop": true');
    expect(text).toContain('Reload this app and log in again');
    expect(text).toContain('Reuse a proof: 200, then dpop_proof_replayed');
    expect(root.querySelectorAll('button')).toHaveLength(0);
  });

  it("replays the stolen token with a proof signed by a fresh key (the thief's) and shows dpop_key_mismatch", async () => {
    const { fixture, root, client, controller } = await setUp();
    reproduce(root, 'dpop_key_mismatch');
    const sent = await request(controller);
    expect(sent.request.method).toBe('GET');
    // Exactly the lab's headers: the SDK interceptor, which would put "Bearer <token>" there, never ran.
    expect(sent.request.headers.get('Authorization')).toBe(`DPoP ${BOUND_TOKEN}`);
    const proof = sent.request.headers.get('DPoP');
    expect(decodedSegment(proof, 0)).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(decodedSegment(proof, 0)['jwk']).not.toEqual(SDK_KEY);
    expect(decodedSegment(proof, 1)).toMatchObject({ htm: 'GET', htu: URL });
    expect(client.generateDpopProof).not.toHaveBeenCalled();
    refuse(sent, 'dpop_key_mismatch');
    await settled(fixture);
    const text = cardText(root, 'dpop_key_mismatch');
    expect(text).toContain('The API answered dpop_key_mismatch, as expected.');
    expect(text).toContain(
      `The token's cnf.jkt is ${SDK_JKT}. The proof was signed by a key made on the spot`,
    );
    expect(text).toContain('not the key the token is bound to.');
    expect(text).toContain(`What to change: ${REASONS.dpop_key_mismatch.fix}`);
    expect(text).toContain('WWW-Authenticate: DPoP error="invalid_dpop_proof"');
  });

  it('sends the bound token with no DPoP header and shows dpop_proof_missing', async () => {
    const { fixture, root, controller } = await setUp();
    reproduce(root, 'dpop_proof_missing');
    const sent = await request(controller);
    expect(sent.request.headers.get('Authorization')).toBe(`DPoP ${BOUND_TOKEN}`);
    expect(sent.request.headers.has('DPoP')).toBe(false);
    refuse(sent, 'dpop_proof_missing');
    await settled(fixture);
    expect(cardText(root, 'dpop_proof_missing')).toContain(
      'The API answered dpop_proof_missing, as expected.',
    );
  });

  it('sends the bound token as Bearer, where the app would send DPoP, and shows key_bound_token', async () => {
    const { fixture, root, controller } = await setUp();
    // The control: a call through the app's HttpClient gets the DPoP scheme and a proof from its interceptor.
    const viaApp = firstValueFrom(TestBed.inject(HttpClient).get(URL));
    const intercepted = await request(controller);
    expect(intercepted.request.headers.get('Authorization')).toBe(`DPoP ${BOUND_TOKEN}`);
    expect(intercepted.request.headers.has('DPoP')).toBe(true);
    intercepted.flush({ message: 'protected' });
    await viaApp;

    reproduce(root, 'key_bound_token');
    const sent = await request(controller);
    expect(sent.request.headers.get('Authorization')).toBe(`Bearer ${BOUND_TOKEN}`);
    expect(sent.request.headers.has('DPoP')).toBe(false);
    refuse(sent, 'key_bound_token');
    await settled(fixture);
    expect(cardText(root, 'key_bound_token')).toContain('The API answered key_bound_token, as expected.');
  });

  it('sends one SDK proof twice: 200, then dpop_proof_replayed', async () => {
    const { fixture, root, client, controller } = await setUp();
    reproduce(root, 'dpop_proof_replayed');
    const first = await request(controller);
    first.flush({ message: 'protected' });
    const second = await request(controller);
    expect(client.generateDpopProof).toHaveBeenCalledTimes(1);
    expect(client.generateDpopProof).toHaveBeenCalledWith({
      url: URL,
      method: 'GET',
      accessToken: BOUND_TOKEN,
    });
    expect(second.request.headers.get('DPoP')).toBe(first.request.headers.get('DPoP'));
    refuse(second, 'dpop_proof_replayed');
    await settled(fixture);
    const text = cardText(root, 'dpop_proof_replayed');
    expect(text).toContain('The API answered 200, then dpop_proof_replayed, as expected.');
    expect(text).toContain('Sent 2 times');
    expect(text).toContain('jti sdk-jti-1');
    expect(text).toContain(
      `The token's cnf.jkt is ${SDK_JKT}. The proof was signed by the SDK's key (this browser's), thumbprint ${SDK_JKT}: the key the token is bound to.`,
    );
  });

  it('sends a proof the SDK made for another URL, then one for another method: dpop_request_mismatch', async () => {
    const { fixture, root, client, controller } = await setUp();
    reproduce(root, 'dpop_request_mismatch');
    refuse(await request(controller), 'dpop_request_mismatch');
    await settled(fixture);
    expect(client.generateDpopProof).toHaveBeenLastCalledWith({
      url: 'http://localhost:3000/api/messages/public',
      method: 'GET',
      accessToken: BOUND_TOKEN,
    });
    const text = cardText(root, 'dpop_request_mismatch');
    expect(text).toContain('The proof, made for GET http://localhost:3000/api/messages/public');
    expect(text).toContain('The API answered dpop_request_mismatch, as expected.');

    reproduce(root, 'dpop_request_mismatch_method');
    refuse(await request(controller), 'dpop_request_mismatch');
    await settled(fixture);
    expect(client.generateDpopProof).toHaveBeenLastCalledWith({
      url: URL,
      method: 'POST',
      accessToken: BOUND_TOKEN,
    });
    expect(cardText(root, 'dpop_request_mismatch_method')).toContain(
      'The API answered dpop_request_mismatch, as expected.',
    );
  });

  it('runs the control with a fresh SDK proof: 200', async () => {
    const { fixture, root, controller } = await setUp();
    reproduce(root, 'dpop_control');
    const sent = await request(controller);
    expect(sent.request.headers.get('Authorization')).toBe(`DPoP ${BOUND_TOKEN}`);
    expect(decodedSegment(sent.request.headers.get('DPoP'), 1)).toMatchObject({ htm: 'GET', htu: URL });
    sent.flush({ message: 'protected' });
    await settled(fixture);
    expect(cardText(root, 'dpop_control')).toContain('The API answered 200, as expected.');
  });

  it('says the auth server did not bind the token when it has no cnf.jkt', async () => {
    const { fixture, root, controller } = await setUp({ token: fakeJwt({ sub: 'auth0|demo-reader' }) });
    reproduce(root, 'dpop_control');
    refuse(await request(controller), 'dpop_token_not_bound');
    await settled(fixture);
    const text = cardText(root, 'dpop_control');
    expect(text).not.toContain('as expected');
    expect(text).toContain('The token has no cnf.jkt: it is not bound to any key.');
    expect(text).toContain('the auth server did not bind it');
  });

  it('names server nonces when the API asks for one', async () => {
    const { fixture, root, controller } = await setUp();
    reproduce(root, 'dpop_control');
    refuse(await request(controller), 'use_dpop_nonce');
    await settled(fixture);
    expect(cardText(root, 'dpop_control')).toContain('The API asks for a server nonce (AUTH_DPOP_NONCE)');
  });

  it('says what it got when the API answers otherwise', async () => {
    const { fixture, root, controller } = await setUp();
    reproduce(root, 'dpop_request_mismatch');
    (await request(controller)).flush({ message: 'protected' });
    await settled(fixture);
    expect(cardText(root, 'dpop_request_mismatch')).toContain(
      'The API answered 200, not dpop_request_mismatch',
    );
  });

  it('names the failure when the SDK has no token', async () => {
    const { fixture, root, client } = await setUp();
    client.getTokenSilently.mockRejectedValue(
      Object.assign(new Error('Login required'), { error: 'login_required' }),
    );
    reproduce(root, 'dpop_control');
    await settled(fixture);
    await settled(fixture);
    expect(cardText(root, 'dpop_control')).toContain(
      'Could not get the token or the proof for this experiment: login_required Login required',
    );
  });
});
