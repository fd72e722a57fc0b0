import { DPOP_REASON_CODES, REASONS } from '@sample/contract';
import { resultFromError, resultFromResponse } from '../../api-result/api-result';
import { HttpErrorResponse, HttpHeaders, HttpResponse } from '@angular/common/http';
import { fakeJwt } from '../testing/fake-jwt';
import {
  DPOP_EXPERIMENTS,
  answerOf,
  answersText,
  meetsAnswers,
  proofFields,
  shortened,
} from './dpop-experiments';

const REQUEST = 'GET http://localhost:3000/api/messages/protected';
const ok = () => resultFromResponse(REQUEST, new HttpResponse({ status: 200, body: { message: 'hi' } }));
const refused = (reason: string) =>
  resultFromError(
    REQUEST,
    new HttpErrorResponse({
      status: 401,
      statusText: 'Unauthorized',
      headers: new HttpHeaders({ 'WWW-Authenticate': `DPoP error="invalid_dpop_proof"` }),
      error: { type: 'about:blank', title: 't', status: 401, detail: 'd', reason },
    }),
  );

describe('DPOP_EXPERIMENTS', () => {
  it('gives every experiment its own id, so each has its own button and run', () => {
    const ids = DPOP_EXPERIMENTS.map((experiment) => experiment.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("expects only the contract's 401 reasons: DPoP challenges, and key_bound_token for the Bearer downgrade", () => {
    for (const experiment of DPOP_EXPERIMENTS) {
      for (const answer of experiment.answers) {
        if (answer === 'ok') continue;
        expect(REASONS[answer].status).toBe(401);
        expect(
          experiment.scheme === 'Bearer' || (DPOP_REASON_CODES as readonly string[]).includes(answer),
        ).toBe(true);
      }
    }
  });

  it('covers each attack of the issue, and ends with the control', () => {
    const answers = DPOP_EXPERIMENTS.map((experiment) => answersText(experiment.answers));
    expect(answers).toEqual([
      'dpop_key_mismatch',
      'dpop_proof_missing',
      'key_bound_token',
      '200, then dpop_proof_replayed',
      'dpop_request_mismatch',
      'dpop_request_mismatch',
      '200',
    ]);
    expect(DPOP_EXPERIMENTS.at(-1)?.proof).toEqual({ kind: 'sdk' });
  });
});

describe('answerOf and meetsAnswers', () => {
  it("reads 'ok' for a 2xx and the problem's reason for a refusal", () => {
    expect(answerOf(ok())).toBe('ok');
    expect(answerOf(refused('dpop_key_mismatch'))).toBe('dpop_key_mismatch');
    expect(answerOf(refused('not_a_reason'))).toBeNull();
  });

  it('needs every answer, in order', () => {
    const replay = ['ok', 'dpop_proof_replayed'] as const;
    expect(meetsAnswers(replay, [ok(), refused('dpop_proof_replayed')])).toBe(true);
    expect(meetsAnswers(replay, [refused('dpop_proof_replayed'), ok()])).toBe(false);
    expect(meetsAnswers(replay, [ok(), ok()])).toBe(false);
    expect(meetsAnswers(replay, [ok()])).toBe(false);
  });
});

describe('proofFields', () => {
  it("lists the header's typ and alg and the payload's claims, in reading order", () => {
    const proof = fakeJwt(
      { jti: 'j-1', htm: 'GET', htu: 'http://localhost:3000/api/x', iat: 1, ath: 'hash' },
      { typ: 'dpop+jwt', alg: 'ES256', jwk: {} },
    );
    expect(proofFields(proof)).toEqual([
      ['typ', 'dpop+jwt'],
      ['alg', 'ES256'],
      ['htm', 'GET'],
      ['htu', 'http://localhost:3000/api/x'],
      ['iat', '1'],
      ['jti', 'j-1'],
      ['ath', 'hash'],
    ]);
  });

  it('says when the proof is not a JWT', () => {
    expect(proofFields('opaque')).toEqual([['proof', 'not a JWT (opaque)']]);
  });
});

describe('shortened', () => {
  it('keeps short values and shortens long ones, saying how long they were', () => {
    expect(shortened('short')).toBe('short');
    expect(shortened('a'.repeat(30), 4)).toBe('aaaa… (30 characters)');
  });
});
