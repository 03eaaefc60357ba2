/**
 * A loaded doc: one Y.Doc and one awareness shared by every connection to
 * `/sync/<planId>/<doc>`. Accepted updates are stored first, then applied and broadcast, so
 * nothing reaches another replica before it is durable.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocName } from '../../core/model/schema.ts';
import type { PresenceUser } from '../../core/access/index.ts';
import type { Context } from '../context.ts';
import { errorName } from '../log.ts';
import { replicaDoc } from './replica-doc.ts';
import { WriteGuard, type Verdict } from './write-guard.ts';
import {
  encodeAwarenessMessage,
  encodeAwarenessUpdate,
  encodeSyncStep2Update,
  encodeSyncUpdate,
  type AwarenessEntry,
} from './messages.ts';

/** What a room needs of a connection. */
export interface RoomPeer {
  readonly id: number;
  clientId: number | null;
  readonly user: PresenceUser;
  send(data: Uint8Array): void;
  fail(error: unknown): void;
}

/**
 * Merges a doc's update log into one update. A fresh garbage-collecting doc (rather than
 * `Y.mergeUpdates`) drops the content of deleted items, so the snapshot stays small and text
 * a member deleted does not linger in the database.
 */
export function mergeLog(updates: Uint8Array[]): Uint8Array {
  const doc = replicaDoc();
  doc.transact(() => {
    for (const u of updates) {
      try {
        Y.applyUpdate(doc, u);
      } catch {
        // skipped: validated before storing, so only a damaged file gets here
      }
    }
  });
  const merged = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return merged;
}

function sameStateVector(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [client, clock] of a) if (b.get(client) !== clock) return false;
  return true;
}

export class Room {
  readonly doc = replicaDoc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly peers = new Set<RoomPeer>();
  private readonly guard: WriteGuard;
  private cachedSnapshot: Y.Snapshot | null = null;
  /** Sync step 2 frames for an empty replica and for one already up to date (syncStep2). */
  private cachedAnswers: { empty?: Uint8Array; current?: Uint8Array; sv?: Map<number, number> } = {};
  private storedCount = 0;
  private inflight = 0;
  private compacting = false;
  private compactTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set once unloaded or deleted: late store completions are ignored. */
  closed = false;

  constructor(
    private readonly ctx: Context,
    readonly planId: string,
    readonly name: DocName,
  ) {
    this.guard = new WriteGuard(this.doc, ctx.config.maxDocBytes);
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.cachedSnapshot = null;
      this.cachedAnswers = {};
      const message = encodeSyncUpdate(update);
      for (const peer of this.peers) if (peer !== origin) peer.send(message);
    });
    this.awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
        const changed = [...added, ...updated, ...removed];
        const message = encodeAwarenessMessage(
          awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed),
        );
        for (const peer of this.peers) peer.send(message);
      },
    );
  }

  /** Loads the stored log. Damaged entries are skipped and counted, never fatal. */
  async load(): Promise<void> {
    const updates = await this.ctx.storage.docs.loadUpdates(this.planId, this.name);
    let damaged = 0;
    this.doc.transact(() => {
      for (const u of updates) {
        try {
          Y.applyUpdate(this.doc, u);
        } catch {
          damaged++;
        }
      }
    }, 'load');
    this.guard.load(updates);
    if (damaged > 0)
      this.ctx.log.error('doc.damagedUpdates', { planId: this.planId, doc: this.name, count: damaged });
    this.storedCount = updates.length;
    this.maybeCompact();
  }

  /**
   * The doc's state vector and delete set, kept until the doc changes: building it walks every
   * struct, and readers may ask once per frame (Connection, a reader's repeated sync step 2).
   */
  snapshot(): Y.Snapshot {
    return (this.cachedSnapshot ??= Y.snapshot(this.doc));
  }

  /**
   * The sync step 2 frame answering a client's state vector. Two answers are common and the
   * same for everyone until the doc changes, so they are encoded once: the whole doc, for a new
   * device (and for each of a hundred members opening a shared plan at once), and the delete
   * set alone, for a device that is already up to date (every reconnect without news).
   * Anything else is encoded for its state vector, which skips what the client has.
   */
  syncStep2(stateVector: Uint8Array): Uint8Array {
    const theirs = Y.decodeStateVector(stateVector);
    const c = this.cachedAnswers;
    if (theirs.size === 0) {
      return (c.empty ??= encodeSyncStep2Update(Y.encodeStateAsUpdate(this.doc)));
    }
    c.sv ??= Y.decodeStateVector(Y.encodeStateVector(this.doc));
    if (sameStateVector(theirs, c.sv)) {
      return (c.current ??= encodeSyncStep2Update(Y.encodeStateAsUpdate(this.doc, stateVector)));
    }
    return encodeSyncStep2Update(Y.encodeStateAsUpdate(this.doc, stateVector));
  }

  /**
   * True when the doc already holds everything the update carries: a client's sync step 2 after
   * a reload repeats at least the whole delete set, and two open pages of one user forward each
   * other's edits. Such an update is not a write: it is neither stored nor audited. The cheap
   * test first (does it carry a struct the doc lacks?), the snapshot only for deletions.
   */
  contains(update: Uint8Array, deletes: number): boolean {
    const { to } = Y.parseUpdateMeta(update);
    for (const [client, clock] of to) if (clock > Y.getState(this.doc.store, client)) return false;
    return deletes === 0 || Y.snapshotContainsUpdate(this.snapshot(), update);
  }

  get busy(): boolean {
    return this.inflight > 0 || this.compacting;
  }

  /**
   * Stores a decoded update from a member allowed to write, then applies and broadcasts it.
   * Group commit in the store batches concurrent updates into one fsync. Returns at once:
   * `docTooLarge` or `refused` (it would break the doc, see WriteGuard) mean nothing was
   * stored and the caller tells the peer.
   */
  write(peer: RoomPeer, update: Uint8Array, deletes: number): Verdict {
    const verdict = this.guard.admit(update, deletes);
    if (verdict !== 'accepted') {
      this.ctx.metrics.inc('varde_updates_refused_total', { reason: verdict });
      if (verdict === 'refused') {
        this.ctx.log.warn('doc.updateRefused', {
          planId: this.planId,
          doc: this.name,
          bytes: update.byteLength,
        });
      }
      return verdict;
    }
    this.inflight++;
    const started = performance.now();
    this.ctx.storage.docs.appendUpdate(this.planId, this.name, update).then(
      () => {
        this.inflight--;
        this.ctx.metrics.inc('varde_updates_stored_total');
        this.ctx.metrics.inc('varde_update_bytes_total', undefined, update.byteLength);
        this.ctx.metrics.inc('varde_store_commit_ms_total', undefined, performance.now() - started);
        if (this.closed) return;
        this.storedCount++;
        this.guard.applied();
        try {
          Y.applyUpdate(this.doc, update, peer);
        } catch (error) {
          // The shadow took it, so this means the two copies parted: a bug worth an alarm.
          this.ctx.log.error('doc.applyFailed', {
            planId: this.planId,
            doc: this.name,
            error: errorName(error),
          });
        }
        this.maybeCompact();
      },
      (error: unknown) => {
        this.inflight--;
        this.ctx.log.error('doc.storeFailed', {
          planId: this.planId,
          doc: this.name,
          error: errorName(error),
        });
        if (!this.closed) this.guard.dropped(update);
        peer.fail(error);
      },
    );
    return verdict;
  }

  /** Applies a client's own awareness entry, with `user` replaced by its member identity. */
  presence(peer: RoomPeer, entries: readonly AwarenessEntry[]): void {
    const accepted: AwarenessEntry[] = [];
    for (const entry of entries) {
      if (peer.clientId === null && entry.state !== null && this.claimable(entry.clientId)) {
        peer.clientId = entry.clientId;
      }
      if (entry.clientId !== peer.clientId) continue;
      accepted.push({
        ...entry,
        state: entry.state === null ? null : { ...entry.state, user: peer.user },
      });
    }
    if (accepted.length > 0) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(accepted), peer);
    }
  }

  /** A client id is free when no other connection uses it and it is not the server's own. */
  private claimable(clientId: number): boolean {
    if (clientId === this.doc.clientID) return false;
    for (const p of this.peers) if (p.clientId === clientId) return false;
    return true;
  }

  /** Every current presence state, for a newly connected or querying client. */
  presenceSnapshot(): Uint8Array | null {
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length === 0) return null;
    return encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
  }

  join(peer: RoomPeer): void {
    this.peers.add(peer);
  }

  leave(peer: RoomPeer): void {
    this.peers.delete(peer);
    if (peer.clientId !== null) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [peer.clientId], peer);
    }
  }

  private maybeCompact(): void {
    if (this.storedCount <= this.ctx.config.compactThreshold || this.compactTimer || this.compacting) return;
    // Not in the write path: a burst of typing finishes first.
    this.compactTimer = setTimeout(() => {
      this.compactTimer = null;
      void this.compact();
    }, 1000);
  }

  /** Replaces the stored log by one snapshot. */
  async compact(): Promise<void> {
    if (this.compacting || this.storedCount < 2) return;
    this.compacting = true;
    const started = performance.now();
    try {
      await this.ctx.storage.docs.compact(this.planId, this.name, mergeLog);
      this.storedCount = 1;
      this.ctx.metrics.inc('varde_compactions_total');
      this.ctx.log.debug('doc.compacted', {
        planId: this.planId,
        doc: this.name,
        ms: Math.round(performance.now() - started),
      });
    } catch (error) {
      this.ctx.log.error('doc.compactFailed', {
        planId: this.planId,
        doc: this.name,
        error: errorName(error),
      });
    } finally {
      this.compacting = false;
    }
  }

  /** Frees memory; with `compactFirst`, folds the log into a snapshot (idle unload). */
  async unload(compactFirst: boolean): Promise<void> {
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.compactTimer = null;
    if (compactFirst && this.storedCount > 1) await this.compact();
    this.closed = true;
    this.guard.destroy();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
