/**
 * A doc written in pieces (sync-server/sync/in-turns.ts `encodeInPieces`) builds the same doc
 * when its pieces are applied in order, each piece applies fully on the ones before it (nothing
 * waits for a later piece), and no piece holds more structs than asked. Seeded fuzz: several
 * devices edit text with marks, maps, arrays, nested types and XML, syncing now and then, so
 * structs name origins, right origins and parents across clients; then the server's copy
 * (garbage-collecting, as the server's docs are) is cut into pieces of 1 to 50 structs.
 * `applyInTurns` applies a list in several turns and skips (and counts) an entry that throws.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Random } from '../../harness/random.ts';
import { encodeInPieces, structsSince } from '../../core/updates/pieces.ts';
import { applyInTurns } from '../../sync-server/sync/in-turns.ts';
import { replicaDoc } from '../../sync-server/sync/replica-doc.ts';

/** One random edit on a device's doc. */
function edit(doc: Y.Doc, rnd: Random): void {
  const text = doc.getText('text');
  const map = doc.getMap<unknown>('map');
  const list = doc.getArray<unknown>('list');
  const xml = doc.getXmlFragment('xml');
  switch (rnd.int(9)) {
    case 0:
      text.insert(
        rnd.int(text.length + 1),
        rnd.pick(['a', 'bc', 'def ', '\n']),
        rnd.chance(0.3) ? { bold: true } : {},
      );
      break;
    case 1:
      if (text.length > 0) {
        const at = rnd.int(text.length);
        text.delete(at, Math.min(1 + rnd.int(4), text.length - at));
      }
      break;
    case 2:
      if (text.length > 0) {
        const at = rnd.int(text.length);
        text.format(at, Math.min(1 + rnd.int(5), text.length - at), {
          italic: rnd.chance(0.5) ? true : null,
        });
      }
      break;
    case 3:
      map.set(`k${rnd.int(8)}`, rnd.pick([1, 'two', { three: [3] }, null]));
      break;
    case 4:
      if (rnd.chance(0.5)) map.delete(`k${rnd.int(8)}`);
      else {
        const inner = new Y.Map<unknown>();
        inner.set('v', rnd.int(100));
        map.set(`m${rnd.int(3)}`, inner);
      }
      break;
    case 5: {
      const at = rnd.int(list.length + 1);
      if (rnd.chance(0.4)) {
        const inner = new Y.Text();
        inner.insert(0, 'nested');
        list.insert(at, [inner]);
      } else list.insert(at, [rnd.int(1000), 'x']);
      break;
    }
    case 6:
      if (list.length > 0) list.delete(rnd.int(list.length), 1);
      break;
    case 7: {
      // Edit inside a nested type: its items name the nested type's item as parent.
      const nested = list.toArray().filter((v): v is Y.Text => v instanceof Y.Text);
      const target = rnd.pick(nested);
      if (target) target.insert(rnd.int(target.length + 1), 'n');
      break;
    }
    case 8: {
      if (xml.length === 0 || rnd.chance(0.3)) {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText('para')]);
        xml.insert(rnd.int(xml.length + 1), [p]);
      } else {
        const p = xml.get(rnd.int(xml.length));
        const t = p instanceof Y.XmlElement ? p.get(0) : null;
        if (t instanceof Y.XmlText)
          t.insert(rnd.int(t.length + 1), 'w', rnd.chance(0.3) ? { bold: true } : undefined);
        else xml.delete(0, 1);
      }
      break;
    }
  }
}

/** A server's copy of a doc several devices edited (seeded). */
function editedDoc(seed: number): Y.Doc {
  return editedDocAndDevices(seed).server;
}

/** The same, with the devices, each at some state the server's copy has all of. */
function editedDocAndDevices(seed: number): { server: Y.Doc; devices: Y.Doc[] } {
  const rnd = new Random(seed);
  const devices = Array.from({ length: 2 + rnd.int(4) }, () => new Y.Doc());
  const server = replicaDoc();
  for (let step = 0; step < 300; step++) {
    const device = rnd.pick(devices)!;
    device.transact(() => {
      for (let n = 1 + rnd.int(3); n > 0; n--) edit(device, rnd);
    });
    if (rnd.chance(0.2)) {
      // Sync one device with the server both ways, as y-websocket does.
      const other = rnd.pick(devices)!;
      Y.applyUpdate(server, Y.encodeStateAsUpdate(other, Y.encodeStateVector(server)));
      Y.applyUpdate(other, Y.encodeStateAsUpdate(server, Y.encodeStateVector(other)));
    }
  }
  for (const d of devices) Y.applyUpdate(server, Y.encodeStateAsUpdate(d, Y.encodeStateVector(server)));
  return { server, devices };
}

const structsIn = (update: Uint8Array) => Y.decodeUpdate(update).structs.length;

describe('a doc in pieces', () => {
  it(
    'builds the same doc, each piece applying fully and within its size (seeded, 60 docs)',
    { timeout: 30_000 },
    () => {
      for (let seed = 1; seed <= 60; seed++) {
        const doc = editedDoc(seed);
        const max = [1, 2, 7, 50][seed % 4]!;
        const pieces = encodeInPieces(doc, max);
        const built = replicaDoc();
        for (const piece of pieces) {
          Y.applyUpdate(built, piece);
          // Nothing waits for a later piece.
          expect(built.store.pendingStructs, `seed ${seed}`).toBeNull();
          expect(built.store.pendingDs, `seed ${seed}`).toBeNull();
          expect(structsIn(piece)).toBeLessThanOrEqual(max);
        }
        expect(Buffer.from(Y.encodeStateAsUpdate(built)), `seed ${seed}`).toEqual(
          Buffer.from(Y.encodeStateAsUpdate(doc)),
        );
        expect(built.getText('text').toDelta()).toEqual(doc.getText('text').toDelta());
        expect(built.getMap('map').toJSON()).toEqual(doc.getMap('map').toJSON());
        expect(built.getArray('list').toJSON()).toEqual(doc.getArray('list').toJSON());
        expect(built.getXmlFragment('xml').toString()).toBe(doc.getXmlFragment('xml').toString());
        // More than one piece whenever the doc has more structs than one piece may hold.
        const structs = [...doc.store.clients.values()].reduce((n, s) => n + s.length, 0);
        expect(pieces.length).toBe(Math.ceil(structs / max));
      }
    },
  );

  it('holds, past a state vector, what a device at that state lacks, each piece applying fully on it (seeded, 40 docs)', () => {
    for (let seed = 100; seed < 140; seed++) {
      const { server, devices } = editedDocAndDevices(seed);
      for (const device of devices) {
        // The device knows part of the server's structs, often up to a clock inside one of them.
        const since = Y.decodeStateVector(Y.encodeStateVector(device));
        // What Yjs's own diff makes of the device (text formatting can differ from the server's
        // copy: a device cleans up formatting after its own transactions).
        const expected = new Y.Doc();
        Y.applyUpdate(expected, Y.encodeStateAsUpdate(device));
        Y.applyUpdate(expected, Y.encodeStateAsUpdate(server, Y.encodeStateVector(device)));
        const max = [1, 3, 20][seed % 3]!;
        const pieces = encodeInPieces(server, max, since);
        expect(pieces.length, `seed ${seed}`).toBe(Math.max(1, Math.ceil(structsSince(server, since) / max)));
        for (const piece of pieces) {
          Y.applyUpdate(device, piece);
          expect(device.store.pendingStructs, `seed ${seed}`).toBeNull();
          expect(device.store.pendingDs, `seed ${seed}`).toBeNull();
          expect(structsIn(piece)).toBeLessThanOrEqual(max);
        }
        expect(Y.encodeStateVector(device), `seed ${seed}`).toEqual(Y.encodeStateVector(server));
        // The same content. Not the same bytes or marks: structs meeting at a piece's edge may
        // stay apart, and Yjs cleans up a text's marks after each remote transaction, so marks
        // received in several updates may be cleaned up differently than in one (as in any sync).
        expect(device.getText('text').toString(), `seed ${seed}`).toBe(expected.getText('text').toString());
        expect(device.getMap('map').toJSON()).toEqual(server.getMap('map').toJSON());
        expect(device.getArray('list').toJSON()).toEqual(server.getArray('list').toJSON());
        expect(device.getXmlFragment('xml').toString()).toBe(server.getXmlFragment('xml').toString());
      }
      // A device that has everything gets one update holding only the delete set.
      const all = Y.decodeStateVector(Y.encodeStateVector(server));
      expect(structsSince(server, all)).toBe(0);
      const rest = encodeInPieces(server, 5, all);
      expect(rest).toHaveLength(1);
      expect(structsIn(rest[0]!)).toBe(0);
    }
  });

  it('is one update for a doc that fits in one piece, and for an empty doc', () => {
    const small = editedDoc(5);
    expect(encodeInPieces(small, 100_000)).toHaveLength(1);
    const pieces = encodeInPieces(replicaDoc(), 10);
    expect(pieces).toHaveLength(1);
    const built = replicaDoc();
    for (const p of pieces) Y.applyUpdate(built, p);
    expect(built.store.clients.size).toBe(0);
  });
});

describe('applying in turns', () => {
  it('skips and counts an entry that does not apply, and applies the rest', async () => {
    const source = editedDoc(7);
    const pieces = encodeInPieces(source, 1);
    const list = [...pieces.slice(0, 3), new Uint8Array([0, 1, 2, 3]), ...pieces.slice(3)];
    const doc = replicaDoc();
    const { damaged } = await applyInTurns(doc, list, (job) => Promise.resolve(job()));
    expect(damaged).toBe(1);
    expect(Buffer.from(Y.encodeStateAsUpdate(doc))).toEqual(Buffer.from(Y.encodeStateAsUpdate(source)));
  });

  it('takes several turns for a large doc, never dividing a piece', async () => {
    const source = replicaDoc();
    source.transact(() => {
      for (let i = 0; i < 60_000; i++) source.getMap('m').set(`k${i}`, i);
    });
    const pieces = encodeInPieces(source, 1_000);
    const doc = replicaDoc();
    const perTurn: number[] = [];
    await applyInTurns(doc, pieces, async (job) => {
      await new Promise((r) => setImmediate(r));
      const before = doc.store.clients.get(source.clientID)?.length ?? 0;
      const result = job();
      perTurn.push((doc.store.clients.get(source.clientID)?.length ?? 0) - before);
      return result;
    });
    expect(perTurn.length).toBeGreaterThan(1);
    for (const n of perTurn) expect(n % 1_000).toBe(0);
    expect(doc.getMap('m').size).toBe(60_000);
  });

  it('stops when the doc is no longer wanted', async () => {
    const pieces = encodeInPieces(editedDoc(3), 1);
    const doc = replicaDoc();
    let turns = 0;
    await applyInTurns(
      doc,
      pieces,
      (job) => (turns++, Promise.resolve(job())),
      () => turns < 1,
    );
    expect(turns).toBe(1);
  });
});
