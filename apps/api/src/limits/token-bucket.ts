/** What one request costs a bucket, and what to tell the client about it. */
export interface RateDecision {
  readonly allowed: boolean;
  /** Requests a full bucket holds: the per-minute limit. */
  readonly limit: number;
  /** Whole requests left after this one. */
  readonly remaining: number;
  /** Seconds until the bucket is full again (0 when it is). */
  readonly resetSeconds: number;
  /** Seconds until the next request would be allowed (≥ 1); meaningful when refused. */
  readonly retryAfterSeconds: number;
}

export interface TokenBucketOptions {
  /** Most buckets kept; beyond it the least recently used is dropped, so a spray of addresses cannot grow memory. */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const MINUTE_MS = 60_000;

/**
 * Token buckets in memory, one per key (client address, API key): each holds a minute's worth of requests and
 * refills continuously at `perMinute` per minute, so a client may burst up to the limit, then runs at the rate.
 * Per process: N instances allow N × the limit. Buckets idle long enough to be full again are forgotten (a fresh
 * bucket is the same thing), and the map never holds more than `maxKeys`.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>(); // insertion order = least recently used first
  private readonly perMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private lastSweep: number;

  constructor(
    readonly perMinute: number,
    options: TokenBucketOptions = {},
  ) {
    if (!(perMinute > 0)) throw new Error('perMinute must be positive');
    this.perMs = perMinute / MINUTE_MS;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
    this.lastSweep = this.now();
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string): RateDecision {
    const now = this.now();
    if (now - this.lastSweep >= MINUTE_MS) this.sweep(now);
    const bucket = this.bucketFor(key, now);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    return {
      allowed,
      limit: this.perMinute,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil((this.perMinute - bucket.tokens) / this.perMs / 1000),
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)),
    };
  }

  /** Forgets buckets that have refilled completely; they are walked oldest first, so it stops at the first live one. */
  sweep(now = this.now()): void {
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.perMs < this.perMinute) break;
      this.buckets.delete(key);
    }
  }

  private bucketFor(key: string, now: number): Bucket {
    const existing = this.buckets.get(key);
    if (existing) {
      this.buckets.delete(key); // re-inserted below: most recently used last
      existing.tokens = Math.min(this.perMinute, existing.tokens + (now - existing.updatedAt) * this.perMs);
      existing.updatedAt = now;
      this.buckets.set(key, existing);
      return existing;
    }
    if (this.buckets.size >= this.maxKeys) {
      this.sweep(now);
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    }
    const bucket = { tokens: this.perMinute, updatedAt: now };
    this.buckets.set(key, bucket);
    return bucket;
  }
}
