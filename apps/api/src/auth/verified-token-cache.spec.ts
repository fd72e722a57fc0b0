import { VerifiedTokenCache } from './verified-token-cache';

describe('VerifiedTokenCache', () => {
  it('answers until expiresAtMs, then forgets the token', () => {
    const cache = new VerifiedTokenCache<string>(10);
    cache.set('t', { value: 'user', kid: 'k', expiresAtMs: 1_000 });
    expect(cache.get('t', 999)?.value).toBe('user');
    expect(cache.get('t', 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('matches the whole token only', () => {
    const cache = new VerifiedTokenCache<string>(10);
    cache.set('aaa.bbb.ccc', { value: 'user', kid: 'k', expiresAtMs: Number.MAX_SAFE_INTEGER });
    expect(cache.get('aaa.bbb.ccd')).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const cache = new VerifiedTokenCache<number>(2);
    for (const n of [1, 2, 3])
      cache.set(`t${n}`, { value: n, kid: 'k', expiresAtMs: Number.MAX_SAFE_INTEGER });
    expect(cache.size).toBe(2);
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t3')?.value).toBe(3);
  });

  it('caches nothing with a size of 0', () => {
    const cache = new VerifiedTokenCache<number>(0);
    cache.set('t', { value: 1, kid: 'k', expiresAtMs: Number.MAX_SAFE_INTEGER });
    expect(cache.get('t')).toBeUndefined();
  });
});
