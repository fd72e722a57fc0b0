import { REASONS, type ReasonCode } from '@sample/contract';
import type { ApiResult } from '../../api-result/api-result';
import { decodeToken } from '../token/decoded-token';

/** What the API must answer one request: 200, or a 401 with this `reason`. */
export type DpopAnswer = 'ok' | ReasonCode;

/** The `DPoP` header a case sends. */
export type DpopProofKind =
  /** Made by the SDK (`generateDpopProof`) for exactly this request. */
  | { readonly kind: 'sdk' }
  /** Made by the SDK, for another request (a captured proof): another path under `apiUrl`, or another method. */
  | { readonly kind: 'sdk_other_request'; readonly path?: string; readonly method?: string }
  /** Signed by a key the lab makes on the spot: the thief's device. */
  | { readonly kind: 'attacker' }
  /** No `DPoP` header at all. */
  | { readonly kind: 'none' };

/** One way to misuse a DPoP-bound token (or the control that uses it right), and what the API must answer. */
export interface DpopExperiment {
  /** Names the experiment; its button says "Reproduce <id>". */
  readonly id: string;
  readonly title: string;
  /** What the lab does, in plain words. */
  readonly mistake: string;
  /** The scheme of the `Authorization` header. */
  readonly scheme: 'DPoP' | 'Bearer';
  readonly proof: DpopProofKind;
  /** One answer per request: the replay case sends the same proof twice. */
  readonly answers: readonly DpopAnswer[];
  /** What to take away once it ran. */
  readonly lesson: string;
}

/** The API path every case calls: any valid access token may read it. */
export const DPOP_LAB_PATH = '/api/messages/protected';
/** The method every case uses. */
export const DPOP_LAB_METHOD = 'GET';

/** The DPoP experiments, in the order a thief would try them, then the control. */
export const DPOP_EXPERIMENTS: readonly DpopExperiment[] = [
  {
    id: 'dpop_key_mismatch',
    title: 'Replay a stolen DPoP token from another device',
    mistake:
      "Takes your bound access token, as a thief would copy it, and sends it with a proof that is right in every claim but signed by a fresh ES256 key this page just made (the thief's key): the SDK's key never leaves this browser.",
    scheme: 'DPoP',
    proof: { kind: 'attacker' },
    answers: ['dpop_key_mismatch'],
    lesson:
      "The token's cnf.jkt names the key it is bound to; the proof's key has another thumbprint, so the API refuses it. The SDK keeps its private key in IndexedDB as a non-extractable CryptoKey: a script can use it while it runs in this page, but cannot copy it, so a stolen token is useless elsewhere. Get a new token on the device that has the key.",
  },
  {
    id: 'dpop_proof_missing',
    title: 'Replay the stolen token without a proof',
    mistake: 'Sends your bound token as "Authorization: DPoP <token>" with no DPoP header.',
    scheme: 'DPoP',
    proof: { kind: 'none' },
    answers: ['dpop_proof_missing'],
    lesson:
      'A bound token alone proves nothing: every request needs a proof signed by its key, made for that request.',
  },
  {
    id: 'key_bound_token',
    title: 'Send the bound token as Bearer',
    mistake:
      'Sends your bound token as "Authorization: Bearer <token>", the downgrade a thief tries next: no proof needed, if the API lets it through.',
    scheme: 'Bearer',
    proof: { kind: 'none' },
    answers: ['key_bound_token'],
    lesson:
      'The token carries cnf, so the API refuses it as Bearer. An API that accepted a bound token as Bearer (some Bearer-only middleware does) would throw the binding away: a stolen token would work again.',
  },
  {
    id: 'dpop_proof_replayed',
    title: 'Reuse a proof',
    mistake:
      'Makes one proof with the SDK for GET /api/messages/protected and sends the same request twice with it, as someone replaying a captured request would.',
    scheme: 'DPoP',
    proof: { kind: 'sdk' },
    answers: ['ok', 'dpop_proof_replayed'],
    lesson:
      "The first request is accepted; the API then remembers the proof's jti until its iat leaves the window, and refuses it a second time. Make a new proof for every request, retries included (the SDK's generateDpopProof does: a new jti each time).",
  },
  {
    id: 'dpop_request_mismatch',
    title: 'Send a proof made for another URL',
    mistake:
      'Makes a proof with the SDK for GET /api/messages/public (htu) and sends it with a request to /api/messages/protected.',
    scheme: 'DPoP',
    proof: { kind: 'sdk_other_request', path: '/api/messages/public' },
    answers: ['dpop_request_mismatch'],
    lesson:
      "A proof names the one request it was made for (htm, htu): one captured on another endpoint cannot be used here. The API compares htu with its public URL (API_PUBLIC_URL), never with the request's Host header.",
  },
  {
    id: 'dpop_request_mismatch_method',
    title: 'Send a proof made for another method',
    mistake:
      'Makes a proof with the SDK for POST /api/messages/protected (htm) and sends it with a GET to the same URL.',
    scheme: 'DPoP',
    proof: { kind: 'sdk_other_request', method: 'POST' },
    answers: ['dpop_request_mismatch'],
    lesson:
      'The method is part of the proof too: a proof for a POST cannot be spent on a GET, or the reverse.',
  },
  {
    id: 'dpop_control',
    title: 'The control: a fresh proof from the SDK',
    mistake:
      'Does it right: your bound token as "Authorization: DPoP <token>" and a new proof the SDK signs with this browser\'s key for this request.',
    scheme: 'DPoP',
    proof: { kind: 'sdk' },
    answers: ['ok'],
    lesson:
      "The same token the other cases sent, with a proof signed by its key for this request: accepted. This is what the app's DPoP interceptor sends on every API call when useDpop is on.",
  },
];

/** What one answer is, in the experiment's terms: 'ok' for a 2xx, the problem's reason, or null for anything else. */
export function answerOf(result: ApiResult): DpopAnswer | null {
  if (result.ok) return 'ok';
  return result.problem?.reason ?? null;
}

/** True when every request got the answer the experiment expects, in order. */
export function meetsAnswers(expected: readonly DpopAnswer[], results: readonly ApiResult[]): boolean {
  return results.length === expected.length && results.every((result, i) => answerOf(result) === expected[i]);
}

/** An answer in words: "200" or "key_bound_token". */
export function answerText(answer: DpopAnswer): string {
  return answer === 'ok' ? '200' : answer;
}

/** The answers of one experiment in words: "200, then dpop_proof_replayed". */
export function answersText(answers: readonly DpopAnswer[]): string {
  return answers.map(answerText).join(', then ');
}

/** An answer's title from the contract ("Token bound to a key sent as Bearer"), or "accepted". */
export function answerTitle(answer: DpopAnswer): string {
  return answer === 'ok' ? 'accepted' : REASONS[answer].title;
}

/**
 * The DPoP proof's fields worth reading, for "what was sent": the header's typ and alg, and each payload claim.
 * @example proofFields(proof) // [['typ', 'dpop+jwt'], ['alg', 'ES256'], ['htm', 'GET'], ...]
 */
export function proofFields(proof: string): [string, string][] {
  const decoded = decodeToken(proof);
  if (decoded.kind !== 'jwt') return [['proof', `not a JWT (${decoded.kind})`]];
  const header: [string, string][] = ['typ', 'alg'].map((key) => [key, String(decoded.header[key])]);
  const payload: [string, string][] = ['htm', 'htu', 'iat', 'jti', 'ath', 'nonce']
    .filter((key) => decoded.payload[key] !== undefined)
    .map((key) => [key, String(decoded.payload[key])]);
  return [...header, ...payload];
}

/** `eyJhbGciOiJSUzI1NiIs… (812 characters)`: a long header value, shortened for the page. */
export function shortened(value: string, keep = 24): string {
  return value.length <= keep ? value : `${value.slice(0, keep)}… (${value.length} characters)`;
}
