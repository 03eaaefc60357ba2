// @vitest-environment node
/**
 * Yjs updates that decode cleanly and still break a doc, found by fuzzing: the server's scan
 * and dry run (sync-server/sync/update-scan.ts, write-guard.ts) must refuse each before it is
 * stored, and leave the doc as it was. Named cases stay as regression tests.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { BadMessage, checkUpdate } from '../../sync-server/sync/messages.ts';
import { WriteGuard } from '../../sync-server/sync/write-guard.ts';
import { structFlood } from '../../harness/frames/frames.ts';
import { Random } from '../../harness/random.ts';
import { GC_PREFIX } from '../../harness/broken-updates.ts';

const MAX_STRUCTS = 200_000;
const CAPS = { maxDocBytes: 8 << 20, maxDocStructs: 1_000_000 };
/** Runs a job at once: these tests drive the guard's turns themselves. */
const inTurn = <T>(job: () => T) => Promise.resolve(job());

function state(doc: Y.Doc): string {
  return Buffer.from(Y.encodeStateAsUpdate(doc)).toString('hex');
}

describe('updates that break Yjs', () => {
  it('refuses an item whose known prefix ends in a garbage-collected struct (seed 1 of the sweep)', async () => {
    // Plain Yjs throws halfway through and leaves the doc unable to round-trip.
    const plain = new Y.Doc();
    Y.applyUpdate(plain, GC_PREFIX.doc);
    expect(() => Y.applyUpdate(plain, GC_PREFIX.update)).toThrow(TypeError);

    const live = new Y.Doc();
    Y.applyUpdate(live, GC_PREFIX.doc);
    const before = state(live);
    const guard = new WriteGuard(live, CAPS);
    await guard.load([GC_PREFIX.doc], inTurn);
    const checked = checkUpdate(GC_PREFIX.update, MAX_STRUCTS, true);
    expect(checked.empty).toBe(false);
    expect(guard.admit(GC_PREFIX.update, checked).verdict).toBe('refused');
    expect(state(live)).toBe(before);
    // Until its copy is rebuilt (in turns, write-guard.ts), the guard takes nothing.
    const honest = new Y.Doc();
    Y.applyUpdate(honest, GC_PREFIX.doc);
    const sv = Y.encodeStateVector(honest);
    honest.getMap('m').set('after', 1);
    const next = Y.encodeStateAsUpdate(honest, sv);
    expect(guard.admit(next, checkUpdate(next, MAX_STRUCTS, true)).verdict).toBe('busy');
    expect(guard.needsRebuild).toBe(true);
    expect(await guard.rebuild(inTurn, async () => [Y.encodeStateAsUpdate(live)])).toBe(true);
    // The rebuilt shadow takes honest updates again.
    expect(guard.admit(next, checkUpdate(next, MAX_STRUCTS, true)).verdict).toBe('accepted');
  });

  it('refuses an item that points at a later struct of its own client, before Yjs sees it', () => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1); // one client
    encoding.writeVarUint(e, 2); // two structs
    encoding.writeVarUint(e, 5); // client 5
    encoding.writeVarUint(e, 0); // from clock 0
    encoding.writeUint8(e, 4); // a string in a root type
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, 't');
    encoding.writeVarString(e, 'a');
    encoding.writeUint8(e, 4 | 128); // a string after...
    encoding.writeVarUint(e, 5);
    encoding.writeVarUint(e, 1); // ...itself
    encoding.writeVarString(e, 'b');
    encoding.writeVarUint(e, 0); // empty delete set
    const update = encoding.toUint8Array(e);
    expect(() => Y.applyUpdate(new Y.Doc(), update)).toThrow(TypeError);
    expect(() => checkUpdate(update, MAX_STRUCTS, true)).toThrow(BadMessage);
  });

  it('refuses a million one-byte structs by reading, without building them', () => {
    const frame = structFlood(1_000_000);
    const update = frame.subarray(5); // past the sync header and the length
    const started = performance.now();
    expect(() => checkUpdate(update, MAX_STRUCTS, true)).toThrow('too many structs');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('never lets a mutated update throw on the live doc or break its round trip (1,800 updates)', async () => {
    const rand = new Random(42);
    const stats = { badMessage: 0, refused: 0, accepted: 0 };
    const edit = (d: Y.Doc, n: number) => {
      for (let i = 0; i < n; i++) {
        const t = d.getText('t');
        const m = d.getMap('m');
        const a = d.getArray('a');
        switch (rand.int(5)) {
          case 0:
            t.insert(
              rand.int(t.length + 1),
              'abc'.slice(rand.int(3)) + rand.int(9),
              rand.chance(0.5) ? { b: 1 } : undefined,
            );
            break;
          case 1:
            if (t.length) t.delete(rand.int(t.length), 1 + rand.int(3));
            break;
          case 2:
            m.set('k' + rand.int(8), rand.chance(0.5) ? rand.int(99) : new Y.Map());
            break;
          case 3:
            a.insert(rand.int(a.length + 1), [rand.int(9), 'x']);
            break;
          case 4:
            if (a.length) a.delete(rand.int(a.length), 1);
            break;
        }
      }
    };
    for (let round = 0; round < 150; round++) {
      const origin = new Y.Doc();
      edit(origin, 10 + rand.int(30));
      const base = Y.encodeStateAsUpdate(origin);
      const live = new Y.Doc();
      Y.applyUpdate(live, base);
      const guard = new WriteGuard(live, CAPS);
      await guard.load([base], inTurn);
      const forks = [new Y.Doc(), new Y.Doc()];
      for (const f of forks) Y.applyUpdate(f, base);
      for (let k = 0; k < 12; k++) {
        const fork = rand.pick(forks)!;
        const sv = Y.encodeStateVector(live);
        edit(fork, 1 + rand.int(6));
        const update = Y.encodeStateAsUpdate(fork, rand.chance(0.7) ? sv : undefined);
        if (rand.chance(0.7)) {
          for (let j = 0, n = 1 + rand.int(4); j < n; j++) update[rand.int(update.length)] = rand.int(256);
        }
        let checked;
        try {
          checked = checkUpdate(update, MAX_STRUCTS, true);
        } catch {
          stats.badMessage++;
          continue;
        }
        const admission = guard.admit(update, checked);
        if (admission.verdict !== 'accepted') {
          stats.refused++;
          if (guard.needsRebuild) await guard.rebuild(inTurn, async () => [Y.encodeStateAsUpdate(live)]);
          continue;
        }
        stats.accepted++;
        Y.applyUpdate(live, admission.update); // must not throw
        guard.applied();
        // Nothing waits for structs that may never come (a pending backlog slows every encode).
        expect(live.store.pendingStructs).toBeNull();
        expect(live.store.pendingDs).toBeNull();
      }
      const reloaded = new Y.Doc();
      Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(live));
      expect(JSON.stringify(reloaded.toJSON())).toBe(JSON.stringify(live.toJSON()));
    }
    expect(stats.accepted).toBeGreaterThan(500);
    expect(stats.badMessage).toBeGreaterThan(300);
  });
});
