/**
 * The warm-up after a start (sync-server/sync/warm-up.ts) runs to its end: every round
 * builds, checks, applies, cuts into pieces and measures its invented doc, in many turns. It
 * once threw on its first step (two root types of one name), and since the server only logs
 * `server.warmUpFailed`, every first large input met cold code (125 ms, bench/hostile-stalls.ts).
 */
import { describe, expect, it } from 'vitest';
import { warmUp } from '../../sync-server/sync/warm-up.ts';

describe('the warm-up', () => {
  it('runs to its end, in many turns', async () => {
    let turns = 0;
    await expect(
      warmUp((job) => {
        turns++;
        return Promise.resolve(job());
      }, 20_000),
    ).resolves.toBeUndefined();
    expect(turns).toBeGreaterThan(6);
  });
});
