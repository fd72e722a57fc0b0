import { DpopNonces } from './nonce';

describe('DpopNonces', () => {
  const secret = new Uint8Array(32).fill(1);
  let nowMs = Date.UTC(2026, 0, 1, 12, 0, 0);
  const nonces = () => new DpopNonces({ secret, stepSeconds: 300, now: () => nowMs });

  beforeEach(() => {
    nowMs = Date.UTC(2026, 0, 1, 12, 0, 0);
  });

  it('accepts its own nonce in the same step', async () => {
    const subject = nonces();
    expect(await subject.isValid(await subject.current())).toBe(true);
  });

  it('accepts the previous step, refuses older ones', async () => {
    const subject = nonces();
    const nonce = await subject.current();
    nowMs += 300_000;
    expect(await subject.isValid(nonce)).toBe(true);
    nowMs += 300_000;
    expect(await subject.isValid(nonce)).toBe(false);
  });

  it('refuses a nonce from a future step', async () => {
    const subject = nonces();
    nowMs += 600_000;
    const future = await subject.current();
    nowMs -= 600_000;
    expect(await subject.isValid(future)).toBe(false);
  });

  it('needs no state: another instance with the same secret accepts it', async () => {
    expect(await nonces().isValid(await nonces().current())).toBe(true);
  });

  it('refuses a nonce of another secret, or a changed one', async () => {
    const otherSecret = new DpopNonces({
      secret: new Uint8Array(32).fill(2),
      stepSeconds: 300,
      now: () => nowMs,
    });
    const subject = nonces();
    expect(await subject.isValid(await otherSecret.current())).toBe(false);
    const nonce = await subject.current();
    const changed = `${nonce.slice(0, -1)}${nonce.endsWith('A') ? 'B' : 'A'}`;
    expect(await subject.isValid(changed)).toBe(false);
  });

  it('refuses what is not a nonce', async () => {
    const subject = nonces();
    for (const value of [undefined, 42, '', 'x'.repeat(100), 'abc', 'zz.short']) {
      expect(await subject.isValid(value)).toBe(false);
    }
  });

  it('refuses a short secret and a bad step', () => {
    expect(() => new DpopNonces({ secret: new Uint8Array(16), stepSeconds: 300, now: Date.now })).toThrow(
      /at least 32 bytes \(got 16\)/,
    );
    expect(() => new DpopNonces({ secret, stepSeconds: 0, now: Date.now })).toThrow(/stepSeconds/);
  });
});
