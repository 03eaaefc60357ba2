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
 * How: `piecesOf` (core/updates/pieces.ts) cuts a doc into updates that each apply fully after
 * the ones before; this module spreads making and applying them over turns of the fair queue.
 */
import * as Y from 'yjs';

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
