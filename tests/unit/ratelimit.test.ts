/** Token buckets (sync-server/ratelimit.ts): what a client may spend, and when it refills. */
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../sync-server/ratelimit.ts';

describe('a token bucket', () => {
  it('allows its burst, then its rate', () => {
    const b = new TokenBucket(3, 2, 0);
    expect([b.take(1, 0), b.take(1, 0), b.take(1, 0), b.take(1, 0)]).toEqual([true, true, true, false]);
    expect(b.take(1, 400)).toBe(false);
    expect(b.take(1, 500)).toBe(true);
  });

  it('gives nothing for the time an event waited its turn: a take stamped earlier refills nothing twice', () => {
    const b = new TokenBucket(2, 1, 0);
    expect(b.take(1, 10_000)).toBe(true); // full: 2 → 1
    // Events that arrived at 9,000 and 9,500 are handled only now, after the 10,000 take.
    expect(b.take(1, 9000)).toBe(true);
    expect(b.take(1, 9500)).toBe(false);
    // The clock did not move back: the next second refills one token, not 1.5.
    expect(b.take(1, 10_999)).toBe(false);
    expect(b.take(1, 11_000)).toBe(true);
  });

  it('does not take tokens away when the clock is set back (a step of a minute or more)', () => {
    const b = new TokenBucket(1, 1, 100_000);
    expect(b.take(1, 100_000)).toBe(true);
    expect(b.take(1, 20_000)).toBe(false); // the clock stepped back 80 s: a new start
    expect(b.take(1, 21_000)).toBe(true);
  });
});
