import { jwkThumbprint } from '@sample/dpop';
import { decodeProtectedHeader } from 'jose';
import type { DecodedToken } from './decoded-token';
import type { TokenCheck } from './token-checks';

/** What the inspector knows of this browser's DPoP key, which the SDK keeps (non-extractable) in IndexedDB. */
export type BrowserDpopKey =
  | { readonly state: 'loading' }
  /** `useDpop` is off in config.json: the SDK has no DPoP key. */
  | { readonly state: 'off' }
  /** The key's RFC 7638 thumbprint: what the auth server puts in `cnf.jkt` of the tokens it binds to it. */
  | { readonly state: 'ready'; readonly thumbprint: string }
  | { readonly state: 'error'; readonly message: string };

/**
 * The RFC 7638 thumbprint (SHA-256, base64url) of the public key in a DPoP proof's header: the SDK puts its key's
 * public JWK there, so a proof it made (and nobody sends) tells which key this browser holds.
 */
export async function proofKeyThumbprint(proof: string): Promise<string> {
  const { jwk } = decodeProtectedHeader(proof);
  if (!jwk) throw new Error('The DPoP proof has no jwk header');
  return jwkThumbprint(jwk);
}

/** The token's `cnf.jkt` (RFC 9449 section 6.1): the thumbprint of the key it is bound to, or null for a bearer token. */
export function boundKeyThumbprint(token: DecodedToken): string | null {
  if (token.kind !== 'jwt') return null;
  const cnf = token.payload['cnf'];
  const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>)['jkt'] : undefined;
  return typeof jkt === 'string' ? jkt : null;
}

/** Whether an access token is bound to a key, and to this browser's: a check on `cnf`, in words. */
export function keyBindingCheck(token: DecodedToken, key: BrowserDpopKey): TokenCheck | null {
  if (token.kind !== 'jwt') return null;
  const jkt = boundKeyThumbprint(token);
  if (!jkt) {
    return key.state === 'ready'
      ? {
          claim: 'cnf',
          status: 'warn',
          text:
            'No cnf.jkt: not bound, although useDpop is on. The auth server issued a bearer token (DPoP not allowed ' +
            'for this API in the tenant?), usable by whoever holds a copy.',
        }
      : {
          claim: 'cnf',
          status: 'info',
          text:
            'No cnf.jkt: a bearer token, usable by whoever holds a copy. useDpop in config.json binds tokens to a ' +
            'key that never leaves this browser (DPoP).',
        };
  }
  switch (key.state) {
    case 'ready':
      return key.thumbprint === jkt
        ? {
            claim: 'cnf',
            status: 'ok',
            text:
              `Match: cnf.jkt is the thumbprint of this browser's DPoP key (${jkt}). Every call needs a proof ` +
              'signed with that key, so a stolen copy of the token is refused.',
          }
        : {
            claim: 'cnf',
            status: 'fail',
            text:
              `Mismatch: cnf.jkt is ${jkt}, but this browser's DPoP key is ${key.thumbprint}. The token is bound to ` +
              'another key (another browser, or a key store cleared since): proofs from this browser get dpop_key_mismatch.',
          };
    case 'off':
      return {
        claim: 'cnf',
        status: 'warn',
        text:
          `Bound to the DPoP key ${jkt}, but useDpop is off in config.json, so this app has no key: sent as ` +
          'Bearer, the API refuses it (key_bound_token).',
      };
    case 'error':
      return {
        claim: 'cnf',
        status: 'warn',
        text: `Bound to the DPoP key ${jkt}; this browser's key could not be read (${key.message}).`,
      };
    case 'loading':
      return {
        claim: 'cnf',
        status: 'info',
        text: `Bound to the DPoP key ${jkt}; reading this browser's key…`,
      };
  }
}
