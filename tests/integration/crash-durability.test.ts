// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, runCrashDurability, summary } from '../../harness/crash.ts';

describe('crash durability', () => {
  it('loses no update any client received, across 10 SIGKILLs of the server under write load', async () => {
    const options = { ...DEFAULT_OPTIONS, runs: 10, seed: 42, maxKillMs: 1200, runsPerPlan: 5 };
    const r = await runCrashDurability(options);
    const text = summary(options, r);
    expect(r.failures, text).toEqual([]);
    expect([r.passed, r.failed, r.lost, r.finalMissing, r.damaged, r.auditBreaks], text).toEqual([
      10, 0, 0, 0, 0, 0,
    ]);
    // The kills really came under load: clients had received updates before most of them.
    expect(r.acknowledged, text).toBeGreaterThan(500);
    expect(r.finalKeys, text).toBe(r.acknowledged);
  }, 120_000);
});
