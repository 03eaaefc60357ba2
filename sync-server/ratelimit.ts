/** Token buckets: `capacity` tokens, refilled at `perSecond`; one take per event. */
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

  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Seconds until the next take can succeed. */
  retryAfter(): number {
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond));
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

  stop(): void {
    clearInterval(this.sweep);
  }
}
