/**
 * Compaction's merge (sync-server/sync/room.ts `mergeLogInTurns`) folds a log into a snapshot
 * equal to it, dropping deleted content, takes more than one turn for a large log, and writes
 * the snapshot in pieces that each apply fully (in-turns.ts).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PIECE_STRUCTS } from '../../sync-server/sync/in-turns.ts';
import { mergeLogInTurns } from '../../sync-server/sync/room.ts';

/** A doc from a snapshot's pieces, applied one by one; each must leave nothing waiting. */
function fromPieces(pieces: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const piece of pieces) {
    Y.applyUpdate(doc, piece);
    expect(doc.store.pendingStructs).toBeNull();
    expect(Y.decodeUpdate(piece).structs.length).toBeLessThanOrEqual(PIECE_STRUCTS);
  }
  return doc;
}

function log(n: number): Uint8Array[] {
  const d = new Y.Doc();
  const updates: Uint8Array[] = [];
  d.on('update', (u: Uint8Array) => updates.push(u));
  const text = d.getText('t');
  for (let i = 0; i < n; i++) {
    text.insert(text.length, `line ${i} `);
    d.getMap('keys').set(`k${i}`, i);
  }
  text.delete(0, 100);
  d.getMap('m').set('gone', 'x'.repeat(10_000));
  d.getMap('m').delete('gone');
  return updates;
}

describe('merging a log in turns', () => {
  it('gives the same doc as applying the log, without the deleted content, in several turns', async () => {
    const updates = log(20_000);
    let turns = 0;
    const merged = await mergeLogInTurns(updates, async (job) => {
      turns++;
      await new Promise((r) => setImmediate(r));
      return job();
    });
    const expected = new Y.Doc();
    for (const u of updates) Y.applyUpdate(expected, u);
    const got = fromPieces(merged);
    expect(got.getText('t').toString()).toBe(expected.getText('t').toString());
    expect(got.getMap('keys').toJSON()).toEqual(expected.getMap('keys').toJSON());
    expect(got.getMap('m').size).toBe(0);
    const mergedBytes = merged.reduce((n, u) => n + u.byteLength, 0);
    expect(mergedBytes).toBeLessThan(updates.reduce((n, u) => n + u.byteLength, 0));
    expect(turns).toBeGreaterThan(2); // the applying took slices, and the encode a turn
    // 40,000 map entries: more than one piece.
    expect(merged.length).toBeGreaterThan(2);
  });

  it('skips an entry that does not apply and keeps the rest', async () => {
    const updates = log(5);
    const merged = await mergeLogInTurns(
      [updates[0]!, new Uint8Array([1, 2, 3]), ...updates.slice(1)],
      (job) => Promise.resolve(job()),
    );
    expect(fromPieces(merged).getMap('keys').size).toBe(5);
  });
});
