/**
 * What an update must pass after decoding and before it is stored: the doc size cap, a dry run
 * on a shadow copy of the doc, and a bound on what waits there for missing dependencies.
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
 */
import * as Y from 'yjs';
import { replicaDoc } from './replica-doc.ts';

export type Verdict = 'accepted' | 'docTooLarge' | 'refused';

/** After a deletion, how soon the doc may be measured again for room under the cap. */
const MEASURE_INTERVAL_MS = 250;

/**
 * Most bytes of updates a doc keeps waiting for missing dependencies. Yjs merges that backlog
 * into every later update it applies and into every sync answer, so unbounded it makes each
 * write slower than the last (found by the frame fuzz: writes whose earlier parts were refused,
 * and invented client ids, stalled the event loop for seconds). An honest client's backlog is
 * the few keystrokes that overtake its sync step 2.
 */
export const MAX_PENDING_BYTES = 64 * 1024;

/** Bytes Yjs holds back for missing dependencies (internal to Yjs 13, used by its own encoder). */
function pendingBytes(doc: Y.Doc): number {
  const store = doc.store as unknown as {
    pendingStructs: { update: Uint8Array } | null;
    pendingDs: Uint8Array | null;
  };
  return (store.pendingStructs?.update.byteLength ?? 0) + (store.pendingDs?.byteLength ?? 0);
}

export class WriteGuard {
  private shadow = replicaDoc();
  /** Accepted updates not yet applied to the live doc (being stored), oldest first. */
  private unapplied: Uint8Array[] = [];
  /** An upper bound of the doc's encoded size: the last measure plus every update since. */
  private approxBytes = 0;
  private measuredBytes = 0;
  private measuredAt = 0;
  /** An update since the last measure deleted something: measuring may find room. */
  private deletedSinceMeasure = false;

  constructor(
    private readonly live: Y.Doc,
    private readonly maxDocBytes: number,
    private readonly maxPendingBytes = MAX_PENDING_BYTES,
  ) {}

  /** Mirrors the stored log the live doc was loaded from. */
  load(updates: readonly Uint8Array[]): void {
    this.shadow.transact(() => {
      for (const u of updates) {
        try {
          Y.applyUpdate(this.shadow, u);
        } catch {
          // the live doc skipped (and reported) the same entry
        }
      }
    });
    this.approxBytes = updates.reduce((n, u) => n + u.byteLength, 0);
  }

  /**
   * Decides on a decoded update; an accepted one is on the shadow when this returns.
   * `deletes` is the number of delete ranges it carries (from the scan).
   */
  admit(update: Uint8Array, deletes = 0): Verdict {
    if (this.approxBytes + update.byteLength > this.maxDocBytes && !this.fits(update)) {
      return 'docTooLarge';
    }
    const pendingBefore = pendingBytes(this.shadow);
    try {
      Y.applyUpdate(this.shadow, update);
    } catch {
      this.rebuild();
      return 'refused';
    }
    const pending = pendingBytes(this.shadow);
    if (pending > this.maxPendingBytes && pending > pendingBefore) {
      this.rebuild();
      return 'refused';
    }
    this.unapplied.push(update);
    this.approxBytes += update.byteLength;
    if (deletes > 0) this.deletedSinceMeasure = true;
    return 'accepted';
  }

  /** The oldest accepted update was stored and applied to the live doc. */
  applied(): void {
    this.unapplied.shift();
  }

  /** An accepted update could not be stored: the live doc will never get it. */
  dropped(update: Uint8Array): void {
    const i = this.unapplied.indexOf(update);
    if (i >= 0) this.unapplied.splice(i, 1);
    this.rebuild();
  }

  /**
   * Measures the doc when the estimate says the update would not fit (deleted content is
   * garbage-collected, so deleting makes room). A measure is a full encode, so it is repeated
   * only after the doc grew by a 64th of the cap, or after a deletion and at most four times a
   * second: a writer cannot make the server encode a full doc per frame.
   */
  private fits(update: Uint8Array): boolean {
    const now = performance.now();
    const grown = this.approxBytes - this.measuredBytes > this.maxDocBytes / 64;
    const freed = this.deletedSinceMeasure && now - this.measuredAt >= MEASURE_INTERVAL_MS;
    if (this.measuredAt === 0 || grown || freed) {
      this.measuredBytes = Y.encodeStateAsUpdate(this.shadow).byteLength;
      this.approxBytes = this.measuredBytes;
      this.measuredAt = now;
      this.deletedSinceMeasure = false;
    }
    return this.approxBytes + update.byteLength <= this.maxDocBytes;
  }

  /** A fresh shadow: the live doc plus the updates accepted but not yet applied to it. */
  private rebuild(): void {
    this.shadow.destroy();
    this.shadow = replicaDoc();
    for (const u of [Y.encodeStateAsUpdate(this.live), ...this.unapplied]) {
      try {
        Y.applyUpdate(this.shadow, u);
      } catch {
        // cannot happen for updates that passed before; the live doc is the reference
      }
    }
  }

  destroy(): void {
    this.shadow.destroy();
    this.unapplied = [];
  }
}
