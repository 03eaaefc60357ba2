/**
 * Building a copy of a large doc in several turns of the event loop rather than one call:
 * `encodeInPieces` writes a doc's whole state as several small updates, and `applyInTurns`
 * applies a list of updates a slice of time at a time (loading a doc, compaction, the write
 * guard's rebuild).
 *
 * Why: Yjs applies one update in one call. A doc near `--max-doc-structs` took 90–140 ms to
 * apply on an idle server (2 vCPUs) and up to 392 ms on cold code under the frame fuzz
 * (docs/reliability.md), past the 100 ms issue 9 allows any input to hold the loop. Yjs keeps
 * no partial state between calls, so the doc has to come in pieces that each apply fully.
 *
 * How: every struct of a doc was integrated at a moment when the structs it names were there:
 * the one before it of its own client, its left origin, its right origin, and its parent when
 * it names one (an item with neither origin). So the structs can be put in an order where each
 * comes after those it names (a topological order, found client by client: a client's structs
 * are taken in clock order until one names a struct not taken yet, and the client waits for
 * that one). Cut into runs of at most `maxStructs`, each run holds, per client, one range of
 * consecutive structs, which is exactly what an update holds; each piece then integrates fully
 * on a doc that has the pieces before it, and nothing waits ("pending", write-guard.ts
 * `dropPending`). The delete set comes with the last piece, so a small doc is one update.
 *
 * The structs are written by Yjs itself (`Item.write`, `GC.write`, `UpdateEncoderV1`) in the
 * layout of `Y.encodeStateAsUpdate`, so the pieces applied in order build the same doc.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/**
 * Most structs in one piece of `encodeInPieces`: a few milliseconds to apply (2 vCPUs). Not
 * more: where many client ids wrote at one spot, Yjs's placing walk makes a piece's cost grow
 * faster than its size (conflict-budget.ts). A doc the frame fuzz left with 8,064 structs from
 * 634 client ids took 176–226 ms to apply as one update, and 16–25 ms at most per piece of
 * 2,000 (48–72 ms in all, since the pieces keep the order the structs were written in, where
 * Yjs would take them client by client).
 */
export const PIECE_STRUCTS = 2_000;

/** How long one turn of `applyInTurns` applies updates before it yields. */
export const SLICE_MS = 20;

/** Runs a job in a turn of the fair queue (fair-queue.ts `runOnce` under some key). */
export type Turn = <T>(job: () => T) => Promise<T>;

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
 * set `ds` (encoded as Yjs does; none when not given).
 */
function writePiece(
  clients: Map<number, Struct[]>,
  ranges: Map<number, [number, number]>,
  ds?: Uint8Array,
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, ranges.size);
  for (const [client, [from, to]] of ranges) {
    const structs = clients.get(client)!;
    encoding.writeVarUint(encoder.restEncoder, to - from);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, structs[from]!.id.clock);
    for (let i = from; i < to; i++) structs[i]!.write(encoder, 0);
  }
  if (ds) encoding.writeUint8Array(encoder.restEncoder, ds);
  else encoding.writeVarUint(encoder.restEncoder, 0); // an empty delete set
  return encoder.toUint8Array();
}

/** `piecesOf`, all at once. */
export function encodeInPieces(doc: Y.Doc, maxStructs: number): Uint8Array[] {
  return [...piecesOf(doc, maxStructs)];
}

/**
 * The doc as updates of at most `maxStructs` structs each, in an order where each applies
 * fully after the ones before it, the delete set with the last. Applied in order to an empty
 * doc they build this doc. Made one at a time (a generator), so the work can be spread over
 * turns (`collectInTurns`); the doc must not change meanwhile. Structs that cannot be so
 * ordered (none in a doc the server holds: it keeps only what integrated) end it with the
 * whole doc in one update.
 */
export function* piecesOf(doc: Y.Doc, maxStructs: number): Generator<Uint8Array, void, undefined> {
  const clients = doc.store.clients as Map<number, Struct[]>;
  /** Per client: its structs, the index of the first not taken yet, who waits for it. */
  const state = new Map<number, { structs: Struct[]; next: number; waiting: Waiters | null }>();
  let left = 0;
  for (const [client, structs] of clients) {
    state.set(client, { structs, next: 0, waiting: null });
    left += structs.length;
  }
  /** The clock below which `client`'s structs are taken (a client not in the doc: all). */
  const taken = (client: number): number => {
    const s = state.get(client);
    return s && s.next < s.structs.length ? s.structs[s.next]!.id.clock : Infinity;
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
        yield writePiece(clients, ranges);
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
  yield writePiece(clients, ranges, ds);
  if (left > 0) yield Y.encodeStateAsUpdate(doc);
}

/** Runs `pieces` to its end in turns of about `SLICE_MS`; what it made, in order. */
export async function collectInTurns(pieces: Iterator<Uint8Array>, turn: Turn): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  let done = false;
  while (!done) {
    done = await turn(() => {
      const started = performance.now();
      for (;;) {
        const next = pieces.next();
        if (next.done) return true;
        out.push(next.value);
        if (performance.now() - started >= SLICE_MS) return false;
      }
    });
  }
  return out;
}

/**
 * Applies `updates` to `doc` in order, in turns: each turn applies updates (one transaction)
 * until `SLICE_MS` have passed, so a log of pieces never holds the loop for long; one update
 * is never divided. An update that throws is skipped and counted (only a damaged stored entry
 * can: everything was checked before it was stored). `alive` is asked before each turn: false
 * stops (the doc was unloaded meanwhile). Returns how many updates were skipped and the
 * longest turn (ms).
 */
export async function applyInTurns(
  doc: Y.Doc,
  updates: readonly Uint8Array[],
  turn: Turn,
  alive: () => boolean = () => true,
): Promise<{ damaged: number; longestMs: number }> {
  let damaged = 0;
  let longestMs = 0;
  let next = 0;
  while (next < updates.length && alive()) {
    await turn(() => {
      if (!alive()) return;
      const started = performance.now();
      doc.transact(() => {
        do {
          try {
            Y.applyUpdate(doc, updates[next]!);
          } catch {
            damaged++;
          }
          next++;
        } while (next < updates.length && performance.now() - started < SLICE_MS);
      });
      longestMs = Math.max(longestMs, performance.now() - started);
    });
  }
  return { damaged, longestMs };
}
