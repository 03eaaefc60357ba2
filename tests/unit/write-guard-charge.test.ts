/**
 * The write guard charges each struct of an update two possible splits (write-guard.ts
 * `SPLITS_PER`), so a large upload can be charged more than the doc cap while its real size is
 * well under it. Such an update is tried on the shadow and measured, not refused on its charge:
 * a device sharing a large plan for the first time must get it onto the server.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate } from '../../sync-server/sync/messages.ts';
import { WriteGuard } from '../../sync-server/sync/write-guard.ts';
import { DEFAULTS } from '../../sync-server/config.ts';
import { mulberry32 } from '../../harness/random.ts';

const CAPS = { maxDocBytes: DEFAULTS.maxDocBytes, maxDocStructs: DEFAULTS.maxDocStructs };

/** A plan typed phrase by phrase at its start: structs that cannot merge, about `bytes` encoded. */
function typedDoc(bytes: number): Y.Doc {
  const rand = mulberry32(7);
  const doc = new Y.Doc();
  const text = doc.getText('body');
  while (Y.encodeStateAsUpdate(doc).byteLength < bytes) {
    doc.transact(() => {
      for (let i = 0; i < 500; i++) text.insert(0, `we walk the phrase ${1e6 + Math.floor(rand() * 1e6)}. `);
    });
  }
  return doc;
}

describe('an upload charged more than the doc cap', () => {
  it('is accepted when the doc it makes is under the cap, and refused when it is not', async () => {
    const plan = typedDoc(DEFAULTS.maxDocBytes * 0.33);
    const update = Y.encodeStateAsUpdate(plan);
    // Within one frame's struct budget, so a device can send it whole.
    const counts = checkUpdate(update, DEFAULTS.maxUpdateStructs, true);
    // Its charge alone passes the cap: two possible splits of up to 40 bytes a struct.
    expect(update.byteLength + 80 * counts.structs).toBeGreaterThan(DEFAULTS.maxDocBytes);

    const live = new Y.Doc();
    const guard = new WriteGuard(live, CAPS); // over an empty doc: nothing to load
    const admission = guard.admit(update, counts);
    expect(admission.verdict).toBe('accepted');
    if (admission.verdict !== 'accepted') return;
    Y.applyUpdate(live, admission.update);
    guard.applied();
    expect(live.getText('body').toString()).toBe(plan.getText('body').toString());

    // Another device's long text on top would pass the cap: tried, measured, refused.
    const other = new Y.Doc();
    other.getText('notes').insert(0, 'x'.repeat(DEFAULTS.maxDocBytes * 0.7));
    const second = Y.encodeStateAsUpdate(other);
    const later = new WriteGuard(live, CAPS);
    await later.load([Y.encodeStateAsUpdate(live)], (job) => Promise.resolve(job()));
    expect(later.admit(second, checkUpdate(second, DEFAULTS.maxUpdateStructs, true)).verdict).toBe(
      'docTooLarge',
    );
  });
});
