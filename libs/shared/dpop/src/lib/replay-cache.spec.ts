import { DpopReplayCache } from './replay-cache';

describe('DpopReplayCache', () => {
  it('accepts an id once while it lasts', () => {
    const cache = new DpopReplayCache({ maxEntries: 10 });
    expect(cache.remember('a', 2_000, 1_000)).toBe(true);
    expect(cache.remember('a', 2_000, 1_500)).toBe(false);
  });

  it('forgets an id once it expired (the iat check refuses that proof by then)', () => {
    const cache = new DpopReplayCache({ maxEntries: 10 });
    cache.remember('a', 2_000, 1_000);
    expect(cache.remember('a', 4_000, 2_000)).toBe(true);
  });

  it('drops expired entries as new ones arrive', () => {
    const cache = new DpopReplayCache({ maxEntries: 10 });
    cache.remember('a', 2_000, 1_000);
    cache.remember('b', 2_500, 1_000);
    cache.remember('c', 9_000, 3_000);
    expect(cache.size).toBe(1);
  });

  it('stays within maxEntries, forgetting the oldest and counting it', () => {
    const cache = new DpopReplayCache({ maxEntries: 2 });
    cache.remember('a', 9_000, 1_000);
    cache.remember('b', 9_000, 1_000);
    cache.remember('c', 9_000, 1_000);
    expect(cache.size).toBe(2);
    expect(cache.evictedEarly).toBe(1);
    expect(cache.remember('b', 9_000, 1_000)).toBe(false);
  });

  it('refuses a size below 1', () => {
    expect(() => new DpopReplayCache({ maxEntries: 0 })).toThrow(
      /maxEntries must be a whole number >= 1 \(got 0\)/,
    );
  });
});
