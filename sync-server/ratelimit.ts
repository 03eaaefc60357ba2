/** How far back a take's time may be and still count as an earlier moment, not a clock step. */
const CLOCK_STEP_MS = 60_000;

/** Token buckets: `capacity` tokens, refilled at `perSecond`; an event takes one or more. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now = Date.now(),
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  private refill(now: number): void {
    // A take stamped a little earlier than the last (an event that waited its turn, stamped
    // when it arrived) refills nothing and leaves the clock where it is, so waiting cannot
    // earn tokens twice. A clock set back further (NTP) must not take tokens away: it restarts.
    if (now < this.last && this.last - now < CLOCK_STEP_MS) return;
    const elapsed = Math.max(0, now - this.last);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed / 1000) * this.perSecond);
    this.last = now;
  }

  /**
   * Takes `cost` tokens (a frame is 1, a byte budget takes the frame's length). Fails, taking
   * nothing, when fewer are left; a cost above the capacity never succeeds.
   */
  take(cost = 1, now = Date.now()): boolean {
    this.refill(now);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Seconds until a take of `cost` can succeed. */
  retryAfter(cost = 1): number {
    return Math.max(1, Math.ceil((cost - this.tokens) / this.perSecond));
  }

  /** Milliseconds until a take of `cost` can succeed (0 when it can now). */
  waitMs(cost = 1, now = Date.now()): number {
    this.refill(now);
    return this.tokens >= cost ? 0 : Math.ceil(((cost - this.tokens) / this.perSecond) * 1000);
  }

  full(now = Date.now()): boolean {
    return this.tokens + ((now - this.last) / 1000) * this.perSecond >= this.capacity;
  }
}

/** One bucket per key (a client address); full buckets are forgotten so the map stays small. */
export class KeyedRateLimiter {
  private buckets = new Map<string, TokenBucket>();
  private readonly sweep: ReturnType<typeof setInterval>;
  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {
    this.sweep = setInterval(() => {
      const now = Date.now();
      for (const [k, b] of this.buckets) if (b.full(now)) this.buckets.delete(k);
    }, 60_000);
    this.sweep.unref();
  }

  /** Returns 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    let b = this.buckets.get(key);
    if (!b) {
      b = new TokenBucket(this.capacity, this.perSecond);
      this.buckets.set(key, b);
    }
    return b.take() ? 0 : b.retryAfter();
  }

  /** The number of keys with a bucket that is not full (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  stop(): void {
    clearInterval(this.sweep);
  }
}
