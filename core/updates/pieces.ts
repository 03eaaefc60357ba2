/**
 * A doc's state, or what it holds beyond a state vector, as several small updates that each
 * apply fully after the ones before: `piecesOf`. The server builds its copies of large docs
 * from them a slice at a time (sync-server/sync/in-turns.ts), and a client sends what the
 * server lacks in them when that is more than one update may hold (link.ts).
 *
 * Why: Yjs applies one update in one call, and a server bounds what one update may hold
 * (`--max-update-structs`). Yjs keeps no partial state between calls, so the doc has to come
 * in pieces that each apply fully.
 *
 * How: every struct of a doc was integrated at a moment when the structs it names were there:
 * the one before it of its own client, its left origin, its right origin, and its parent when
 * it names one (an item with neither origin). So the structs can be put in an order where each
 * comes after those it names (a topological order, found client by client: a client's structs
 * are taken in clock order until one names a struct not taken yet, and the client waits for
 * that one). Cut into runs of at most `maxStructs`, each run holds, per client, one range of
 * consecutive structs, which is exactly what an update holds; each piece then integrates fully
 * on a doc that has the pieces before it (or, with `since`, on a doc at that state vector),
 * and nothing waits (Yjs's "pending"). The delete set comes with the last piece, so a small
 * doc is one update.
 *
 * The structs are written by Yjs itself (`Item.write`, `GC.write`, `UpdateEncoderV1`) in the
 * layout of `Y.encodeStateAsUpdate`, so the pieces applied in order build the same doc.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

type Struct = Y.Item | Y.GC;

/** The structs `s` names that must be in the doc before it (at most three). */
function namedBy(s: Struct, out: Y.ID[]): void {
  out.length = 0;
  if (!(s instanceof Y.Item)) return;
  if (s.origin) out.push(s.origin);
  if (s.rightOrigin) out.push(s.rightOrigin);
  if (!s.origin && !s.rightOrigin) {
    const parentItem = (s.parent as Y.AbstractType<unknown> | null)?._item;
    if (parentItem) out.push(parentItem.id);
  }
}

/** A min-heap of clients waiting for a client to reach a clock. */
class Waiters {
  private readonly heap: { clock: number; client: number }[] = [];

  push(clock: number, client: number): void {
    const h = this.heap;
    h.push({ clock, client });
    let i = h.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (h[up]!.clock <= h[i]!.clock) break;
      [h[up], h[i]] = [h[i]!, h[up]!];
      i = up;
    }
  }

  /** Removes and returns the clients whose clock is below `reached`. */
  popBelow(reached: number, out: number[]): void {
    const h = this.heap;
    while (h.length > 0 && h[0]!.clock < reached) {
      out.push(h[0]!.client);
      const last = h.pop()!;
      if (h.length === 0) break;
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.clock < h[m]!.clock) m = l;
        if (r < h.length && h[r]!.clock < h[m]!.clock) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
  }
}

/**
 * Encodes the structs `[from, to)` of each client in `ranges` as one update, with the delete
 * set `ds` (encoded as Yjs does; none when not given). A client's first struct named in
 * `offsets` is written from that offset on (the part before it is known to the receiver).
 */
function writePiece(
  clients: Map<number, Struct[]>,
  ranges: Map<number, [number, number]>,
  offsets: Map<number, [number, number]>,
  ds?: Uint8Array,
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, ranges.size);
  for (const [client, [from, to]] of ranges) {
    const structs = clients.get(client)!;
    const cut = offsets.get(client);
    const offset = cut && cut[0] === from ? cut[1] : 0;
    encoding.writeVarUint(encoder.restEncoder, to - from);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, structs[from]!.id.clock + offset);
    structs[from]!.write(encoder, offset);
    for (let i = from + 1; i < to; i++) structs[i]!.write(encoder, 0);
  }
  if (ds) encoding.writeUint8Array(encoder.restEncoder, ds);
  else encoding.writeVarUint(encoder.restEncoder, 0); // an empty delete set
  return encoder.toUint8Array();
}

/** `piecesOf`, all at once. */
export function encodeInPieces(doc: Y.Doc, maxStructs: number, since?: Map<number, number>): Uint8Array[] {
  return [...piecesOf(doc, maxStructs, since)];
}

/**
 * How many structs `piecesOf(doc, max, since)` would write (a struct `since` knows part of
 * counts as one): O(clients × log structs).
 */
export function structsSince(doc: Y.Doc, since: Map<number, number>): number {
  let n = 0;
  for (const [client, structs] of doc.store.clients as Map<number, Struct[]>) {
    const known = since.get(client) ?? 0;
    const last = structs[structs.length - 1]!;
    if (known >= last.id.clock + last.length) continue;
    n += structs.length - (known > 0 ? Y.findIndexSS(structs, known) : 0);
  }
  return n;
}

/**
 * The doc as updates of at most `maxStructs` structs each, in an order where each applies
 * fully after the ones before it, the delete set with the last. Applied in order to an empty
 * doc they build this doc; with `since` (a decoded state vector), they hold only what the doc
 * has beyond it, and applied in order to a doc at that state build this doc's state there.
 * Made one at a time (a generator), so the work can be spread over turns (`collectInTurns` in
 * the server); the doc must not change meanwhile. Structs that cannot be so ordered (none in a
 * doc built by Yjs: it keeps only what integrated, apart from its "pending") end it with the
 * rest in one update.
 */
export function* piecesOf(
  doc: Y.Doc,
  maxStructs: number,
  since: Map<number, number> = new Map(),
): Generator<Uint8Array, void, undefined> {
  const clients = doc.store.clients as Map<number, Struct[]>;
  /**
   * Per client: its structs, the index of the first not taken yet, the clock below which the
   * receiver has it all (`since`), and who waits for it.
   */
  const state = new Map<
    number,
    { structs: Struct[]; next: number; known: number; waiting: Waiters | null }
  >();
  /** Per client whose first struct to send is known in part: its index and the offset. */
  const offsets = new Map<number, [number, number]>();
  let left = 0;
  for (const [client, structs] of clients) {
    const known = since.get(client) ?? 0;
    const last = structs[structs.length - 1]!;
    const next =
      known === 0 ? 0 : known >= last.id.clock + last.length ? structs.length : Y.findIndexSS(structs, known);
    if (next < structs.length && structs[next]!.id.clock < known)
      offsets.set(client, [next, known - structs[next]!.id.clock]);
    state.set(client, { structs, next, known, waiting: null });
    left += structs.length - next;
  }
  /** The clock below which `client`'s structs are taken (a client not in the doc: all). */
  const taken = (client: number): number => {
    const s = state.get(client);
    return s && s.next < s.structs.length ? Math.max(s.structs[s.next]!.id.clock, s.known) : Infinity;
  };
  let ranges = new Map<number, [number, number]>();
  let inPiece = 0;
  const ready = [...clients.keys()];
  const woken: number[] = [];
  const named: Y.ID[] = [];
  while (ready.length > 0) {
    const client = ready.pop()!;
    const s = state.get(client)!;
    const { structs } = s;
    let range = ranges.get(client);
    takeRun: while (s.next < structs.length) {
      namedBy(structs[s.next]!, named);
      for (const id of named) {
        if (taken(id.client) > id.clock) continue;
        const other = state.get(id.client)!;
        (other.waiting ??= new Waiters()).push(id.clock, client);
        break takeRun;
      }
      if (inPiece === maxStructs) {
        yield writePiece(clients, ranges, offsets);
        ranges = new Map();
        range = undefined;
        inPiece = 0;
      }
      if (range) range[1] = s.next + 1;
      else ranges.set(client, (range = [s.next, s.next + 1]));
      s.next++;
      left--;
      inPiece++;
    }
    if (s.waiting) {
      woken.length = 0;
      s.waiting.popBelow(taken(client), woken);
      for (const w of woken) ready.push(w);
    }
  }
  // The delete set goes with the last piece: an update with no structs (none after the doc's
  // state vector) is a zero (no clients) and then the delete set.
  const ds = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)).subarray(1);
  yield writePiece(clients, ranges, offsets, ds);
  if (left > 0) yield Y.encodeStateAsUpdate(doc, Y.encodeStateVector(since));
}
