/**
 * Structurally valid Yjs v1 updates holding every content ref (1 deleted, 2 JSON, 3 binary,
 * 4 string, 5 embed, 6 format, 7 type, 8 any, 9 doc, and 0 GC, 10 skip), with valid payloads
 * and with payloads built to break a decoder: JSON that is not JSON, lone surrogates, nesting
 * 100,000 deep, huge lengths and clocks, unknown content and type refs, parents and origins
 * that do not exist or are not types, references to later structs, bytes past the end.
 *
 * Each update says what the server's scan (sync-server/sync/update-scan.ts) must do with it,
 * which is what decides the close code: `refused` updates close their sender with badMessage
 * whoever sends them; the rest pass the scan, so a member who may not write gets
 * permission-denied and a writer's is decoded, dry-run and stored (`clean`: certainly) or
 * stored, left pending or refused (`odd`).
 */
import * as encoding from 'lib0/encoding';
import type { Random } from '../random.ts';

export type Verdict = 'refused' | 'clean' | 'odd';

export interface ContentUpdate {
  kind: string;
  update: Uint8Array;
  verdict: Verdict;
  /** Bytes to put after the update inside its sync frame (an over-read reaches into them). */
  tail?: Uint8Array;
}

type Id = readonly [client: number, clock: number];

interface ItemSpec {
  ref: number;
  /** Writes the content; returns its length (how far it advances the clock). */
  content: (e: encoding.Encoder) => number;
  origin?: Id;
  rightOrigin?: Id;
  /** A root type by name, or an item by id; ignored when an origin is set. */
  parent?: string | Id;
  parentSub?: string;
}

/** Deepest nesting the server accepts (update-scan.ts MAX_NESTING); deeper must be refused. */
const MAX_NESTING = 32;

const ROOTS = ['junk', 'junkText', 'junkXml', 'm', 'goals', 'good', ''];

/** One client's structs, then a delete set, as `Y.encodeStateAsUpdate` lays them out. */
function encodeUpdate(
  client: number,
  clock: number,
  items: readonly (ItemSpec | { raw: (e: encoding.Encoder) => void })[],
  deletes: readonly [number, number, number][] = [],
): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, items.length);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  for (const item of items) {
    if ('raw' in item) {
      item.raw(e);
      continue;
    }
    const info =
      (item.origin ? 0x80 : 0) | (item.rightOrigin ? 0x40 : 0) | (item.parentSub !== undefined ? 0x20 : 0);
    encoding.writeUint8(e, info | (item.ref & 0x1f));
    if (item.origin) writeId(e, item.origin);
    if (item.rightOrigin) writeId(e, item.rightOrigin);
    if (!item.origin && !item.rightOrigin) {
      const parent = item.parent ?? 'junk';
      if (typeof parent === 'string') {
        encoding.writeVarUint(e, 1);
        encoding.writeVarString(e, parent);
      } else {
        encoding.writeVarUint(e, 0);
        writeId(e, parent);
      }
      if (item.parentSub !== undefined) encoding.writeVarString(e, item.parentSub);
    }
    item.content(e);
  }
  encoding.writeVarUint(e, deletes.length);
  for (const [c, k, n] of deletes) {
    encoding.writeVarUint(e, c);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, k);
    encoding.writeVarUint(e, n);
  }
  return encoding.toUint8Array(e);
}

const writeId = (e: encoding.Encoder, [client, clock]: Id) => {
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
};

/** Raw varString bytes: a length, then exactly these bytes (invalid UTF-8 included). */
const writeRawString = (e: encoding.Encoder, bytes: Uint8Array) => {
  encoding.writeVarUint(e, bytes.length);
  encoding.writeUint8Array(e, bytes);
};

/** A varint of 2^49 and more, with a few bytes after it: a length no frame can hold. */
const writeHugeLength = (e: encoding.Encoder, rand: Random) => {
  for (let i = 0; i < 7; i++) encoding.writeUint8(e, 0xff);
  encoding.writeUint8(e, 0x7f);
  encoding.writeUint8Array(e, rand.bytes(rand.int(6)));
};

const deepJson = (rand: Random, depth: number) =>
  rand.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** A valid lib0 `any` value of every tag, nested at most `depth` more levels. */
function writeValidAny(e: encoding.Encoder, rand: Random, depth: number): void {
  const tag = rand.int(depth > 0 ? 13 : 11);
  switch (tag) {
    case 0:
      return encoding.writeUint8(e, 127); // undefined
    case 1:
      return encoding.writeUint8(e, 126); // null
    case 2:
      return encoding.writeUint8(e, rand.chance(0.5) ? 120 : 121); // true, false
    case 3:
      encoding.writeUint8(e, 125);
      return encoding.writeVarInt(e, rand.pick([0, -1, 2 ** 31, -(2 ** 53) + 1, rand.int(1e9)]));
    case 4:
      encoding.writeUint8(e, 124);
      return encoding.writeFloat32(e, rand.pick([NaN, Infinity, -0, 1.5]));
    case 5:
      encoding.writeUint8(e, 123);
      return encoding.writeFloat64(e, rand.pick([NaN, -Infinity, 1e308, Math.PI]));
    case 6:
      encoding.writeUint8(e, 119);
      return encoding.writeVarString(e, rand.pick(['', 'x', '\u0000', '__proto__', 'ü€😀']));
    case 7:
      encoding.writeUint8(e, 119);
      return encoding.writeVarString(e, '\ud800'); // a lone surrogate: written as U+FFFD
    case 8:
      encoding.writeUint8(e, 116);
      return encoding.writeVarUint8Array(e, rand.bytes(rand.int(16)));
    case 9:
      encoding.writeUint8(e, 122); // a BigInt: JSON.stringify cannot write one
      return encoding.writeBigInt64(e, BigInt(rand.int(1e9)));
    case 10:
      encoding.writeUint8(e, 118);
      return encoding.writeVarUint(e, 0);
    case 11: {
      encoding.writeUint8(e, 118); // object
      const n = 1 + rand.int(3);
      encoding.writeVarUint(e, n);
      for (let i = 0; i < n; i++) {
        encoding.writeVarString(e, rand.pick(['a', 'constructor', 'toString', `k${i}`]));
        writeValidAny(e, rand, depth - 1);
      }
      return;
    }
    default: {
      encoding.writeUint8(e, 117); // array
      const n = rand.int(3);
      encoding.writeVarUint(e, n);
      for (let i = 0; i < n; i++) writeValidAny(e, rand, depth - 1);
    }
  }
}

/** `n` nested arrays or objects around one value: far past any bound when `n` is large. */
function writeDeepAny(e: encoding.Encoder, rand: Random, n: number): void {
  const object = rand.chance(0.5);
  for (let i = 0; i < n; i++) {
    encoding.writeUint8(e, object ? 118 : 117);
    encoding.writeVarUint(e, 1);
    if (object) encoding.writeVarString(e, 'a');
  }
  encoding.writeUint8(e, 126);
}

const json = (text: string) => (e: encoding.Encoder) => {
  encoding.writeVarUint(e, 1);
  encoding.writeVarString(e, text);
  return 1;
};

/** Contents that pass the scan, each with its ref. */
function validContent(rand: Random): { ref: number; content: (e: encoding.Encoder) => number; name: string } {
  switch (rand.int(11)) {
    case 0: {
      const n = 1 + rand.int(50);
      return { name: 'deleted', ref: 1, content: (e) => (encoding.writeVarUint(e, n), n) };
    }
    case 1: {
      const values = rand.pick([['1'], ['{"a":[1,{"b":null}]}', 'undefined'], ['"\\ud800"'], ['[]', '""']]);
      return {
        name: 'json',
        ref: 2,
        content: (e) => {
          encoding.writeVarUint(e, values.length);
          for (const v of values) encoding.writeVarString(e, v);
          return values.length;
        },
      };
    }
    case 2: {
      const b = rand.bytes(rand.int(64));
      return { name: 'binary', ref: 3, content: (e) => (encoding.writeVarUint8Array(e, b), 1) };
    }
    case 3: {
      const s = rand.pick(['x', 'hello', '😀😀', `t${rand.int(1e6)}`, '\u0000\uffff']);
      return { name: 'string', ref: 4, content: (e) => (encoding.writeVarString(e, s), s.length) };
    }
    case 4: {
      const s = rand.pick(['\ud800', 'a\udfffb']); // lone surrogates: written as U+FFFD
      return {
        name: 'string-lone-surrogate',
        ref: 4,
        content: (e) => (encoding.writeVarString(e, s), s.length),
      };
    }
    case 5: {
      const v = rand.pick(['{"image":"x"}', '{}', '"\\udfff"', '[1,2]', 'null']);
      return { name: 'embed', ref: 5, content: (e) => (encoding.writeVarString(e, v), 1) };
    }
    case 6: {
      const [k, v] = rand.pick([
        ['bold', 'true'],
        ['bold', 'null'],
        ['link', '{"href":"javascript:alert(1)"}'],
        ['', '{}'],
      ]);
      return {
        name: 'format',
        ref: 6,
        content: (e) => (encoding.writeVarString(e, k), encoding.writeVarString(e, v), 1),
      };
    }
    case 7: {
      const typeRef = rand.int(7);
      return {
        name: `type-${typeRef}`,
        ref: 7,
        content: (e) => {
          encoding.writeVarUint(e, typeRef);
          if (typeRef === 3 || typeRef === 5) encoding.writeVarString(e, rand.pick(['p', '', 'script', '<']));
          return 1;
        },
      };
    }
    case 8: {
      const n = 1 + rand.int(4);
      return {
        name: 'any',
        ref: 8,
        content: (e) => {
          encoding.writeVarUint(e, n);
          for (let i = 0; i < n; i++) writeValidAny(e, rand, 4);
          return n;
        },
      };
    }
    case 9:
      return {
        name: 'any-nested-at-bound',
        ref: 8,
        content: (e) => (encoding.writeVarUint(e, 1), writeDeepAny(e, rand, MAX_NESTING - 1), 1),
      };
    default:
      return {
        name: 'json-nested-at-bound',
        ref: 2,
        content: json(deepJson(rand, MAX_NESTING)),
      };
  }
}

/** Contents the scan must refuse, each with its ref. */
function refusedContent(rand: Random): { ref: number; content: (e: encoding.Encoder) => void; name: string } {
  switch (rand.int(18)) {
    case 0:
      return {
        name: 'json-not-json',
        ref: 2,
        content: json(rand.pick(['{x', '', 'NaN', "'a'", '[1,', '{"a":1}}', '"\\ud800', '01', 'undefined '])),
      };
    case 1:
      return {
        name: 'embed-not-json',
        ref: 5,
        content: (e) => encoding.writeVarString(e, rand.pick(['{"a":', '<img>', '"\\ud800'])),
      };
    case 2:
      return {
        name: 'format-not-json',
        ref: 6,
        content: (e) => (
          encoding.writeVarString(e, 'bold'),
          encoding.writeVarString(e, rand.pick(['tru', '{']))
        ),
      };
    case 3: {
      const depth = rand.pick([MAX_NESTING + 1, 1000, 100_000]);
      const ref = rand.pick([2, 5, 6]);
      const text = deepJson(rand, depth);
      return {
        name: `deep-json-${ref}`,
        ref,
        content: (e) => {
          if (ref === 2) encoding.writeVarUint(e, 1);
          if (ref === 6) encoding.writeVarString(e, 'k');
          encoding.writeVarString(e, text);
        },
      };
    }
    case 4: {
      const depth = rand.pick([MAX_NESTING + 8, 1000, 100_000]);
      return {
        name: 'deep-any',
        ref: 8,
        content: (e) => (encoding.writeVarUint(e, 1), writeDeepAny(e, rand, depth)),
      };
    }
    case 5:
      return {
        name: 'any-unknown-tag',
        ref: 8,
        content: (e) => (encoding.writeVarUint(e, 1), encoding.writeUint8(e, rand.int(116))),
      };
    case 6:
      return {
        name: 'unknown-content-ref',
        ref: 11 + rand.int(21),
        content: (e) => encoding.writeVarUint(e, 1),
      };
    case 7:
      return {
        name: 'subdoc',
        ref: 9,
        content: (e) => (encoding.writeVarString(e, 'guid'), encoding.writeUint8(e, 126)),
      };
    case 8:
      return {
        name: 'unknown-type-ref',
        ref: 7,
        content: (e) => encoding.writeVarUint(e, 7 + rand.pick([0, 1, 100, 2 ** 31])),
      };
    case 9: {
      const ref = rand.pick([1, 2, 4, 8]);
      // A zero-length struct: no content (Yjs never writes one; its searches assume none).
      return {
        name: `zero-length-${ref}`,
        ref,
        content: (e) => (ref === 4 ? encoding.writeVarString(e, '') : encoding.writeVarUint(e, 0)),
      };
    }
    case 10: {
      const ref = rand.pick([2, 3, 4, 5, 8]);
      return {
        name: `huge-length-${ref}`,
        ref,
        content: (e) => {
          if (ref === 2 || ref === 8) encoding.writeVarUint(e, 1);
          writeHugeLength(e, rand);
        },
      };
    }
    case 11:
      return {
        name: 'json-count-huge',
        ref: rand.pick([2, 8]),
        content: (e) => (encoding.writeVarUint(e, 2 ** 50), encoding.writeVarString(e, '1')),
      };
    case 12:
      return {
        name: 'any-bad-utf8-key-then-junk',
        ref: 8,
        content: (e) => {
          encoding.writeVarUint(e, 1);
          encoding.writeUint8(e, 118);
          encoding.writeVarUint(e, 3);
          writeRawString(e, new Uint8Array([0xff, 0xfe]));
          encoding.writeUint8(e, 0);
        },
      };
    case 13:
      return {
        name: 'huge-varint-content',
        ref: rand.pick([1, 2, 4, 7, 8]),
        content: (e) => encoding.writeUint8Array(e, new Uint8Array(10 + rand.int(4)).fill(0xff)),
      };
    case 14:
      return {
        name: 'format-key-huge',
        ref: 6,
        content: (e) => writeHugeLength(e, rand),
      };
    case 16:
      // Found by this fuzz: lib0 assigns object keys, so `__proto__` sets the prototype; one of
      // bytes made a value no encoder can write again, and every sync answer of the doc threw.
      return {
        name: 'any-proto-key',
        ref: 8,
        content: (e) => {
          encoding.writeVarUint(e, 1);
          encoding.writeUint8(e, 118);
          encoding.writeVarUint(e, 1);
          encoding.writeVarString(e, '__proto__');
          if (rand.chance(0.7)) encoding.writeUint8Array(e, new Uint8Array([116, 3, 1, 2, 3]));
          else writeValidAny(e, rand, 2);
        },
      };
    case 15:
      return { name: 'json-lone-surrogate-cut', ref: 2, content: json(`"\\ud83d${rand.int(9)}`) };
    default: {
      // lib0 decodes strings with a fatal UTF-8 decoder: a surrogate as CESU-8, a cut sequence.
      const ref = rand.pick([2, 4, 5, 8]);
      const bytes = rand.pick([
        new Uint8Array([0x61, 0xed, 0xa0, 0x80]),
        new Uint8Array([0xc3]),
        new Uint8Array([0xff]),
      ]);
      return {
        name: `bad-utf8-${ref}`,
        ref,
        content: (e) => {
          if (ref === 2) encoding.writeVarUint(e, 1);
          if (ref === 8) {
            encoding.writeVarUint(e, 1);
            encoding.writeUint8(e, 119);
          }
          writeRawString(e, bytes);
        },
      };
    }
  }
}

/**
 * A hostile-content update. `refusedOnly`: only updates the scan must refuse (for writers on
 * docs whose well-behaved clients must stay byte-identical, where nothing new may be stored).
 */
export function contentUpdate(rand: Random, refusedOnly = false): ContentUpdate {
  const client = 1 + rand.int(2 ** 32 - 2);
  const root = () => rand.pick(ROOTS);
  const sub = () => (rand.chance(0.3) ? rand.pick(['k', '__proto__', '', 'x'.repeat(300)]) : undefined);
  const shape = rand.int(refusedOnly ? 4 : 12);
  switch (shape) {
    case 0:
    case 1: {
      // A refused content, alone or after valid items of its own client.
      const before = refusedOnly ? 0 : rand.int(3);
      const items: ItemSpec[] = [];
      let clock = 0;
      for (let i = 0; i < before; i++) {
        const v = validContent(rand);
        const item: ItemSpec = { ref: v.ref, content: v.content, parent: root(), parentSub: sub() };
        items.push(item);
        clock += lengthOf(item);
      }
      const bad = refusedContent(rand);
      const origin = clock > 0 && rand.chance(0.5) ? ([client, clock - 1] as const) : undefined;
      items.push({
        ref: bad.ref,
        content: (e) => (bad.content(e), 1),
        origin,
        parent: root(),
        parentSub: sub(),
      });
      return { kind: `content-${bad.name}`, update: encodeUpdate(client, 0, items), verdict: 'refused' };
    }
    case 2: {
      // A reference to a struct of its own client that is not older than itself.
      const clock = rand.int(5);
      const v = validContent(rand);
      const ref = [client, clock + rand.int(3)] as const;
      const item: ItemSpec = rand.chance(0.5)
        ? { ref: v.ref, content: v.content, origin: ref }
        : rand.chance(0.5)
          ? { ref: v.ref, content: v.content, rightOrigin: ref }
          : { ref: v.ref, content: v.content, parent: ref };
      return {
        kind: `content-later-self-${v.name}`,
        update: encodeUpdate(client, clock, [item]),
        verdict: 'refused',
      };
    }
    case 3: {
      // A valid update with bytes after its delete set, or whose last length reaches past its
      // end into the rest of the frame (lib0's decoders read on past a view's end).
      const v = validContent(rand);
      const update = encodeUpdate(client, 0, [{ ref: v.ref, content: v.content, parent: root() }]);
      if (rand.chance(0.5)) {
        return {
          kind: 'content-trailing',
          update: new Uint8Array([...update, ...rand.bytes(1 + rand.int(8))]),
          verdict: 'refused',
        };
      }
      const s = encodeUpdate(client, 0, [
        {
          ref: 4,
          content: (e) => (encoding.writeVarUint(e, 6), encoding.writeUint8Array(e, rand.bytes(2)), 6),
        },
      ]);
      // The string claims 6 bytes; 2 are in the update and the rest follow it in the frame.
      return {
        kind: 'content-overread',
        update: s.slice(0, s.length - 1),
        tail: new Uint8Array([0x61, 0x62, 0x63, 0x64, 0, 0, 0]),
        verdict: 'refused',
      };
    }
    case 4:
    case 5:
    case 6: {
      // Plain valid items at root types, maybe with a map key, maybe chained by origin.
      const items: ItemSpec[] = [];
      let clock = 0;
      for (let i = 0, n = 1 + rand.int(3); i < n; i++) {
        const v = validContent(rand);
        const origin = clock > 0 && rand.chance(0.5) ? ([client, clock - 1] as const) : undefined;
        const item: ItemSpec = { ref: v.ref, content: v.content, origin, parent: root(), parentSub: sub() };
        items.push(item);
        clock += lengthOf(item);
      }
      return { kind: 'content-valid', update: encodeUpdate(client, 0, items), verdict: 'clean' };
    }
    case 7: {
      // A parent, origin or right origin that exists nowhere: the update waits (pending).
      const v = validContent(rand);
      const missing = [1 + rand.int(2 ** 31), rand.int(1000)] as const;
      const where = rand.int(3);
      const item: ItemSpec =
        where === 0
          ? { ref: v.ref, content: v.content, parent: missing, parentSub: sub() }
          : where === 1
            ? { ref: v.ref, content: v.content, origin: missing }
            : { ref: v.ref, content: v.content, rightOrigin: missing };
      return { kind: 'content-missing-ref', update: encodeUpdate(client, 0, [item]), verdict: 'odd' };
    }
    case 8: {
      // A parent that is an item but not a type (a string, a deleted run): wrong type refs.
      const p = validContent(rand);
      const v = validContent(rand);
      const first: ItemSpec = { ref: p.ref, content: p.content, parent: root() };
      const second: ItemSpec = { ref: v.ref, content: v.content, parent: [client, 0], parentSub: sub() };
      return {
        kind: `content-parent-is-${p.name}`,
        update: encodeUpdate(client, 0, [first, second]),
        verdict: 'odd',
      };
    }
    case 9: {
      // GC and skip structs, a clock near 2^53, delete ranges of clients that do not exist.
      const v = validContent(rand);
      const clock = rand.pick([0, 2 ** 32, 2 ** 53 - 100]);
      const items = [
        {
          raw: (e: encoding.Encoder) => (
            encoding.writeUint8(e, rand.pick([0, 10])),
            encoding.writeVarUint(e, 1 + rand.int(5))
          ),
        },
        { ref: v.ref, content: v.content, parent: root() },
      ];
      const deletes: [number, number, number][] = rand.chance(0.5)
        ? [[1 + rand.int(2 ** 32), rand.int(2 ** 40), 1 + rand.int(2 ** 30)]]
        : [];
      return {
        kind: 'content-gc-skip-clock',
        update: encodeUpdate(client, clock, items, deletes),
        verdict: 'odd',
      };
    }
    case 10: {
      // A map key on a type used as text, an item whose parent is the doc's own junk text.
      const v = validContent(rand);
      const item: ItemSpec = {
        ref: v.ref,
        content: v.content,
        parent: rand.pick(['junkText', 'junkXml']),
        parentSub: 'k',
      };
      return { kind: 'content-type-confused', update: encodeUpdate(client, 0, [item]), verdict: 'odd' };
    }
    default: {
      // A deleted run as long as a clock can count.
      const item: ItemSpec = {
        ref: 1,
        content: (e) => (encoding.writeVarUint(e, 2 ** 52), 2 ** 52),
        parent: root(),
      };
      return { kind: 'content-deleted-huge', update: encodeUpdate(client, 0, [item]), verdict: 'odd' };
    }
  }
}

/** The length an item's content advances the clock by (by writing it once). */
function lengthOf(item: ItemSpec): number {
  return item.content(encoding.createEncoder());
}
