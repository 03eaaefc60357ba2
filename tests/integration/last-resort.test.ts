// @vitest-environment node
/**
 * The process's last resort (issue 9): a fault that is not input (a bug) reaches the
 * process-level handler, which logs the error's name only, never its message or stack,
 * closes the database, and exits with 70 (EX_SOFTWARE) for its supervisor to restart it
 * (docs/operations.md, systemd `Restart=always`). Nothing stored before the fault is lost.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  ROOT,
  connect,
  registerPlan,
  removeDir,
  spawnServer,
  tempDir,
  waitFor,
  type ChildServer,
} from '../../harness/server.ts';

const FIXTURE = join(ROOT, 'tests/integration/fixtures/fault-on-signal.ts');
const dirs: string[] = [];
const children: ChildServer[] = [];
afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  for (const d of dirs) removeDir(d);
});

describe.each(['throw', 'reject'])('a fault that is not input (%s)', (fault) => {
  it('is logged by name, closes the database and exits 70; the plan is intact after a restart', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const env = { VARDE_DATA_DIR: dataDir, VARDE_TEST_FAULT: fault };
    const s = await spawnServer(env, { preload: [FIXTURE] });
    children.push(s);
    const owner = await registerPlan(s.url, 'Kari');
    const c = await connect(s, owner, 'plan');
    await c.synced();
    c.doc.getText('t').insert(0, 'written before the fault');
    const check = await connect(s, owner, 'plan');
    await waitFor(() => check.doc.getText('t').length > 0, { what: 'the edit stored' });
    check.destroy();

    s.child.kill('SIGUSR2');
    expect(await s.exited).toBe(70);
    c.destroy();
    const out = s.output();
    const failed = out.split('\n').find((l) => l.includes('"event":"process.failed"'));
    expect(JSON.parse(failed!)).toMatchObject({
      level: 'error',
      reason: fault === 'throw' ? 'uncaughtException' : 'unhandledRejection',
      error: 'TypeError',
    });
    expect(out).toContain('"event":"server.stopped"');
    expect(out).not.toContain('FAULT-SECRET');
    expect(out).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace

    const again = await spawnServer({ VARDE_DATA_DIR: dataDir });
    children.push(again);
    const fresh = await connect(again, owner, 'plan');
    await waitFor(() => fresh.doc.getText('t').toString() === 'written before the fault', {
      what: 'the edit after the restart',
    });
    fresh.destroy();
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 60_000);
});
