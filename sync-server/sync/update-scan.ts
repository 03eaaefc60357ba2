/**
 * A cheap first pass over a Yjs v1 update, before Yjs itself decodes it.
 *
 * `Y.decodeUpdate` and `Y.applyUpdate` build one object per struct: a 7 MiB update of a
 * million one-byte structs from a million client ids costs ~400 MB and ~9 s of blocked event
 * loop to apply (measured, docs/reliability.md "Hostile input"). This scan walks the same
 * bytes without building anything but the strings it must measure, so such an update is
 * refused for the price of reading it. It also refuses what Yjs assumes never happens and
 * then trips over in the middle of a transaction, leaving a half-applied doc behind:
 *
 * - an item pointing at an item of its own client that is not older than itself (Yjs
 *   integrates a client's structs in clock order and looks such a reference up unchecked:
 *   `TypeError: Cannot read properties of undefined (reading 'id')`);
 * - zero-length structs (Yjs never writes one; its binary searches assume none);
 * - subdocuments (content type 9), which Varde does not use;
 * - bytes after the delete set;
 * - content Yjs would fail to parse or, later, to encode again: JSON, embed and format
 *   payloads that are not JSON (Yjs calls `JSON.parse` on them while decoding, and a throw there
 *   once ended the process from a reader's 30-byte frame), and JSON or "any" values nested
 *   deeper than `MAX_NESTING` (Yjs and lib0 encode them recursively, so a doc holding one would
 *   make every later sync answer throw).
 *
 * It also returns what the server needs to tell whether it already holds an update (each
 * client's last clock, the delete ranges), so that an update from a member who may not write
 * is never decoded by Yjs at all. The scan does not replace decoding for writers: an update
 * that passes is still fully decoded by `Y.decodeUpdate` before it touches a doc.
 */
import * as decoding from 'lib0/decoding';

/** Thrown by `scanUpdate` and `parseJson` for input they refuse; `what` says why in a few words. */
export class UpdateRefused extends Error {
  constructor(readonly what: string) {
    super(`update refused: ${what}`);
    this.name = 'UpdateRefused';
  }
}

export interface UpdateShape {
  /** Client ids with structs. */
  clients: number;
  structs: number;
  /** Ranges in the delete set. */
  deletes: number;
  /** For each client with structs, the clock after its last struct. */
  ends: Map<number, number>;
  /** The delete set as `[client, clock, length]` ranges, in the order sent. */
  deleteRanges: [number, number, number][];
}

/**
 * Deepest nesting of a JSON or "any" value accepted. Marks and node attributes that the
 * editor writes nest two or three levels; lib0 and `JSON.stringify` recurse per level, so the
 * bound keeps any stored value encodable.
 */
export const MAX_NESTING = 32;

/** Content refs of Yjs items (`contentRefs` in yjs/src/structs/Item.js). */
const CONTENT = {
  deleted: 1,
  json: 2,
  binary: 3,
  string: 4,
  embed: 5,
  format: 6,
  type: 7,
  any: 8,
  doc: 9,
} as const;
const GC = 0;
const SKIP = 10;
/** Type refs that carry a node name (`YXmlElementRefID`, `YXmlHookRefID`). */
const NAMED_TYPES = new Set([3, 5]);
const MAX_TYPE_REF = 6;

/**
 * Scans a v1 update. Throws `UpdateRefused` when it is malformed, breaks the rules above, or
 * holds more than `maxStructs` structs plus delete ranges.
 */
export function scanUpdate(update: Uint8Array, maxStructs: number): UpdateShape {
  const d = decoding.createDecoder(update);
  const shape: UpdateShape = { clients: 0, structs: 0, deletes: 0, ends: new Map(), deleteRanges: [] };
  const budget = (n: number) => {
    if (shape.structs + shape.deletes + n > maxStructs) throw new UpdateRefused('too many structs');
  };
  try {
    const clients = decoding.readVarUint(d);
    budget(clients);
    shape.clients = clients;
    for (let c = 0; c < clients; c++) {
      const count = decoding.readVarUint(d);
      budget(count);
      shape.structs += count;
      const client = decoding.readVarUint(d);
      let clock = decoding.readVarUint(d);
      for (let i = 0; i < count; i++) clock += scanStruct(d, client, clock);
      if (count > 0) shape.ends.set(client, Math.max(clock, shape.ends.get(client) ?? 0));
    }
    const dsClients = decoding.readVarUint(d);
    budget(dsClients);
    for (let c = 0; c < dsClients; c++) {
      const client = decoding.readVarUint(d);
      const ranges = decoding.readVarUint(d);
      budget(ranges);
      shape.deletes += ranges;
      for (let i = 0; i < ranges; i++) {
        const clock = decoding.readVarUint(d);
        const length = decoding.readVarUint(d);
        if (length === 0) throw new UpdateRefused('empty delete range');
        shape.deleteRanges.push([client, clock, length]);
      }
    }
  } catch (error) {
    if (error instanceof UpdateRefused) throw error;
    throw new UpdateRefused('malformed');
  }
  if (decoding.hasContent(d)) throw new UpdateRefused('trailing bytes');
  return shape;
}

/** Reads one struct; returns its length (how far it advances the client's clock). */
function scanStruct(d: decoding.Decoder, client: number, clock: number): number {
  const info = decoding.readUint8(d);
  const ref = info & 0b11111;
  if (ref === GC || ref === SKIP) return positive(decoding.readVarUint(d));
  const hasOrigin = (info & 0b1000_0000) !== 0;
  const hasRightOrigin = (info & 0b0100_0000) !== 0;
  if (hasOrigin) olderSelf(client, clock, decoding.readVarUint(d), decoding.readVarUint(d));
  if (hasRightOrigin) olderSelf(client, clock, decoding.readVarUint(d), decoding.readVarUint(d));
  if (!hasOrigin && !hasRightOrigin) {
    if (decoding.readVarUint(d) === 1)
      decoding.readVarString(d); // root type name
    else olderSelf(client, clock, decoding.readVarUint(d), decoding.readVarUint(d)); // parent item
    if ((info & 0b0010_0000) !== 0) decoding.readVarString(d); // map key
  }
  switch (ref) {
    case CONTENT.deleted:
      return positive(decoding.readVarUint(d));
    case CONTENT.json: {
      const n = positive(decoding.readVarUint(d));
      for (let i = 0; i < n; i++) {
        const json = decoding.readVarString(d);
        if (json !== 'undefined') parseJson(json); // Yjs writes `undefined` as that word
      }
      return n;
    }
    case CONTENT.binary:
      decoding.readVarUint8Array(d);
      return 1;
    case CONTENT.string:
      return positive(decoding.readVarString(d).length);
    case CONTENT.embed:
      parseJson(decoding.readVarString(d));
      return 1;
    case CONTENT.format:
      decoding.readVarString(d); // key
      parseJson(decoding.readVarString(d));
      return 1;
    case CONTENT.type: {
      const typeRef = decoding.readVarUint(d);
      if (typeRef > MAX_TYPE_REF) throw new UpdateRefused('unknown type');
      if (NAMED_TYPES.has(typeRef)) decoding.readVarString(d);
      return 1;
    }
    case CONTENT.any: {
      const n = positive(decoding.readVarUint(d));
      for (let i = 0; i < n; i++) skipAny(d, 0);
      return n;
    }
    case CONTENT.doc:
      throw new UpdateRefused('subdocument');
    default:
      throw new UpdateRefused('unknown content');
  }
}

function positive(length: number): number {
  if (length <= 0) throw new UpdateRefused('zero-length struct');
  return length;
}

/** An item can only refer to an item of its own client that was made before it. */
function olderSelf(client: number, clock: number, refClient: number, refClock: number): void {
  if (refClient === client && refClock >= clock) throw new UpdateRefused('reference to a later struct');
}

/** Parses JSON nested at most `MAX_NESTING` deep; throws `UpdateRefused` otherwise. */
export function parseJson(text: string): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_NESTING) throw new UpdateRefused('nested too deep');
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UpdateRefused('not JSON');
  }
}

/**
 * Reads one lib0 "any" value without building it (the tags of `lib0/decoding` `readAny`),
 * refusing unknown tags and nesting deeper than `MAX_NESTING`.
 */
function skipAny(d: decoding.Decoder, depth: number): void {
  if (depth > MAX_NESTING) throw new UpdateRefused('nested too deep');
  const tag = decoding.readUint8(d);
  switch (tag) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125:
      decoding.readVarInt(d);
      return;
    case 124:
      decoding.readFloat32(d);
      return;
    case 123:
      decoding.readFloat64(d);
      return;
    case 122:
      decoding.readBigInt64(d);
      return;
    case 119:
      decoding.readVarString(d);
      return;
    case 118: {
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) {
        // lib0 assigns keys: `__proto__` sets the prototype, and one of bytes makes it unencodable.
        if (decoding.readVarString(d) === '__proto__') throw new UpdateRefused('__proto__ key');
        skipAny(d, depth + 1);
      }
      return;
    }
    case 117: {
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) skipAny(d, depth + 1);
      return;
    }
    case 116:
      decoding.readVarUint8Array(d);
      return;
    default:
      throw new UpdateRefused('unknown value type');
  }
}
