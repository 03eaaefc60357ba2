/**
 * The server keeps nothing waiting for missing dependencies (sync-server/sync/write-guard.ts
 * `dropPending`): of an update, it takes what the doc can integrate and leaves out (`lacking`)
 * what builds on structs it does not hold, which is taken once those have arrived. Found by a
 * CPU profile under the frame fuzz: a few KB that never resolved made every encode of the doc
 * a full merge.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { checkUpdate } from '../../sync-server/sync/messages.ts';
import { WriteGuard } from '../../sync-server/sync/write-guard.ts';

const CAPS = { maxDocBytes: 8 << 20, maxDocStructs: 100_000 };
const check = (u: Uint8Array) => checkUpdate(u, 20_000, true);

/** A guard over an empty live doc, and a way to admit and apply as the room does. */
function server() {
  const live = new Y.Doc();
  const guard = new WriteGuard(live, CAPS); // over an empty doc: nothing to load
  return {
    live,
    /** The verdict, with `+lacking` when an accepted update was taken only in part. */
    write(update: Uint8Array): string {
      const admission = guard.admit(update, check(update));
      if (admission.verdict !== 'accepted') return admission.verdict;
      Y.applyUpdate(live, admission.update);
      guard.applied();
      expect(live.store.pendingStructs).toBeNull();
      expect(live.store.pendingDs).toBeNull();
      return admission.lacking ? 'accepted+lacking' : 'accepted';
    },
  };
}

/** Two pages of one person: the second gets the first's edits directly, not through the server. */
function twoPages() {
  const first = new Y.Doc();
  const second = new Y.Doc();
  const fromFirst: Uint8Array[] = [];
  const fromSecond: Uint8Array[] = [];
  first.on('update', (u: Uint8Array) => {
    fromFirst.push(u);
    Y.applyUpdate(second, u, 'first');
  });
  second.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin === null) fromSecond.push(u);
  });
  return { first, second, fromFirst, fromSecond };
}

describe('updates that need what the server does not hold', () => {
  it('are not taken while what they build on is missing, and are once it has arrived', () => {
    const s = server();
    const p = twoPages();
    p.first.getText('t').insert(0, 'Walk ');
    p.second.getText('t').insert(5, 'every day'); // after the first page's text
    const [insert] = p.fromFirst;
    const [after] = p.fromSecond;
    expect(s.write(after!)).toBe('lacking');
    expect(s.live.getText('t').toString()).toBe('');
    expect(s.write(insert!)).toBe('accepted');
    expect(s.write(after!)).toBe('accepted');
    expect(s.live.getText('t').toString()).toBe('Walk every day');
    expect(s.live.store.pendingStructs).toBeNull();
  });

  it('tells a deletion of text the server has not seen, a gap in a client, and a right origin', () => {
    const s = server();
    const p = twoPages();
    p.first.getText('t').insert(0, 'abc');
    p.first.getText('t').insert(3, 'def'); // a second update of the same client
    p.second.getText('t').delete(1, 1);
    const [abc, def] = p.fromFirst;
    const [deletion] = p.fromSecond;
    expect(s.write(deletion!)).toBe('lacking');
    expect(s.write(def!)).toBe('lacking'); // starts at clock 3 of a client the server lacks
    expect(s.write(abc!)).toBe('accepted');
    expect(s.write(def!)).toBe('accepted');
    expect(s.write(deletion!)).toBe('accepted');
    expect(s.write(deletion!)).toBe('held');
    expect(s.live.getText('t').toString()).toBe('acdef');
    // Once the server holds everything, an edit beside it is taken at once.
    p.first.getMap('m').set('x', 1);
    p.second.getText('t').insert(0, '>');
    const before = p.fromSecond[p.fromSecond.length - 1]!;
    expect(s.write(before)).toBe('accepted'); // its neighbours are all on the server
    expect(s.live.store.pendingStructs).toBeNull();
    expect(s.live.store.pendingDs).toBeNull();
  });

  it('of an update with parts that can be integrated and parts that cannot, takes the first', () => {
    const s = server();
    const p = twoPages();
    p.first.getText('t').insert(0, 'Walk');
    const [walk] = p.fromFirst;
    const lone = new Y.Doc();
    lone.getMap('m').set('mine', 1);
    // One update: an edit of a page the server knows nothing of, and one after "Walk".
    p.second.getText('t').insert(4, ' daily');
    const both = Y.mergeUpdates([Y.encodeStateAsUpdate(lone), p.fromSecond[0]!]);
    expect(s.write(both)).toBe('accepted+lacking');
    expect(s.live.getMap('m').get('mine')).toBe(1);
    expect(s.live.getText('t').toString()).toBe('');
    expect(s.write(walk!)).toBe('accepted');
    expect(s.write(both)).toBe('accepted');
    expect(s.live.getText('t').toString()).toBe('Walk daily');
  });

  it('a whole sync step 2 of the page that has both is taken at once', () => {
    const s = server();
    const p = twoPages();
    p.first.getText('t').insert(0, 'Call Kari');
    p.second.getText('t').insert(9, ' at six');
    const diff = Y.encodeStateAsUpdate(p.second, Y.encodeStateVector(s.live));
    expect(s.write(diff)).toBe('accepted');
    expect(s.live.getText('t').toString()).toBe('Call Kari at six');
  });

  it('an item whose parent is an item of a client the doc has never seen is lacking', () => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1); // one client
    encoding.writeVarUint(e, 1); // one struct
    encoding.writeVarUint(e, 7); // client 7
    encoding.writeVarUint(e, 0); // clock 0
    encoding.writeUint8(e, 4 | 32); // a string in a map, parent given by id
    encoding.writeVarUint(e, 0); // the parent is an item...
    encoding.writeVarUint(e, 99); // ...of client 99
    encoding.writeVarUint(e, 5);
    encoding.writeVarString(e, 'key');
    encoding.writeVarString(e, 'value');
    encoding.writeVarUint(e, 0); // empty delete set
    const update = encoding.toUint8Array(e);
    const s = server();
    expect(s.write(update)).toBe('lacking');
    expect(s.live.store.pendingStructs).toBeNull();
    expect(s.live.getMap('key').size).toBe(0);
  });
});
