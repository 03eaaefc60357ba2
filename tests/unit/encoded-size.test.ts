/**
 * `encodedSize(doc)` (sync-server/sync/encoded-size.ts), what the write guard measures a doc's
 * size with, equals `Y.encodeStateAsUpdate(doc).byteLength` exactly. Seeded fuzz: devices edit
 * text (with marks, embeds, emoji and lone surrogates), maps of any values, arrays with binary
 * and nested types, and XML; updates of every content ref from the frame fuzzer's generator
 * (harness/frames/yjs-content.ts) are applied on top; docs are measured garbage-collecting (as
 * the server's are) and not.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentUpdate } from '../../harness/frames/yjs-content.ts';
import { Random } from '../../harness/random.ts';
import { encodedSize, varUintSize } from '../../sync-server/sync/encoded-size.ts';
import { dropPending } from '../../sync-server/sync/write-guard.ts';

const TEXTS = ['a', 'Hei på deg ', 'ångest ', '🙂 ', '\ud800', '\udfff x', 'x'.repeat(12_000), '\n'];

function edit(doc: Y.Doc, rnd: Random): void {
  const text = doc.getText('text');
  const map = doc.getMap<unknown>('map');
  const list = doc.getArray<unknown>('list');
  const xml = doc.getXmlFragment('xml');
  switch (rnd.int(8)) {
    case 0:
      text.insert(rnd.int(text.length + 1), rnd.pick(TEXTS)!, rnd.chance(0.3) ? { bold: true } : {});
      break;
    case 1:
      if (text.length > 0) {
        const at = rnd.int(text.length);
        text.delete(at, Math.min(1 + rnd.int(40), text.length - at));
      }
      break;
    case 2:
      if (rnd.chance(0.5)) text.insertEmbed(rnd.int(text.length + 1), { image: rnd.pick(TEXTS) });
      else if (text.length > 0) text.format(0, Math.min(3, text.length), { link: rnd.pick(TEXTS) });
      break;
    case 3:
      map.set(
        rnd.pick(['k', 'ø', '🙂', 'x'.repeat(200)])!,
        rnd.pick([1, -(2 ** 40), 0.5, 'two', { three: [3, 'ü'] }, null, true, false, [1, [2]]]),
      );
      break;
    case 4:
      if (rnd.chance(0.5)) map.delete(rnd.pick(['k', 'ø', '🙂'])!);
      else map.set('bytes', new Uint8Array(rnd.int(300)).fill(7));
      break;
    case 5: {
      const at = rnd.int(list.length + 1);
      if (rnd.chance(0.3)) {
        const inner = new Y.Text();
        inner.insert(0, rnd.pick(TEXTS)!);
        list.insert(at, [inner]);
      } else if (rnd.chance(0.5)) list.insert(at, [new Uint8Array(rnd.int(200)).fill(1)]);
      else list.insert(at, [rnd.int(1000), 'x', { y: rnd.pick(TEXTS) }]);
      break;
    }
    case 6:
      if (list.length > 0) list.delete(rnd.int(list.length), 1);
      break;
    case 7: {
      const p = new Y.XmlElement(rnd.pick(['paragraph', 'heading'])!);
      p.setAttribute('level', String(rnd.int(3)));
      p.insert(0, [new Y.XmlText(rnd.pick(TEXTS))]);
      xml.insert(rnd.int(xml.length + 1), [p]);
      break;
    }
  }
}

function fuzzedDoc(seed: number, gc: boolean): Y.Doc {
  const rnd = new Random(seed);
  const devices = Array.from({ length: 1 + rnd.int(4) }, () => new Y.Doc());
  const doc = new Y.Doc({ gc });
  for (let step = 0; step < 150; step++) {
    const device = rnd.pick(devices)!;
    device.transact(() => edit(device, rnd));
    if (rnd.chance(0.2)) Y.applyUpdate(doc, Y.encodeStateAsUpdate(device, Y.encodeStateVector(doc)));
    if (rnd.chance(0.1)) {
      // Content of every ref, odd parents and all, as a hostile writer could store it.
      const c = contentUpdate(rnd);
      if (c.verdict !== 'refused') {
        try {
          Y.applyUpdate(doc, c.update);
        } catch {
          // An update Yjs throws on is refused by the guard; this doc stays as Yjs left it.
        }
        dropPending(doc);
      }
    }
  }
  for (const d of devices) Y.applyUpdate(doc, Y.encodeStateAsUpdate(d, Y.encodeStateVector(doc)));
  dropPending(doc);
  return doc;
}

describe('the encoded size of a doc', () => {
  it('is the byte length of its full encoding (seeded, 80 docs)', { timeout: 60_000 }, () => {
    for (let seed = 1; seed <= 80; seed++) {
      const doc = fuzzedDoc(seed, seed % 2 === 0);
      expect(encodedSize(doc), `seed ${seed}`).toBe(Y.encodeStateAsUpdate(doc).byteLength);
    }
  });

  it('is right for an empty doc and one with only deletions', () => {
    const doc = new Y.Doc();
    expect(encodedSize(doc)).toBe(Y.encodeStateAsUpdate(doc).byteLength);
    doc.getText('t').insert(0, 'gone');
    doc.getText('t').delete(0, 4);
    expect(encodedSize(doc)).toBe(Y.encodeStateAsUpdate(doc).byteLength);
  });

  it('counts varints as lib0 writes them', () => {
    for (const n of [0, 127, 128, 16_383, 16_384, 2 ** 32 - 1, 2 ** 53 - 1]) {
      const e = new Uint8Array(16);
      let size = 0;
      for (let v = n; ; v = Math.floor(v / 128)) {
        e[size++] = v & 0x7f;
        if (v <= 127) break;
      }
      expect(varUintSize(n), String(n)).toBe(size);
    }
  });
});
