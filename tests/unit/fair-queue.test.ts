/**
 * The fair queue (sync-server/sync/fair-queue.ts) with a hand-driven event loop and clock: costly
 * jobs of one client address wait for each other, never for another address's, and no turn runs
 * past its slice while work is waiting.
 */
import { describe, expect, it } from 'vitest';
import { FairQueue } from '../../sync-server/sync/fair-queue.ts';

/** A queue whose turns run when `tick` is called, on a clock the jobs advance. */
function driven(sliceMs = 20) {
  let now = 0;
  const turns: (() => void)[] = [];
  const queue = new FairQueue(
    sliceMs,
    () => now,
    (f) => turns.push(f),
  );
  const ran: string[] = [];
  /** A job that takes `ms` and records `name` when it runs. */
  const job = (name: string, ms: number) => () => {
    ran.push(name);
    now += ms;
    return false;
  };
  /** Runs one turn of the "event loop"; false when nothing was scheduled. */
  const tick = () => {
    const f = turns.shift();
    f?.();
    return f !== undefined;
  };
  return { queue, job, ran, tick, turnsWaiting: () => turns.length };
}

describe('the fair queue', () => {
  it('never runs a job inside run(): the caller finishes first', () => {
    const q = driven();
    q.queue.run('a', q.job('a1', 1));
    expect(q.ran).toEqual([]);
    expect(q.queue.waiting).toBe(1);
    q.tick();
    expect(q.ran).toEqual(['a1']);
    expect(q.queue.waiting).toBe(0);
  });

  it('takes turns between addresses: one with many jobs does not hold back another', () => {
    const q = driven();
    for (let i = 1; i <= 5; i++) q.queue.run('attacker', q.job(`x${i}`, 400));
    q.queue.run('honest', q.job('h1', 400));
    while (q.tick());
    expect(q.ran).toEqual(['x1', 'h1', 'x2', 'x3', 'x4', 'x5']);
  });

  it('runs one costly job per turn, and many cheap ones in one turn up to the slice', () => {
    const q = driven(20);
    q.queue.run('a', q.job('big1', 400));
    q.queue.run('b', q.job('big2', 400));
    q.tick();
    expect(q.ran).toEqual(['big1']); // the event loop gets its turn before big2
    q.tick();
    expect(q.ran).toEqual(['big1', 'big2']);
    for (let i = 0; i < 10; i++) q.queue.run(`k${i}`, q.job(`small${i}`, 3));
    q.tick();
    expect(q.ran.length).toBe(2 + 7); // 7 × 3 ms passes the 20 ms slice
    while (q.tick());
    expect(q.ran.length).toBe(12);
  });

  it('keeps the order of one address’s jobs, and a job that asks to run again goes to the back', () => {
    const q = driven(0);
    let left = 3;
    q.queue.run('a', () => {
      q.ran.push(`conn1-${left}`);
      return --left > 0;
    });
    q.queue.run('a', q.job('conn2', 1));
    while (q.tick());
    expect(q.ran).toEqual(['conn1-3', 'conn2', 'conn1-2', 'conn1-1']);
  });

  it('goes on with the next job when one throws, and runOnce gives the result or the error', async () => {
    const q = driven();
    q.queue.run('a', () => {
      throw new Error('a bug');
    });
    const result = q.queue.runOnce('b', () => 42);
    const failure = q.queue.runOnce('c', () => {
      throw new TypeError('bad');
    });
    while (q.tick());
    await expect(result).resolves.toBe(42);
    await expect(failure).rejects.toThrow(TypeError);
    expect(q.queue.waiting).toBe(0);
  });
});
