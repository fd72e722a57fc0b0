import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  const START = Date.UTC(2030, 0, 1, 10, 0, 0);

  const limiter = () => {
    const clock = { now: START };
    return { clock, limiter: new RateLimiter({ capacity: 3, refillPerSecond: 1 }, () => clock.now) };
  };

  it('allows a burst of `capacity`, then refuses with retry-after', () => {
    const { limiter: rate } = limiter();
    expect(rate.take('a').headers).toEqual({
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '2',
      'x-ratelimit-reset': String(START / 1000 + 1),
    });
    expect(rate.take('a').headers['x-ratelimit-remaining']).toBe('1');
    const last = rate.take('a');
    expect(last).toMatchObject({ allowed: true, headers: { 'x-ratelimit-remaining': '0' } });
    expect(last.headers['x-ratelimit-reset']).toBe(String(START / 1000 + 3));
    const refused = rate.take('a');
    expect(refused).toEqual({
      allowed: false,
      headers: {
        'x-ratelimit-limit': '3',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(START / 1000 + 3),
        'retry-after': '1',
      },
    });
  });

  it('refills at refillPerSecond on the injected clock, never beyond capacity', () => {
    const { clock, limiter: rate } = limiter();
    for (let i = 0; i < 3; i += 1) rate.take('a');
    expect(rate.take('a').allowed).toBe(false);
    clock.now += 1_000;
    expect(rate.take('a')).toMatchObject({ allowed: true, headers: { 'x-ratelimit-remaining': '0' } });
    clock.now += 60_000;
    expect(rate.take('a').headers['x-ratelimit-remaining']).toBe('2');
  });

  it('says how long to wait when part of a request has refilled', () => {
    const { clock, limiter: rate } = limiter();
    for (let i = 0; i < 3; i += 1) rate.take('a');
    clock.now += 500;
    expect(rate.take('a').headers['retry-after']).toBe('1');
  });

  it('keeps a bucket per caller', () => {
    const { limiter: rate } = limiter();
    for (let i = 0; i < 3; i += 1) rate.take('a');
    expect(rate.take('a').allowed).toBe(false);
    expect(rate.take('b')).toMatchObject({ allowed: true, headers: { 'x-ratelimit-remaining': '2' } });
  });
});
