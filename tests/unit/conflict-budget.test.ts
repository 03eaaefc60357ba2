/**
 * Yjs's placing of concurrent items walks the crowd they land in, so an update's cost grows
 * with the square of a crowd a writer built from many client ids (sync-server/sync/
 * conflict-budget.ts). The write guard applies each update under a budget of walking steps:
 * such an update is refused (and the guard's copy rebuilt) instead of holding the event loop
 * for seconds; honest concurrent typing and a whole plan's first upload walk next to nothing,
 * and what the budget lets through is placed exactly as Yjs places it.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { crowdUpdate } from '../../harness/frames/frames.ts';
import { Random } from '../../harness/random.ts';
import {
  ConflictBudgetExceeded,
  MAX_CONFLICT_STEPS,
  withConflictBudget,
} from '../../sync-server/sync/conflict-budget.ts';
import { checkUpdate } from '../../sync-server/sync/messages.ts';
import { WriteGuard } from '../../sync-server/sync/write-guard.ts';

const CAPS = { maxDocBytes: 8 << 20, maxDocStructs: 100_000 };
const check = (u: Uint8Array) => checkUpdate(u, 20_000, true);

const crowd = crowdUpdate;

describe('the conflict budget', () => {
  it('refuses an update that would walk a crowd of concurrent items, and the doc takes edits after', async () => {
    // A crowd built before the budget existed (as a stored log would hold it).
    const live = new Y.Doc();
    Y.applyUpdate(live, crowd(5_000, 1_000));
    const guard = new WriteGuard(live, CAPS);
    await guard.load([Y.encodeStateAsUpdate(live)], (job) => Promise.resolve(job()));
    // 1,000 more from higher client ids: each would walk all 5,000 (5 million steps).
    const more = crowd(1_000, 1_000_000);
    expect(guard.admit(more, check(more)).verdict).toBe('refused');
    expect(guard.needsRebuild).toBe(true);
    expect(
      await guard.rebuild(
        (job) => Promise.resolve(job()),
        async () => [Y.encodeStateAsUpdate(live)],
      ),
    ).toBe(true);
    // An honest edit after it: typed at the end of the text, it walks nothing.
    const device = new Y.Doc();
    Y.applyUpdate(device, Y.encodeStateAsUpdate(live));
    const sv = Y.encodeStateVector(device);
    device.getText('crowd').insert(device.getText('crowd').length, ' and a walk');
    const edit = Y.encodeStateAsUpdate(device, sv);
    expect(guard.admit(edit, check(edit)).verdict).toBe('accepted');
  });

  it('refuses building such a crowd in one update', () => {
    const guard = new WriteGuard(new Y.Doc(), CAPS);
    const built = crowd(2_000, 1_000);
    expect(guard.admit(built, check(built)).verdict).toBe('refused');
  });

  it('lets honest concurrent typing at one spot through, and a whole plan uploaded at once', () => {
    const rnd = new Random(11);
    const base = new Y.Doc();
    base.getText('t').insert(0, 'Walk every day.');
    const devices = [1, 2, 3].map(() => {
      const d = new Y.Doc();
      Y.applyUpdate(d, Y.encodeStateAsUpdate(base));
      return d;
    });
    // Three people type 300 characters each at the same spot while offline.
    for (let i = 0; i < 300; i++) {
      for (const d of devices) d.getText('t').insert(10 + rnd.int(3), 'abc'[rnd.int(3)]!);
    }
    const live = new Y.Doc();
    const guard = new WriteGuard(live, CAPS);
    for (const u of [Y.encodeStateAsUpdate(base), ...devices.map((d) => Y.encodeStateAsUpdate(d))]) {
      const admission = guard.admit(u, check(u));
      expect(admission.verdict).toBe('accepted');
      if (admission.verdict !== 'accepted') return;
      Y.applyUpdate(live, admission.update);
      guard.applied();
    }
    const merged = new Y.Doc();
    for (const d of [base, ...devices]) Y.applyUpdate(merged, Y.encodeStateAsUpdate(d));
    expect(live.getText('t').toString()).toBe(merged.getText('t').toString());
  });

  it('places what it lets through exactly as Yjs does, and throws past the budget', () => {
    const devices = Array.from({ length: 6 }, (_, i) => {
      const d = new Y.Doc();
      d.clientID = 100 + i;
      d.getText('t').insert(0, `device ${i} `);
      d.getMap('m').set('k', i);
      return d;
    });
    const updates = devices.map((d) => Y.encodeStateAsUpdate(d));
    const plain = new Y.Doc();
    updates.forEach((u) => Y.applyUpdate(plain, u));
    const budgeted = new Y.Doc();
    withConflictBudget(MAX_CONFLICT_STEPS, () => updates.forEach((u) => Y.applyUpdate(budgeted, u)));
    expect(Buffer.from(Y.encodeStateAsUpdate(budgeted))).toEqual(Buffer.from(Y.encodeStateAsUpdate(plain)));
    const tight = new Y.Doc();
    Y.applyUpdate(tight, updates[0]!);
    expect(() => withConflictBudget(0, () => Y.applyUpdate(tight, updates[1]!))).toThrow(
      ConflictBudgetExceeded,
    );
  });
});
