import { TokenBucketLimiter } from './token-bucket';

/** A clock the test moves by hand: decisions depend on elapsed time only. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TokenBucketLimiter', () => {
  it('lets a full minute of requests through at once, then refuses with the wait for the next token', () => {
    const time = clock();
    const limiter = new TokenBucketLimiter(6, { now: time.now });
    const decisions = Array.from({ length: 7 }, () => limiter.take('a'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([5, 4, 3, 2, 1, 0, 0]);
    // 6 per minute: one token every 10 s; the bucket is full again 60 s after it was emptied.
    expect(decisions[6]).toMatchObject({ limit: 6, retryAfterSeconds: 10, resetSeconds: 60 });
  });

  it('refills continuously at the per-minute rate and never beyond a full bucket', () => {
    const time = clock();
    const limiter = new TokenBucketLimiter(60, { now: time.now });
    for (let i = 0; i < 60; i += 1) limiter.take('a');
    expect(limiter.take('a').allowed).toBe(false);
    time.advance(999);
    expect(limiter.take('a')).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    time.advance(1);
    expect(limiter.take('a')).toMatchObject({ allowed: true, remaining: 0 });
    time.advance(10 * 60_000);
    expect(limiter.take('a')).toMatchObject({ allowed: true, remaining: 59, resetSeconds: 1 });
  });

  it('keeps one bucket per key', () => {
    const limiter = new TokenBucketLimiter(1, { now: clock().now });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('says Retry-After is at least 1 s even when the next token is a few milliseconds away', () => {
    const time = clock();
    const limiter = new TokenBucketLimiter(60_000, { now: time.now }); // one token per millisecond
    for (let i = 0; i < 60_000; i += 1) limiter.take('a');
    expect(limiter.take('a')).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });

  it('forgets buckets that have been idle long enough to be full again', () => {
    const time = clock();
    const limiter = new TokenBucketLimiter(10, { now: time.now });
    for (let i = 0; i < 100; i += 1) limiter.take(`client-${i}`);
    time.advance(30_000);
    limiter.take('recent');
    expect(limiter.size).toBe(101);
    time.advance(30_000); // the first 100 are full again; "recent" is not
    limiter.take('recent');
    expect(limiter.size).toBe(1);
  });

  it('holds at most maxKeys buckets under a spray of addresses, dropping the least recently used', () => {
    const time = clock();
    const limiter = new TokenBucketLimiter(10, { now: time.now, maxKeys: 1000 });
    limiter.take('victim');
    limiter.take('victim');
    for (let i = 0; i < 100_000; i += 1) {
      limiter.take(`spray-${i}`);
      if (i % 10 === 0) limiter.take('victim-kept-alive');
    }
    expect(limiter.size).toBe(1000);
    // The bucket used throughout stays; the one untouched since the start was dropped (and starts full again).
    expect(limiter.take('victim-kept-alive').remaining).toBeLessThan(9);
    expect(limiter.take('victim').remaining).toBe(9);
  });
});
