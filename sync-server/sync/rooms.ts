/**
 * The registry of loaded docs and live connections. A doc is loaded once, shared by its
 * connections and unloaded after `roomIdleMs` without any. Access changes made through the
 * API reach live connections here, synchronously.
 */
import type { DocName } from '../../core/model/schema.ts';
import type { CloseReason } from '../../core/access/index.ts';
import type { Context } from '../context.ts';
import type { MemberRecord } from '../storage/types.ts';
import { errorName } from '../log.ts';
import { TokenBucket } from '../ratelimit.ts';
import type { Connection } from './connection.ts';
import { Room } from './room.ts';

const key = (planId: string, doc: DocName) => `${planId}/${doc}`;

/**
 * What one member uses across all their connections, so that opening more connections does
 * not multiply their per-connection limits. The bursts are those of a few connections.
 */
export interface MemberUsage {
  connections: number;
  messages: TokenBucket;
  bytes: TokenBucket;
  /**
   * Sync step 1 answers that cost an encode, on all their connections: twice one
   * connection's budget, so that opening more connections does not multiply the CPU one
   * member can ask for (a burst of them at once is what holds the event loop).
   */
  stateVectors: TokenBucket;
  /** Bytes of unfinished messages on all their connections (`memberInflightBytes`). */
  inflight: number;
}

/**
 * The server's registry of rooms and connections (see above): `acquire` loads a doc once, an idle one is
 * unloaded after `roomIdleMs`, and each member's usage is counted across their connections.
 */
export class Rooms {
  private rooms = new Map<string, Room>();
  private loading = new Map<string, Promise<Room>>();
  private idleTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private byPlan = new Map<string, Set<Connection>>();
  private usage = new Map<string, MemberUsage>();
  private auditTimer: ReturnType<typeof setInterval>;

  /** `ctx` is a getter because the context holds this registry too. */
  constructor(
    private readonly ctx: () => Context,
    auditFlushMs: number,
  ) {
    this.auditTimer = setInterval(() => {
      try {
        for (const conns of this.byPlan.values()) for (const c of conns) c.flushAudit();
        this.sweepUsage();
      } catch (error) {
        this.ctx().log.error('audit.flushFailed', { error: errorName(error) });
      }
    }, auditFlushMs);
    this.auditTimer.unref();
  }

  get loadedCount(): number {
    return this.rooms.size;
  }

  get connectionCount(): number {
    let n = 0;
    for (const s of this.byPlan.values()) n += s.size;
    return n;
  }

  /** Tracks a connection from its first moment, so a plan deletion reaches it even mid-auth. */
  register(conn: Connection): void {
    let set = this.byPlan.get(conn.planId);
    if (!set) this.byPlan.set(conn.planId, (set = new Set()));
    set.add(conn);
  }

  /**
   * Counts an authenticated connection against its member's limits; null when the member
   * already has `maxConnectionsPerMember` open.
   */
  admitMember(planId: string, memberId: string): MemberUsage | null {
    const { config } = this.ctx();
    const k = `${planId}/${memberId}`;
    let u = this.usage.get(k);
    if (!u) {
      u = {
        connections: 0,
        messages: new TokenBucket(config.messageBurst * 4, config.memberMessagesPerSecond),
        bytes: new TokenBucket(config.byteBurst * 2, config.memberBytesPerSecond),
        stateVectors: new TokenBucket(config.stateVectorBurst * 2, config.stateVectorsPerSecond * 2),
        inflight: 0,
      };
      this.usage.set(k, u);
    }
    if (u.connections >= config.maxConnectionsPerMember) return null;
    u.connections++;
    return u;
  }

  /** Forgets members without connections whose budgets have refilled. */
  private sweepUsage(): void {
    const now = Date.now();
    for (const [k, u] of this.usage) {
      if (
        u.connections === 0 &&
        u.inflight <= 0 &&
        u.messages.full(now) &&
        u.bytes.full(now) &&
        u.stateVectors.full(now)
      ) {
        this.usage.delete(k);
      }
    }
  }

  /** Members with usage tracked (for tests). */
  get trackedMembers(): number {
    return this.usage.size;
  }

  unregister(conn: Connection): void {
    if (conn.usage) conn.usage.connections--;
    conn.usage = null;
    const set = this.byPlan.get(conn.planId);
    if (!set?.delete(conn)) return;
    if (set.size === 0) this.byPlan.delete(conn.planId);
    if (conn.room && conn.room.peers.size === 0) this.scheduleUnload(conn.room);
  }

  /**
   * The loaded doc, loading it first if needed (concurrent callers share one load, which takes
   * the first caller's turns in the fair queue: `turnKey`, its client address).
   */
  async acquire(planId: string, doc: DocName, turnKey: string): Promise<Room> {
    const k = key(planId, doc);
    const timer = this.idleTimers.get(k);
    if (timer) {
      clearTimeout(timer);
      this.idleTimers.delete(k);
    }
    const loaded = this.rooms.get(k);
    if (loaded) return loaded;
    let loading = this.loading.get(k);
    if (!loading) {
      const room = new Room(this.ctx(), planId, doc);
      loading = room.load(turnKey).then(
        () => {
          this.loading.delete(k);
          this.rooms.set(k, room);
          this.ctx().log.debug('doc.loaded', { planId, doc });
          return room;
        },
        (error: unknown) => {
          this.loading.delete(k);
          void room.unload(false);
          throw error;
        },
      );
      this.loading.set(k, loading);
    }
    return loading;
  }

  /** After a connection attempt ends without joining, an unused doc still gets unloaded. */
  releaseIfIdle(room: Room): void {
    if (room.peers.size === 0) this.scheduleUnload(room);
  }

  private scheduleUnload(room: Room): void {
    const k = key(room.planId, room.name);
    if (this.idleTimers.has(k) || this.rooms.get(k) !== room) return;
    const timer = setTimeout(() => {
      this.idleTimers.delete(k);
      if (room.peers.size > 0 || this.rooms.get(k) !== room) return;
      if (room.busy) return this.scheduleUnload(room);
      this.rooms.delete(k);
      room.unload(true).catch((error: unknown) =>
        this.ctx().log.error('doc.unloadFailed', {
          planId: room.planId,
          doc: room.name,
          error: errorName(error),
        }),
      );
      this.ctx().log.debug('doc.unloaded', { planId: room.planId, doc: room.name });
    }, this.ctx().config.roomIdleMs);
    timer.unref();
    this.idleTimers.set(k, timer);
  }

  /** A member's levels or revocation changed: every live connection of theirs follows now. */
  memberChanged(member: MemberRecord): void {
    for (const c of [...(this.byPlan.get(member.planId) ?? [])]) {
      if (c.member?.id === member.id) c.memberChanged(member);
    }
  }

  /** The plan was deleted: close its connections and drop its docs without writing. */
  planDeleted(planId: string): void {
    for (const c of [...(this.byPlan.get(planId) ?? [])]) c.close('notFound');
    for (const [k, room] of this.rooms) {
      if (room.planId !== planId) continue;
      this.rooms.delete(k);
      const timer = this.idleTimers.get(k);
      if (timer) clearTimeout(timer);
      this.idleTimers.delete(k);
      void room.unload(false);
    }
  }

  closeAll(reason: CloseReason): void {
    for (const set of [...this.byPlan.values()]) for (const c of [...set]) c.close(reason);
  }

  /** Waits for in-flight writes, compacts nothing (a restart should be quick), frees docs. */
  async shutdown(): Promise<void> {
    clearInterval(this.auditTimer);
    for (const t of this.idleTimers.values()) clearTimeout(t);
    this.idleTimers.clear();
    await Promise.allSettled(this.loading.values());
    const deadline = Date.now() + 5000;
    while ([...this.rooms.values()].some((r) => r.busy) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    for (const room of this.rooms.values()) await room.unload(false);
    this.rooms.clear();
  }
}
