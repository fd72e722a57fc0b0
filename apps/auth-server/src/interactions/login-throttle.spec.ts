import { LoginThrottle, retryText } from './login-throttle';

const MINUTE = 60_000;

describe('LoginThrottle', () => {
  let time: number;
  const now = () => time;

  beforeEach(() => {
    time = Date.UTC(2030, 0, 1, 10, 0, 0);
  });

  describe('per account', () => {
    it('blocks the account after 5 failures in 15 minutes, until the oldest leaves the window', () => {
      const throttle = new LoginThrottle({ now });
      const first = time;
      for (let i = 0; i < 4; i += 1) {
        throttle.recordFailure('reader@example.com', '10.0.0.1');
        time += MINUTE;
      }
      expect(throttle.blocked('reader@example.com', '10.0.0.1')).toBeUndefined();
      throttle.recordFailure('reader@example.com', '10.0.0.1');
      // The same account from anywhere, whatever the case of the email.
      expect(throttle.blocked(' Reader@Example.com', '10.0.0.2')).toEqual({
        by: 'account',
        until: first + 15 * MINUTE,
      });
      expect(throttle.blocked('admin@example.com', '10.0.0.1')).toBeUndefined();
      time = first + 15 * MINUTE - 1;
      expect(throttle.blocked('reader@example.com', '10.0.0.1')).toBeDefined();
      time = first + 15 * MINUTE;
      expect(throttle.blocked('reader@example.com', '10.0.0.1')).toBeUndefined();
    });

    it('forgets the account failures after a good password, not the address failures', () => {
      const throttle = new LoginThrottle({ now, perClient: { failures: 6, windowMs: 15 * MINUTE } });
      for (let i = 0; i < 4; i += 1) throttle.recordFailure('reader@example.com', '10.0.0.1');
      throttle.recordSuccess('reader@example.com');
      for (let i = 0; i < 2; i += 1) throttle.recordFailure('reader@example.com', '10.0.0.1');
      expect(throttle.blocked('reader@example.com', '10.0.0.9')).toBeUndefined();
      expect(throttle.blocked('guest@example.com', '10.0.0.1')).toMatchObject({ by: 'client' });
    });
  });

  describe('per client address', () => {
    it('blocks an address after 20 failures over any accounts, IPv4-mapped or not', () => {
      const throttle = new LoginThrottle({ now });
      for (let i = 0; i < 19; i += 1) throttle.recordFailure(`user${i}@example.com`, '::ffff:10.0.0.1');
      expect(throttle.blocked('new@example.com', '10.0.0.1')).toBeUndefined();
      throttle.recordFailure('user19@example.com', '10.0.0.1');
      expect(throttle.blocked('new@example.com', '::ffff:10.0.0.1')).toEqual({
        by: 'client',
        until: time + 15 * MINUTE,
      });
      expect(throttle.blocked('new@example.com', '10.0.0.2')).toBeUndefined();
    });
  });

  describe('memory', () => {
    it('remembers at most maxTracked accounts and addresses, forgetting the least recently failed', () => {
      const throttle = new LoginThrottle({
        now,
        maxTracked: 3,
        perAccount: { failures: 1, windowMs: MINUTE },
      });
      throttle.recordFailure('a@example.com', '10.0.0.1');
      throttle.recordFailure('b@example.com', '10.0.0.1');
      throttle.recordFailure('c@example.com', '10.0.0.1');
      expect(throttle.size).toBe(3);
      expect(throttle.blocked('a@example.com', '10.0.0.2')).toBeUndefined();
      expect(throttle.blocked('b@example.com', '10.0.0.2')).toBeDefined();
    });

    it('drops failures once they leave the window', () => {
      const throttle = new LoginThrottle({ now });
      throttle.recordFailure('a@example.com', '10.0.0.1');
      expect(throttle.size).toBe(2);
      time += 15 * MINUTE;
      expect(throttle.blocked('a@example.com', '10.0.0.1')).toBeUndefined();
      expect(throttle.size).toBe(0);
    });
  });
});

describe('retryText', () => {
  it('says when to retry, in minutes or seconds, and at what time', () => {
    const now = Date.UTC(2030, 0, 1, 10, 0, 0);
    expect(retryText({ by: 'account', until: now + 14 * MINUTE + 1000 }, now)).toBe(
      'Try again in 15 minutes (at 10:14:01 UTC).',
    );
    expect(retryText({ by: 'client', until: now + 30_000 }, now)).toBe(
      'Try again in 30 seconds (at 10:00:30 UTC).',
    );
  });
});
