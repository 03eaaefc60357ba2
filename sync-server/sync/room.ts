/**
 * A loaded doc: one Y.Doc and one awareness shared by every connection to
 * `/sync/<planId>/<doc>`. Accepted updates are stored first, then applied and broadcast, so
 * nothing reaches another replica before it is durable.
 */
import { randomInt } from 'node:crypto';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocName } from '../../core/model/schema.ts';
import type { PresenceUser } from '../../core/access/index.ts';
import type { Context } from '../context.ts';
import { errorName } from '../log.ts';
import { piecesOf } from '../../core/updates/pieces.ts';
import { applyInTurns, collectInTurns, PIECE_STRUCTS, type Turn } from './in-turns.ts';
import { replicaDoc } from './replica-doc.ts';
import { dropPending, WriteGuard, type Verdict } from './write-guard.ts';
import {
  encodeAwarenessMessage,
  encodeAwarenessUpdate,
  encodeDeleteSetUpdate,
  encodeStateVector,
  encodeSyncStep2Update,
  encodeSyncUpdate,
  type AwarenessEntry,
  type CheckedUpdate,
} from './messages.ts';

/** A turn of loading a doc that holds the event loop this long is logged (doc.slowLoad). */
const SLOW_LOAD_MS = 100;
/** A stored update at least this large is applied to the live doc in a turn of the fair queue. */
const COSTLY_APPLY_BYTES = 16 * 1024;
/** The fair queue's key for compactions: they take turns as if one more client. */
const COMPACTION_TURNS = 'compaction';

/** What a room needs of a connection. */
export interface RoomPeer {
  readonly id: number;
  /** Whose turn the peer's costly work takes in the fair queue (its client address). */
  readonly turnKey: string;
  /** The Yjs client id the connection's presence is for: the first one it announced. */
  clientId: number | null;
  /** The id the room relays that presence under, chosen by the room. */
  presenceId: number | null;
  /** The peer asked for the doc (sync step 1): only then does it get live updates. */
  readonly reading: boolean;
  readonly user: PresenceUser;
  send(data: Uint8Array): void;
  fail(error: unknown): void;
  /** The doc changed: a peer whose update needed what the doc lacked may ask again (Connection). */
  docChanged?(): void;
  /** Its update met the write guard busy and was not stored: ask the client for it again. */
  askAgain?(): void;
}

/**
 * Folds a doc's update log into a snapshot, in turns of the fair queue (`turn` runs one job in
 * a turn). A fresh garbage-collecting doc (rather than `Y.mergeUpdates`) drops the content of
 * deleted items, so the snapshot stays small and text a member deleted does not linger in the
 * database. The log is applied a slice at a time, and the snapshot is written in pieces
 * (in-turns.ts `encodeInPieces`), so that whoever loads it later builds the doc in turns too:
 * folding the log of a large doc took seconds in one piece (a CPU profile under the frame fuzz),
 * and applying a snapshot near `--max-doc-structs` in one call held the loop 90–390 ms.
 */
export async function mergeLogInTurns(updates: readonly Uint8Array[], turn: Turn): Promise<Uint8Array[]> {
  const doc = replicaDoc();
  try {
    // A damaged entry is skipped: entries were checked before they were stored.
    await applyInTurns(doc, updates, turn);
    // What waited for missing dependencies is not kept (write-guard.ts `dropPending`).
    dropPending(doc);
    return await collectInTurns(piecesOf(doc, PIECE_STRUCTS), turn);
  } finally {
    doc.destroy();
  }
}

function sameStateVector(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [client, clock] of a) if (b.get(client) !== clock) return false;
  return true;
}

/**
 * One loaded doc of a plan and its awareness, shared by its peers; `Rooms` creates, loads and unloads
 * rooms. `write` stores an update before the doc applies and broadcasts it.
 */
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
  /** Stored updates waiting for a turn to be applied to the live doc, in the order stored. */
  private toApply: { peer: RoomPeer; update: Uint8Array }[] = [];
  private compacting = false;
  private compactTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set once unloaded or deleted: late store completions are ignored. */
  closed = false;
  /** How many times the live doc has changed since it was loaded. */
  changes = 0;
  /**
   * Peers whose update met the write guard busy: asked again once it is rebuilt, or once its
   * next measure is due (`guardTimer`).
   */
  private readonly waitingForGuard = new Set<RoomPeer>();
  private guardTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly ctx: Context,
    readonly planId: string,
    readonly name: DocName,
  ) {
    this.guard = new WriteGuard(this.doc, ctx.config);
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.cachedSnapshot = null;
      this.cachedAnswers = {};
      this.changes++;
      const message = encodeSyncUpdate(update);
      for (const peer of this.peers) {
        if (peer !== origin && peer.reading) peer.send(message);
        peer.docChanged?.();
      }
    });
    // A peer's own presence is never sent back to it: relayed under the room's id for it, it
    // would look like somebody else's.
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        const changed = [...added, ...updated, ...removed];
        const message = encodeAwarenessMessage(
          awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed),
        );
        for (const peer of this.peers) if (peer !== origin) peer.send(message);
      },
    );
  }

  /**
   * Loads the stored log. Damaged entries are skipped and counted, never fatal. Each copy of
   * the doc (the live one, the write guard's) is built in turns of the fair queue under
   * `turnKey`, the address of the connection that asked: a large doc costs its asker's turns,
   * and a snapshot comes in pieces (mergeLogInTurns), so no turn holds the loop for long.
   */
  async load(turnKey: string): Promise<void> {
    const updates = await this.ctx.storage.docs.loadUpdates(this.planId, this.name);
    const turn: Turn = (job) => this.ctx.fair.runOnce(turnKey, job);
    const alive = () => !this.closed;
    // No origin: nobody is connected yet, so nothing is broadcast.
    const live = await applyInTurns(this.doc, updates, turn, alive);
    // A log from before the server kept nothing waiting may hold such structs (write-guard.ts).
    dropPending(this.doc);
    const guard = await this.guard.load(updates, turn, alive);
    const ms = Math.max(live.longestMs, guard);
    // Names what held the event loop, as Connection does for a slow frame: a log written before
    // snapshots came in pieces may hold one large entry.
    if (ms >= SLOW_LOAD_MS)
      this.ctx.log.warn('doc.slowLoad', {
        planId: this.planId,
        doc: this.name,
        ms: Math.round(ms),
        count: updates.length,
      });
    if (live.damaged > 0)
      this.ctx.log.error('doc.damagedUpdates', { planId: this.planId, doc: this.name, count: live.damaged });
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
   * same for everyone until the doc changes, so they are encoded once (cachedAnswer); anything
   * else is encoded for the entries of the state vector that name clients of this doc (Yjs
   * ignores the others), which skips what the client has.
   */
  syncStep2(theirs: ReadonlyMap<number, number>): Uint8Array {
    return (
      this.cachedAnswer(theirs) ??
      encodeSyncStep2Update(Y.encodeStateAsUpdate(this.doc, encodeStateVector(this.knownEntries(theirs))))
    );
  }

  /**
   * The answer shared by everyone until the doc changes, or null when the state vector needs
   * an answer of its own: the whole doc, for a new device (and for each of a hundred members
   * opening a shared plan at once), and the delete set alone, for a device that is already up
   * to date (every reconnect without news). Costs one encode per doc change, not per asker.
   */
  cachedAnswer(theirs: ReadonlyMap<number, number>): Uint8Array | null {
    const c = this.cachedAnswers;
    if (theirs.size === 0) return (c.empty ??= encodeSyncStep2Update(Y.encodeStateAsUpdate(this.doc)));
    const sv = this.stateVector();
    if (!sameStateVector(this.knownEntries(theirs), sv)) return null;
    return (c.current ??= encodeSyncStep2Update(Y.encodeStateAsUpdate(this.doc, encodeStateVector(sv))));
  }

  private stateVector(): Map<number, number> {
    return (this.cachedAnswers.sv ??= Y.decodeStateVector(Y.encodeStateVector(this.doc)));
  }

  /** The entries of a state vector that name clients of this doc. */
  private knownEntries(theirs: ReadonlyMap<number, number>): Map<number, number> {
    const sv = this.stateVector();
    const known = new Map<number, number>();
    for (const [client, clock] of theirs) if (sv.has(client)) known.set(client, clock);
    return known;
  }

  /** Clients with structs in the doc (bounds what a client's state vector may name). */
  get clientCount(): number {
    return this.doc.store.clients.size;
  }

  /**
   * True when the doc already holds everything the update carries: a client's sync step 2 after
   * a reload repeats at least the whole delete set, and two open pages of one user forward each
   * other's edits. Such an update is not a write: it is neither stored nor audited. Decided from
   * the scan alone (each client's last clock, then the delete ranges against the doc's delete
   * set), so an update from a member who may not write never reaches Yjs's decoder.
   */
  contains(update: CheckedUpdate): boolean {
    for (const [client, end] of update.ends) if (end > Y.getState(this.doc.store, client)) return false;
    if (update.deletes === 0) return true;
    return Y.snapshotContainsUpdate(this.snapshot(), encodeDeleteSetUpdate(update.deleteRanges));
  }

  get busy(): boolean {
    return this.inflight > 0 || this.toApply.length > 0 || this.compacting;
  }

  /**
   * Stores a decoded update from a member allowed to write, then applies and broadcasts it.
   * Group commit in the store batches concurrent updates into one fsync. Returns at once:
   * `docTooLarge` or `refused` (it would break the doc, see WriteGuard) mean nothing was
   * stored and the caller tells the peer; `lacking` (all of it, or with `accepted` some of it,
   * needs structs the doc lacks: that part was left out) means the caller asks the peer for
   * what the server lacks.
   */
  write(peer: RoomPeer, update: Uint8Array, shape: CheckedUpdate): { verdict: Verdict; lacking: boolean } {
    const admission = this.ctx.quota.full()
      ? { verdict: 'storageFull' as const }
      : this.guard.admit(update, shape);
    this.rebuildGuard(peer.turnKey);
    if (admission.verdict === 'busy') {
      this.waitingForGuard.add(peer);
      this.askAgainWhenDue();
    }
    if (admission.verdict !== 'accepted') {
      if (admission.verdict !== 'held')
        this.ctx.metrics.inc('varde_updates_refused_total', { reason: admission.verdict });
      if (admission.verdict === 'refused') {
        this.ctx.log.warn('doc.updateRefused', {
          planId: this.planId,
          doc: this.name,
          bytes: update.byteLength,
        });
      }
      return { verdict: admission.verdict, lacking: admission.verdict === 'lacking' };
    }
    if (admission.lacking) this.ctx.metrics.inc('varde_updates_refused_total', { reason: 'lacking' });
    const taken = admission.update;
    this.inflight++;
    const started = performance.now();
    this.ctx.storage.docs.appendUpdate(this.planId, this.name, taken).then(
      () => this.stored(peer, taken, started),
      (error: unknown) => {
        this.inflight--;
        this.ctx.log.error('doc.storeFailed', {
          planId: this.planId,
          doc: this.name,
          error: errorName(error),
        });
        try {
          if (!this.closed) {
            this.guard.dropped(taken);
            this.rebuildGuard(peer.turnKey);
          }
        } finally {
          peer.fail(error);
        }
      },
    );
    return { verdict: 'accepted', lacking: admission.lacking };
  }

  /**
   * An accepted update is durable: apply it to the live doc, which broadcasts it. A large one
   * is applied in its writer's turn of the fair queue (commits come in batches, and applying a
   * batch of large updates at once would hold the event loop for all of them); every later one
   * waits behind it, since the live doc takes updates in the order the write guard did.
   */
  private stored(peer: RoomPeer, update: Uint8Array, started: number): void {
    this.inflight--;
    this.ctx.metrics.inc('varde_updates_stored_total');
    this.ctx.metrics.inc('varde_update_bytes_total', undefined, update.byteLength);
    this.ctx.metrics.inc('varde_store_commit_ms_total', undefined, performance.now() - started);
    if (this.closed) return;
    if (this.toApply.length === 0 && update.byteLength < COSTLY_APPLY_BYTES) return this.apply(peer, update);
    this.toApply.push({ peer, update });
    if (this.toApply.length === 1) this.ctx.fair.run(peer.turnKey, this.applyNext);
  }

  /** One turn: the oldest stored update waiting, then the next one in its writer's turn. */
  private readonly applyNext = (): boolean => {
    const next = this.toApply.shift();
    if (this.closed) this.toApply = [];
    if (!next || this.closed) return false;
    this.apply(next.peer, next.update);
    const after = this.toApply[0];
    if (after) this.ctx.fair.run(after.peer.turnKey, this.applyNext);
    return false;
  };

  private apply(peer: RoomPeer, update: Uint8Array): void {
    this.storedCount++;
    try {
      this.guard.applied();
      Y.applyUpdate(this.doc, update, peer);
      this.maybeCompact();
    } catch (error) {
      // The shadow took it, so this means the two copies parted: a bug worth an alarm.
      this.ctx.log.error('doc.applyFailed', {
        planId: this.planId,
        doc: this.name,
        error: errorName(error),
      });
    }
  }

  /**
   * Applies a client's own presence, relayed under an id the room chose for the connection and
   * with `user` replaced by its member identity. A connection speaks for one Yjs client id
   * only, the first it announces; entries for any other id are ignored. Because the ids others
   * see are the room's, no client can take over, hide or overwrite another's presence by
   * announcing its client id (a member claiming an absent member's id once hid them on return).
   */
  presence(peer: RoomPeer, entries: readonly AwarenessEntry[]): void {
    const accepted: AwarenessEntry[] = [];
    for (const entry of entries) {
      if (peer.clientId === null && entry.state !== null) {
        peer.clientId = entry.clientId;
        peer.presenceId = this.newPresenceId();
      }
      if (entry.clientId !== peer.clientId || peer.presenceId === null) continue;
      accepted.push({
        clientId: peer.presenceId,
        clock: entry.clock,
        state: entry.state === null ? null : { ...entry.state, user: peer.user },
      });
    }
    if (accepted.length > 0) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(accepted), peer);
    }
  }

  /** A random 32-bit id no presence in the room uses, and not the server doc's own. */
  private newPresenceId(): number {
    for (;;) {
      const id = randomInt(1, 2 ** 32 - 1);
      if (id !== this.doc.clientID && !this.awareness.meta.has(id)) return id;
    }
  }

  /** Every current presence state but the asking peer's own, or null when there is none. */
  presenceSnapshot(peer: RoomPeer): Uint8Array | null {
    const clients = [...this.awareness.getStates().keys()].filter((id) => id !== peer.presenceId);
    if (clients.length === 0) return null;
    return encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
  }

  join(peer: RoomPeer): void {
    this.peers.add(peer);
  }

  leave(peer: RoomPeer): void {
    this.peers.delete(peer);
    this.waitingForGuard.delete(peer);
    if (peer.presenceId !== null) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [peer.presenceId], peer);
    }
  }

  /**
   * Rebuilds the write guard's copy when it went stale (write-guard.ts), in turns of the fair
   * queue under `turnKey`, the address whose update or store failure caused it; then asks each
   * writer who met it busy for what the server lacks.
   */
  private rebuildGuard(turnKey: string): void {
    if (!this.guard.needsRebuild || this.closed) return;
    this.ctx.metrics.inc('varde_guard_rebuilds_total');
    const turn: Turn = (job) => this.ctx.fair.runOnce(turnKey, job);
    this.guard
      .rebuild(turn, () => this.ctx.storage.docs.loadUpdates(this.planId, this.name))
      .then(
        (ready) => {
          if (!ready || this.closed) return;
          this.askWaitingAgain();
        },
        (error: unknown) =>
          this.ctx.log.error('doc.guardRebuildFailed', {
            planId: this.planId,
            doc: this.name,
            error: errorName(error),
          }),
      );
  }

  /**
   * Asks the waiting writers again when the guard's next measure is due (an update only a
   * measure can judge met `busy`). A rebuild under way asks them itself when it ends; one asked
   * too early meets `busy` again and waits again.
   */
  private askAgainWhenDue(): void {
    if (this.guardTimer || this.guard.rebuilding || this.closed) return;
    this.guardTimer = setTimeout(() => {
      this.guardTimer = null;
      if (!this.closed) this.askWaitingAgain();
    }, this.guard.measureDueIn() + 1);
  }

  /** Sends each writer whose update met the guard busy a sync step 1 (it sends it again). */
  private askWaitingAgain(): void {
    const waiting = [...this.waitingForGuard];
    this.waitingForGuard.clear();
    for (const peer of waiting) peer.askAgain?.();
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
      // Folding a large log takes seconds: it goes in turns, all compactions under one key.
      const turn = <T>(job: () => T) => this.ctx.fair.runOnce(COMPACTION_TURNS, job);
      await turn(() =>
        this.ctx.storage.docs.compact(this.planId, this.name, (updates) => mergeLogInTurns(updates, turn)),
      );
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
    if (this.guardTimer) clearTimeout(this.guardTimer);
    this.guardTimer = null;
    if (compactFirst && this.storedCount > 1) await this.compact();
    this.closed = true;
    this.guard.destroy();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
