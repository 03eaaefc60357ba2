/**
 * The CI size of the server fuzz (docs/reliability.md "Convergence fuzzing"): seeded
 * scenarios of 3–5 devices against the real sync server, most with the server in this
 * process (graceful restarts), some with it as a child process restarted mostly by SIGKILL.
 * Scenarios are kept short here; `npm run fuzz -- --runs 10000` runs full-length ones.
 * A failure names its seed: replay it with `npm run fuzz -- --runs 1 --seed S` and keep it
 * in server-regressions.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { describeFailure, runScenario, type ScenarioOptions } from '../../harness/convergence/scenario.ts';

/** Seeds per test, and how many run at once: waits (offline stretches, back-off) overlap. */
const BATCH = 40;
const PARALLEL = 20;
/** Short scripts: CI proves the machinery on many seeds; the long run goes deep. */
const STEPS = (seed: number) => 12 + (seed % 13);

async function runAll(seeds: number[], options: Omit<ScenarioOptions, 'seed'>, parallel = PARALLEL) {
  const failures: string[] = [];
  let next = 0;
  const lane = async (i: number) => {
    // Staggered: plan setup is the costliest part; all lanes at once would stall the loop.
    await new Promise((r) => setTimeout(r, i * 300));
    while (next < seeds.length) {
      const seed = seeds[next++]!;
      const result = await runScenario({ ...options, seed, steps: STEPS(seed) });
      if (!result.ok) failures.push(describeFailure(result, 30));
    }
  };
  await Promise.all(Array.from({ length: parallel }, (_, i) => lane(i)));
  return failures;
}

const range = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);

describe('devices syncing through the real server, fuzzed', () => {
  it.each([1, 41, 81, 121, 161])(
    'converge with nothing lost on 40 seeds from %i while members send hostile frames (server in this process, graceful restarts)',
    async (first) => {
      const failures = await runAll(range(first, BATCH), {
        mode: 'inprocess',
        hostile: true,
      });
      expect(failures.join('\n\n')).toBe('');
    },
    180_000,
  );

  it('converge with nothing lost on 4 seeds whose server process is killed with SIGKILL, with hostile members', async () => {
    const failures = await runAll([5000, 5001, 5002, 5003], { mode: 'child', hostile: true }, 4);
    expect(failures.join('\n\n')).toBe('');
  }, 180_000);
});
