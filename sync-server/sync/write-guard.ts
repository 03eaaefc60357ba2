/**
 * What an update must pass after decoding and before it is stored: the doc size cap and a dry
 * run on a shadow copy of the doc, which also tells what of it the doc can integrate now (the
 * server keeps nothing waiting for missing dependencies: `dropPending`).
 *
 * Why a dry run: some updates decode cleanly and still make `Y.applyUpdate` throw halfway
 * through its transaction, depending on the state of the doc they meet (found by
 * `npm run fuzz:frames`: an item whose known prefix ends in a garbage-collected struct). A
 * throw there leaves the doc half-applied, observers already told, and, since updates are
 * stored before they are applied, the poison in the log for every later load. The shadow gets
 * every update first, in the order the live doc will; an update that throws there is refused
 * before it is stored, and the shadow is rebuilt from the live doc. Yjs is deterministic, so
 * what passes on the shadow passes on the live doc. The price is a second copy of each loaded
 * doc and applying each update twice; Varde's docs are small text (docs/reliability.md has
 * the memory figures).
 *
 * A rebuild is a whole doc, so it is not done in the frame that caused it: the shadow is marked
 * stale, every update meets `busy` until it is ready (nothing is stored; the room asks the
 * writer again once it is, and the client sends what the server lacks), and Room runs
 * `rebuild` from the stored log, as a load, in turns of the fair queue under the address that
 * caused it (in-turns.ts). Encoding the live doc and applying it to a fresh copy once held the
 * loop 90–140 ms on a doc near `--max-doc-structs`, and a writer could cause one per frame
 * with an update that throws.
 *
 * Why the cap is a bound and not a sum of inputs: an update can make the doc's encoding grow by
 * more than its own size. Deleting every other character of a long insert, in small updates,
 * splits one item into thousands (each split is a struct of its own, with its own ids): 8.25 MB
 * of accepted updates once made a 28.7 MB doc. So each update is charged its size plus the most
 * its structs and delete ranges can split (`SPLIT_BYTES`, `SPLITS_PER`), and the doc's encoded
 * size and struct count are measured exactly when that bound would pass a cap (an update that
 * deletes is then applied to the shadow and the result measured, since deleting often undoes
 * splits): what is accepted never makes the real doc larger than `maxDocBytes` or
 * `maxDocStructs`.
 */
import * as Y from 'yjs';
import { MAX_CONFLICT_STEPS, withConflictBudget } from './conflict-budget.ts';
import { encodedSize } from './encoded-size.ts';
import { applyInTurns, type Turn } from './in-turns.ts';
import { replicaDoc } from './replica-doc.ts';

/**
 * `storageFull` is the server's (its stored-bytes quota), decided before the guard is asked.
 * `lacking`: every part of the update needs structs the doc does not hold; nothing is stored.
 * `held`: the doc already held all of it. `busy`: the guard's copy is being rebuilt, or the
 * update can only be judged by measuring the doc and a measure is not due yet; nothing is
 * stored, and the writer is asked again once the guard is ready or the measure due.
 */
export type Verdict = 'accepted' | 'docTooLarge' | 'storageFull' | 'refused' | 'lacking' | 'held' | 'busy';

/**
 * What the guard made of an update. An accepted one may have been taken only in part:
 * `update` is what to store and apply (what the doc could integrate), and `lacking` says some
 * of it needed structs the doc does not hold and was left out.
 */
export type Admission =
  { verdict: 'accepted'; update: Uint8Array; lacking: boolean } | { verdict: Exclude<Verdict, 'accepted'> };

/** What the guard needs to know of an update, from the scan (update-scan.ts). */
export interface UpdateCounts {
  structs: number;
  /** Ranges in the delete set. */
  deletes: number;
  /** The delete set's ranges, `[client, clock, length]` (to tell new deletions from repeats). */
  deleteRanges?: readonly (readonly [number, number, number])[];
}

/**
 * How soon the doc may be measured again for room under the cap: after at least this long, and
 * after ten times what the last measure took, so measuring one doc costs at most a tenth of the
 * server's time whatever its writers send.
 */
const MEASURE_INTERVAL_MS = 250;
const MEASURE_SHARE = 10;

/**
 * Most bytes one split adds to the doc's encoding: the right part becomes a struct with an info
 * byte, an origin and a right origin (a client id of up to 8 varint bytes and a clock of up to
 * 8 each) and a content length, about 40 bytes at the very worst.
 */
export const SPLIT_BYTES = 40;
/**
 * Most items one struct or one delete range can split: an insertion splits the item holding its
 * origin and the one holding its right origin; a deleted range splits at its two ends.
 */
export const SPLITS_PER = 2;

/**
 * Most work the deletions of one update may ask of each copy of the doc, counted as the
 * structs of its client each new deletion searches and splices: Yjs splits an item a deletion
 * starts or ends inside with an array splice over that client's structs, so many scattered
 * deletions on a doc near `--max-doc-structs` cost their product. Found by the frame fuzz and a
 * CPU profile (Yjs's `readAndApplyDeleteSet` first in self time): 19,000 one-character
 * deletions on a 90,000-struct text held the event loop 0.7 s per copy, and the server applies
 * an update to two. 500 million is about 100 ms a copy (2 vCPUs). Deletions already in the doc
 * (a client's sync step 2 repeats its whole delete set) split nothing and are not counted; a
 * two-year plan (~8,000 structs) could delete in one update far more than the 20,000 ranges
 * `--max-update-structs` allows.
 */
export const MAX_DELETE_WORK = 500_000_000;

/**
 * Forgets what Yjs holds back for missing dependencies (its "pending" structs and deletions,
 * internal to Yjs 13); true when there was something. The server keeps none: Yjs merges that
 * backlog into every later update it applies and into every encode of the doc (each sync
 * answer, each measure, each compaction becomes a full decode and re-encode), so a few bytes
 * that never resolve made every full-doc job several times slower for good (a CPU profile under
 * the frame fuzz: 9 KB waiting on 100 invented clients in every playground doc, Yjs's
 * `mergeUpdatesV2` a quarter of the server's time). What waited never became part of the doc
 * and was never shown to anyone; a client that has it sends it again when asked (sync step 1).
 */
export function dropPending(doc: Y.Doc): boolean {
  const store = doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown };
  const had = store.pendingStructs !== null || store.pendingDs !== null;
  store.pendingStructs = null;
  store.pendingDs = null;
  return had;
}

/** Whether every struct of `structs` in `[clock, end)` is deleted (clocks past the last: yes). */
function alreadyDeleted(structs: (Y.Item | Y.GC)[], clock: number, end: number): boolean {
  const last = structs[structs.length - 1]!;
  if (clock >= last.id.clock + last.length) return true; // not there yet: Yjs keeps it pending
  for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
    const s = structs[i]!;
    if (s.id.clock >= end) break;
    if (!s.deleted) return false;
  }
  return true;
}

/** Structs in a doc, exactly: one array per client (O(clients), not O(structs)). */
export function structCount(doc: Y.Doc): number {
  let n = 0;
  for (const structs of doc.store.clients.values()) n += structs.length;
  return n;
}

export interface DocCaps {
  /** Largest encoded size (`Y.encodeStateAsUpdate(doc).byteLength`) a doc may reach. */
  maxDocBytes: number;
  /** Most structs a doc may hold: what a loaded doc costs in memory follows this count. */
  maxDocStructs: number;
}

/**
 * Guards one live doc with a shadow copy (see above): `admit` decides on each decoded update before it is
 * stored, then `applied` (oldest first) or `dropped` reports what became of an accepted one.
 */
export class WriteGuard {
  private shadow = replicaDoc();
  /** Accepted updates not yet applied to the live doc (being stored), oldest first. */
  private unapplied: Uint8Array[] = [];
  /** Upper bounds of the doc's encoded size and struct count: the last measure plus charges. */
  private bytesBound = 0;
  private structBound = 0;
  /** What the last measure found (-1: never measured; the bounds mean nothing yet). */
  private measuredBytes = -1;
  private measuredStructs = -1;
  private measuredAt = 0;
  private measureMs = 0;
  /** An update since the last measure deleted something: measuring may find room. */
  private deletedSinceMeasure = false;
  /** False from the moment the shadow may differ from the live doc until a rebuild ends. */
  private ready = true;
  /** The shadow went stale and no rebuild has started since: Room starts one (`rebuild`). */
  needsRebuild = false;
  /** Counts rebuilds started (and `destroy`): a rebuild that is no longer the latest stops. */
  private generation = 0;
  constructor(
    private readonly live: Y.Doc,
    private readonly caps: DocCaps,
  ) {}

  /**
   * Mirrors the stored log the live doc was loaded from, in turns (the live doc skipped and
   * reported the same damaged entries). Returns the longest turn (ms).
   */
  async load(updates: readonly Uint8Array[], turn: Turn, alive: () => boolean = () => true): Promise<number> {
    const { longestMs } = await applyInTurns(this.shadow, updates, turn, alive);
    dropPending(this.shadow); // as the live doc did (Room.load)
    // Measured on the first write that needs it: a sum of stored updates is no bound.
    this.measuredBytes = -1;
    return longestMs;
  }

  /**
   * Decides on a decoded update; what it accepts is on the shadow when this returns. The part
   * of an update that needs structs the doc lacks is left out (`lacking`) rather than kept
   * waiting: the shadow integrates what it can, and what it integrated (its `update` event) is
   * what the room stores and applies. `counts` comes from the scan.
   */
  admit(update: Uint8Array, counts: UpdateCounts): Admission {
    if (!this.ready) return { verdict: 'busy' };
    if (this.deleteWork(counts) > MAX_DELETE_WORK) return { verdict: 'docTooLarge' };
    const splits = SPLITS_PER * (counts.structs + counts.deletes);
    const addBytes = update.byteLength + SPLIT_BYTES * splits;
    const addStructs = counts.structs + splits;
    const now = performance.now();
    const own = { bytes: update.byteLength, structs: counts.structs };
    const room = this.room(addBytes, addStructs, own, counts.deletes > 0, now);
    if (room === 'full') return { verdict: 'docTooLarge' };
    if (room === 'later') return { verdict: 'busy' };
    // What the shadow integrated is its transaction's `update` event, listened to only here: a
    // listener makes Yjs encode every transaction, and a load or rebuild is the whole doc.
    let taken: Uint8Array | null = null;
    const take = (integrated: Uint8Array) => {
      taken = integrated;
    };
    this.shadow.on('update', take);
    try {
      // Placing concurrent items may walk far (conflict-budget.ts): past the budget it throws.
      withConflictBudget(MAX_CONFLICT_STEPS, () => Y.applyUpdate(this.shadow, update));
    } catch {
      this.invalidate();
      return { verdict: 'refused' };
    } finally {
      this.shadow.off('update', take);
    }
    const lacking = dropPending(this.shadow);
    if (!taken) return { verdict: lacking ? 'lacking' : 'held' };
    if (room === 'try') {
      const before = [this.bytesBound, this.structBound, this.measuredBytes, this.measuredStructs] as const;
      this.measure();
      if (this.bytesBound > this.caps.maxDocBytes || this.structBound > this.caps.maxDocStructs) {
        [this.bytesBound, this.structBound, this.measuredBytes, this.measuredStructs] = before;
        this.invalidate();
        return { verdict: 'docTooLarge' };
      }
    } else {
      this.bytesBound += addBytes;
      this.structBound += addStructs;
      if (counts.deletes > 0) this.deletedSinceMeasure = true;
    }
    this.unapplied.push(taken);
    return { verdict: 'accepted', update: taken, lacking };
  }

  /**
   * What the update's new deletions would cost each copy (MAX_DELETE_WORK): for each range not
   * already deleted in the doc, its client's struct count. Counted only when the ranges could
   * reach the bound at all, so an everyday update costs one multiplication.
   */
  private deleteWork(counts: UpdateCounts): number {
    // No doc passes its struct cap, so a few thousand ranges cannot reach the bound at all.
    if (counts.deletes * this.caps.maxDocStructs <= MAX_DELETE_WORK) return 0;
    const clients = this.shadow.store.clients;
    let largest = 0;
    for (const structs of clients.values()) largest = Math.max(largest, structs.length);
    if (counts.deletes * largest <= MAX_DELETE_WORK || !counts.deleteRanges) return 0;
    let work = 0;
    for (const [client, clock, length] of counts.deleteRanges) {
      const structs = clients.get(client);
      if (!structs || structs.length === 0) continue; // waits for its structs: no split now
      if (!alreadyDeleted(structs, clock, clock + length)) work += structs.length;
      if (work > MAX_DELETE_WORK) break;
    }
    return work;
  }

  /** The oldest accepted update was stored and applied to the live doc. */
  applied(): void {
    this.unapplied.shift();
  }

  /** An accepted update could not be stored: the live doc will never get it. */
  dropped(update: Uint8Array): void {
    const i = this.unapplied.indexOf(update);
    if (i >= 0) this.unapplied.splice(i, 1);
    this.invalidate();
  }

  /**
   * Whether the doc stays under both caps with this much more: `fits` by the bounds, `full`, or
   * `try`: apply it to the shadow and measure the result; `later`: only a measure could tell,
   * and one is not due. When the bounds say no, the doc is measured (deleted content is
   * garbage-collected, and bounds overestimate), but a measure walks the whole doc
   * (encoded-size.ts), so it is repeated only after the doc's bound grew by a 64th of the cap
   * or after a deletion, and then only when due (`MEASURE_INTERVAL_MS`, `MEASURE_SHARE`): a
   * writer cannot make the server walk a full doc per frame (once it could, with updates
   * charged a 64th of the cap each). An update that meets `later` is not refused: it gets
   * `busy` and its writer is asked again when the measure is due. An update that deletes is
   * tried rather than judged by its bound: its charge counts two splits a range, but deleting
   * a run of split items merges them again (on a full, fragmented doc, "delete everything" was
   * charged ten times the cap and refused, so a full doc could never be emptied). So is an
   * update whose charge alone passes a cap, and one that passes it only by the splits it was
   * charged while its own size fits: a device's first sync step 2 of a large plan, or a piece
   * of one (core/updates/pieces.ts), splits nothing. `full` is for an update whose own size
   * does not fit.
   */
  private room(
    addBytes: number,
    addStructs: number,
    own: { bytes: number; structs: number },
    deletes: boolean,
    now: number,
  ): 'fits' | 'full' | 'try' | 'later' {
    const { maxDocBytes, maxDocStructs } = this.caps;
    const firstMeasure = this.measuredBytes < 0;
    this.ensureMeasured();
    const under = (bytes: number, structs: number) =>
      this.bytesBound + bytes <= maxDocBytes && this.structBound + structs <= maxDocStructs;
    const small = addBytes <= maxDocBytes && addStructs <= maxDocStructs;
    if (small && under(addBytes, addStructs)) return 'fits';
    const due = firstMeasure || now >= this.measureDueAt();
    // An update charged more than a whole doc may still fit: a device's first sync step 2 of a
    // large plan splits nothing, yet its charge counts two splits a struct.
    if (deletes || !small) return due ? 'try' : 'later';
    const grown =
      this.bytesBound - this.measuredBytes > maxDocBytes / 64 ||
      this.structBound - this.measuredStructs > maxDocStructs / 64;
    if (grown || this.deletedSinceMeasure) {
      if (!due) return 'later';
      this.measure();
      if (under(addBytes, addStructs)) return 'fits';
    }
    // Not even its own size fits: the doc is full. Otherwise only its splits were charged past
    // the cap, and it may well fit as it is (pieces of a large answer split nothing): try it.
    if (!under(own.bytes, own.structs)) return 'full';
    return due ? 'try' : 'later';
  }

  /** Its copy is stale or being rebuilt: every update meets `busy` until `rebuild` ends. */
  get rebuilding(): boolean {
    return !this.ready;
  }

  /** When the doc may next be measured (`performance.now()` time). */
  private measureDueAt(): number {
    return this.measuredAt + Math.max(MEASURE_INTERVAL_MS, MEASURE_SHARE * this.measureMs);
  }

  /**
   * Milliseconds until an update that met `busy` for want of a measure may be tried again (0
   * when it may now). The room asks its writers again then.
   */
  measureDueIn(): number {
    return Math.max(0, this.measureDueAt() - performance.now());
  }

  private ensureMeasured(): void {
    if (this.measuredBytes < 0) this.measure();
  }

  private measure(): void {
    const start = performance.now();
    this.measuredBytes = this.bytesBound = encodedSize(this.shadow);
    this.measuredStructs = this.structBound = structCount(this.shadow);
    this.measuredAt = start;
    this.measureMs = performance.now() - start;
    this.deletedSinceMeasure = false;
  }

  /** The shadow may differ from the live doc: no update is admitted until `rebuild` ends. */
  private invalidate(): void {
    this.ready = false;
    this.needsRebuild = true;
  }

  /**
   * A fresh shadow, in turns, from the stored log (`readLog`, as a load: a snapshot in pieces,
   * then updates) and the updates accepted but not yet applied to the live doc, taken before
   * the log is read. Every update the guard accepted is in one of the two, some in both
   * (applying one twice changes nothing), and none is accepted meanwhile (`busy`). Built beside
   * the stale shadow and swapped in at the end. A rebuild started later (another update was
   * dropped meanwhile) or `destroy` makes this one stop; one that fails (the log could not be
   * read) leaves the guard busy and wanting a rebuild, which the next write starts. True when
   * this rebuild made the guard ready.
   */
  async rebuild(turn: Turn, readLog: () => Promise<Uint8Array[]>): Promise<boolean> {
    this.needsRebuild = false;
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    const accepted = [...this.unapplied];
    const fresh = replicaDoc();
    try {
      const log = await readLog();
      // Damaged entries: the live doc skipped (and reported) the same ones at its load.
      await applyInTurns(fresh, [...log, ...accepted], turn, current);
      if (!current()) return false;
      dropPending(fresh);
      this.shadow.destroy();
      this.shadow = fresh;
      this.ready = true;
      // The bounds stay: they are the last measure plus every update accepted since, and the
      // fresh copy holds exactly those (the refused update is what the rebuild left out).
      // Measuring here instead once made every throwing update cost a walk of the whole doc.
      return true;
    } catch (error) {
      if (current()) this.needsRebuild = true;
      throw error;
    } finally {
      if (!current() || !this.ready) fresh.destroy();
    }
  }

  destroy(): void {
    this.generation++;
    this.shadow.destroy();
    this.unapplied = [];
  }
}
