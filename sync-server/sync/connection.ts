/**
 * One WebSocket connection to `/sync/<planId>/<doc>`: frame, rate and size limits, decoding,
 * enforcement of the member's access on every frame, and audit.
 *
 * Every way input reaches this class (a message, a timer it set, the socket closing) runs
 * inside `guarded`: whatever throws there closes this connection with `internalError`, logged
 * by step and error name, and nothing else. Nothing a client sends can end the process.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { DocName } from '../../core/model/schema.ts';
import {
  CLOSE_CODES,
  PERMISSION_DENIED,
  canRead,
  canWrite,
  type CloseReason,
  type PresenceUser,
} from '../../core/access/index.ts';
import type { AddressUsage } from '../addresses.ts';
import type { Context } from '../context.ts';
import type { MemberRecord } from '../storage/types.ts';
import { TokenBucket } from '../ratelimit.ts';
import { errorName } from '../log.ts';
import { FrameWatch } from './frame-watch.ts';
import {
  BadMessage,
  checkUpdate,
  encodePermissionDenied,
  encodeSyncStep1,
  parseFrame,
  readStateVector,
  type AwarenessEntry,
} from './messages.ts';
import type { Room, RoomPeer } from './room.ts';
import type { MemberUsage } from './rooms.ts';

let nextId = 1;

/** Frames held while a connection is authenticated and its doc loaded (the socket is paused). */
const MAX_PENDING_FRAMES = 32;

/**
 * Largest message before authentication and after the server closed the connection. The socket
 * is paused until the member is known, so only what came with the handshake can arrive; after a
 * close only the client's close frame matters.
 */
export const IDLE_MESSAGE_BYTES = 64 * 1024;

/**
 * After a close frame, how long a client gets to read what is still buffered for it, then its
 * close code, before the socket is cut and its memory freed: `ws`'s own close timeout, but
 * only 5 s for a slow reader, whose buffer is by definition near `maxSendBufferBytes`, and 2 s
 * when the client broke a frame rule (it is not reading what it should anyway).
 */
const CLOSE_GRACE_MS = 30_000;
const SLOW_READER_GRACE_MS = 5000;
const FRAME_RULE_GRACE_MS = 2000;
/** A frame whose handling held the event loop this long is logged (ws.slowFrame). */
const SLOW_FRAME_MS = 100;
/**
 * Frames at least this large wait their turn in the fair queue (fair-queue.ts) rather than being
 * handled as they arrive: checking, storing and applying one costs milliseconds and more. A
 * keystroke's update is tens of bytes.
 */
export const COSTLY_FRAME_BYTES = 16 * 1024;

/**
 * Whether a frame's handling may cost much CPU: a large one, or sync step 1 (its answer may be an
 * encode of the whole doc). y-websocket frames begin with the message type, then the sync step.
 */
function costly(frame: Uint8Array): boolean {
  return frame.byteLength >= COSTLY_FRAME_BYTES || (frame[0] === 0 && frame[1] === 0);
}

/** Entries a state vector may name beyond the doc's own clients (a client's unsynced ones). */
const EXTRA_STATE_VECTOR_ENTRIES = 10_000;
/** Unknown entries a state vector may name and still get a shared answer without a token. */
const FREE_EXTRA_ENTRIES = 64;

type Step = 'receive' | 'close' | 'presenceTimer' | 'authTimer' | 'watch' | 'memberChanged' | 'send' | 'fail';

/**
 * One `/sync/<planId>/<doc>` connection: authentication, the frame and rate limits, and every
 * message, each handled inside `guarded` so that a throw closes only this connection.
 */
export class Connection implements RoomPeer {
  readonly id = nextId++;
  /** Whose turn this connection's costly work takes in the fair queue: its client address. */
  readonly turnKey: string;
  /** The Yjs client id this connection speaks for in presence (its first one). */
  clientId: number | null = null;
  /** The id the server relays that presence under (RoomPeer). */
  presenceId: number | null = null;
  /** Sent sync step 1: it reads the doc and gets live updates (RoomPeer). */
  reading = false;
  member: MemberRecord | null = null;
  room: Room | null = null;
  closed = false;
  /** Frames that arrived while the connection was being authenticated and its doc loaded. */
  private pending: Uint8Array[] | null = [];
  /**
   * Frames waiting for their turn in the fair queue: a costly one and whatever came after it
   * (frames are handled in order). While any wait, the socket is not read.
   */
  private inbox: { frame: Uint8Array; at: number }[] = [];
  /** Bytes of the inbox counted against the address's and (`memberHeld`) the member's budgets. */
  private inboxBytes = 0;
  private memberHeld = 0;
  /** The member's shared limits, once authenticated (Rooms.admitMember). */
  usage: MemberUsage | null = null;
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly presenceRate: TokenBucket;
  private readonly stateVectors: TokenBucket;
  private readonly watch: FrameWatch;
  /** Bytes of the message in flight reserved against the member (the rest: the address). */
  private memberReserved = 0;
  /** Presence over the rate, coalesced per client id, relayed when the rate allows. */
  private deferredPresence: Map<number, AwarenessEntry> | null = null;
  private presenceTimer: ReturnType<typeof setTimeout> | null = null;
  private authTimer: ReturnType<typeof setTimeout> | null;
  private readAudited = false;
  /** `Room.changes` when this connection was last asked for what the server lacks. */
  private askedAt: number | null = null;
  /** Its answer lacked something too: ask again when the doc next changes. */
  private askWhenChanged = false;
  private wrote = 0;
  private denied = 0;

  constructor(
    private readonly ctx: Context,
    private readonly ws: WebSocket,
    socket: Duplex,
    readonly planId: string,
    readonly docName: DocName,
    private readonly address: AddressUsage,
  ) {
    const c = ctx.config;
    this.turnKey = address.key;
    this.messages = new TokenBucket(c.messageBurst, c.messagesPerSecond);
    this.bytes = new TokenBucket(c.byteBurst, c.bytesPerSecond);
    this.presenceRate = new TokenBucket(c.awarenessBurst, c.awarenessPerSecond);
    this.stateVectors = new TokenBucket(c.stateVectorBurst, c.stateVectorsPerSecond);
    // Nothing is read until the member is known and the doc loaded (start).
    ws.pause();
    this.watch = new FrameWatch(
      socket,
      {
        maxMessageBytes: () => (this.room && !this.closed ? c.maxFrameBytes : IDLE_MESSAGE_BYTES),
        reserve: (n) => this.reserve(n),
        release: (n) => this.release(n),
        violation: (reason) => this.guarded('watch', () => this.ruleBroken(reason)),
      },
      { baseMs: c.frameTimeoutMs, minBytesPerSecond: c.minFrameBytesPerSecond },
    );
    ws.on('message', (data, isBinary) =>
      this.guarded('receive', () => this.receive(data as Buffer, isBinary)),
    );
    ws.on('close', () =>
      this.guarded('close', () => {
        this.watch.stop();
        this.detach();
      }),
    );
    // Socket errors (resets, frames ws itself refuses) end in 'close'.
    ws.on('error', (error) => ctx.log.debug('ws.error', { planId, doc: docName, error: errorName(error) }));
    this.authTimer = setTimeout(
      () => this.guarded('authTimer', () => this.room === null && this.close('internalError')),
      c.authTimeoutMs,
    );
    this.authTimer.unref();
  }

  get user(): PresenceUser {
    const m = this.member!;
    return { memberId: m.id, name: m.name, role: m.role, color: m.color };
  }

  /**
   * Runs one step of handling input. A throw is a bug or an input nobody foresaw: this
   * connection ends with `internalError`, the log names the step and the error (never its
   * message, which may quote the input), and every other connection carries on.
   */
  guarded(step: Step, f: () => void): void {
    try {
      f();
    } catch (error) {
      this.ctx.metrics.inc('varde_handler_failures_total', { step });
      this.ctx.log.error('ws.handlerFailed', {
        planId: this.planId,
        memberId: this.member?.id,
        doc: this.docName,
        reason: step,
        error: errorName(error),
      });
      try {
        this.close('internalError');
      } catch {
        this.ws.terminate();
      }
    }
  }

  /** Called once authenticated and the doc is loaded: the server speaks first (sync step 1). */
  start(member: MemberRecord, room: Room): void {
    if (this.closed) return;
    this.clearAuthTimer();
    this.member = member;
    this.room = room;
    room.join(this);
    this.audit('doc.connected');
    this.send(encodeSyncStep1(room.doc));
    const presence = room.presenceSnapshot(this);
    if (presence) this.send(presence);
    const queued = this.pending ?? [];
    this.pending = null;
    for (const frame of queued) if (!this.closed) this.accept(frame);
    if (!this.closed && this.inbox.length === 0) this.ws.resume();
  }

  /** Applies a change of the member's record at once (DESIGN.md: within one second). */
  memberChanged(member: MemberRecord): void {
    this.guarded('memberChanged', () => {
      if (this.closed) return;
      if (member.revokedAt !== null) return this.close('revoked');
      if (!canRead(member.levels, this.docName)) return this.close('forbidden');
      const gainedWrite =
        this.member !== null &&
        !canWrite(this.member.levels, this.docName) &&
        canWrite(member.levels, this.docName);
      this.member = member;
      // Changes the client made while it could not write were dropped, and its later changes
      // depend on them. A new sync step 1 makes the client send everything the server lacks.
      if (gainedWrite && this.room) this.send(encodeSyncStep1(this.room.doc));
    });
  }

  /**
   * Sends a frame, or closes with `slowReader` when the client has not read what is already
   * buffered for it and this frame would pass the bound: a message is never dropped while the
   * connection lives on. A single frame on an empty buffer always goes (a doc's sync step 2).
   */
  send(data: Uint8Array): void {
    this.guarded('send', () => {
      if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
      const buffered = this.ws.bufferedAmount;
      if (buffered > 0 && buffered + data.byteLength > this.ctx.config.maxSendBufferBytes) {
        return this.close('slowReader');
      }
      this.ws.send(data);
    });
  }

  /** Sends an answer the client asked for; its size counts against the client's byte budget. */
  private answer(data: Uint8Array): void {
    if (!this.bytes.take(data.byteLength) && data.byteLength <= this.ctx.config.byteBurst) {
      return this.close('rateLimited');
    }
    this.send(data);
  }

  fail(_error: unknown): void {
    this.guarded('fail', () => this.close('internalError'));
  }

  close(reason: CloseReason): void {
    if (this.closed) return;
    this.ctx.metrics.inc('varde_ws_closed_total', { reason });
    this.ctx.log.info('ws.closed', {
      planId: this.planId,
      memberId: this.member?.id,
      doc: this.docName,
      code: CLOSE_CODES[reason],
      reason,
    });
    this.detach();
    this.ws.close(CLOSE_CODES[reason], reason);
    // Paused until authenticated: read on, so the client's close frame ends the socket at once.
    this.ws.resume();
    // A connection refused before it was established (no token, no access) has nothing of a
    // doc buffered to read: its socket is cut soon, so refusals cannot hold address slots.
    const grace =
      reason === 'slowReader' ? SLOW_READER_GRACE_MS : this.room ? CLOSE_GRACE_MS : FRAME_RULE_GRACE_MS;
    setTimeout(() => this.ws.terminate(), grace).unref();
  }

  /**
   * A frame rule was broken (too large, too slow, no budget). What the client is still sending
   * is not worth reading: stop reading, say why, and hang up soon.
   */
  private ruleBroken(reason: 'frameTooLarge' | 'frameTimeout' | 'rateLimited'): void {
    this.ctx.metrics.inc('varde_frame_rule_total', { reason });
    if (!this.closed) this.close(reason);
    this.ws.pause();
    setTimeout(() => this.ws.terminate(), FRAME_RULE_GRACE_MS).unref();
  }

  /** Reserves a message's announced bytes: the client address's budget, then the member's. */
  private reserve(bytes: number): boolean {
    const ctx = this.ctx;
    if (!ctx.addresses.reserve(this.address, bytes)) return false;
    if (this.usage) {
      if (this.usage.inflight + bytes > ctx.config.memberInflightBytes) {
        ctx.addresses.release(this.address, bytes);
        return false;
      }
      this.usage.inflight += bytes;
      this.memberReserved += bytes;
    }
    return true;
  }

  private release(bytes: number): void {
    this.ctx.addresses.release(this.address, bytes);
    const fromMember = Math.min(bytes, this.memberReserved);
    if (this.usage) this.usage.inflight -= fromMember;
    this.memberReserved -= fromMember;
  }

  /** Limits apply in this order: size, then the connection's and the member's rates. */
  private receive(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    const size = data.byteLength;
    this.ctx.metrics.inc('varde_ws_frames_total');
    this.ctx.metrics.inc('varde_ws_received_bytes_total', undefined, size);
    if (size > this.ctx.config.maxFrameBytes) return this.close('frameTooLarge');
    if (!this.messages.take() || !this.bytes.take(size)) return this.close('rateLimited');
    if (this.usage && !(this.usage.messages.take() && this.usage.bytes.take(size))) {
      return this.close('rateLimited');
    }
    if (!isBinary) return this.close('badMessage');
    // A frame of its own: lib0's decoders do not check lengths against the view they read, and
    // small frames share a pooled buffer with other sockets' data.
    const frame =
      data.byteOffset === 0 && data.buffer.byteLength === size
        ? new Uint8Array(data.buffer)
        : new Uint8Array(data);
    if (!this.pending) return this.accept(frame);
    // A client says two things before the server speaks (step 1, presence); a flood before
    // authentication completes would only cost memory.
    if (this.pending.length >= MAX_PENDING_FRAMES) return this.close('rateLimited');
    this.pending.push(frame);
  }

  /**
   * Handles a cheap frame now; a costly one, and every frame after it until the inbox is empty,
   * waits for this address's turn (fair-queue.ts). Meanwhile nothing more is read from the
   * socket, so one connection holds at most what had already arrived, and those bytes count
   * against the address's and the member's in-flight budgets as they did while arriving.
   */
  private accept(frame: Uint8Array): void {
    if (this.inbox.length === 0 && !costly(frame)) return this.handle(frame, Date.now());
    // Stamped now: the rates it is charged against are those of when it arrived (syncStep1).
    this.inbox.push({ frame, at: Date.now() });
    this.hold(frame.byteLength);
    if (this.inbox.length > 1) return;
    this.ws.pause();
    this.watch.pause();
    this.ctx.fair.run(this.turnKey, this.takeTurn);
  }

  /** One turn: the oldest waiting frame, and the cheap ones after it. True: more to come. */
  private readonly takeTurn = (): boolean => {
    let more = false;
    this.guarded('receive', () => {
      do {
        const next = this.inbox.shift();
        if (!next || this.closed) return;
        this.unhold(next.frame.byteLength);
        this.handle(next.frame, next.at);
      } while (!this.closed && this.inbox.length > 0 && !costly(this.inbox[0]!.frame));
      if (this.closed) return;
      if (this.inbox.length > 0) {
        more = true;
        return;
      }
      this.watch.resume();
      this.ws.resume();
    });
    return more;
  };

  private hold(bytes: number): void {
    this.ctx.addresses.hold(this.address, bytes);
    this.inboxBytes += bytes;
    if (this.usage) {
      this.usage.inflight += bytes;
      this.memberHeld += bytes;
    }
  }

  private unhold(bytes: number): void {
    this.ctx.addresses.release(this.address, bytes);
    this.inboxBytes -= bytes;
    const fromMember = Math.min(bytes, this.memberHeld);
    if (this.usage) this.usage.inflight -= fromMember;
    this.memberHeld -= fromMember;
  }

  private badFrame(error: unknown): void {
    this.ctx.metrics.inc('varde_bad_frames_total');
    this.ctx.log.warn('ws.badFrame', {
      planId: this.planId,
      memberId: this.member?.id,
      doc: this.docName,
      reason: error instanceof BadMessage ? error.what : errorName(error),
    });
    this.close('badMessage');
  }

  /** Handles one frame that arrived at `at` (Date.now). */
  private handle(data: Uint8Array, at: number): void {
    let frame;
    try {
      frame = parseFrame(data);
    } catch (error) {
      return this.badFrame(error);
    }
    const started = performance.now();
    this.dispatch(frame, at);
    const ms = performance.now() - started;
    // Names what held the event loop (never what the frame said), for operators and the fuzz.
    if (ms >= SLOW_FRAME_MS) {
      this.ctx.log.warn('ws.slowFrame', {
        planId: this.planId,
        memberId: this.member?.id,
        doc: this.docName,
        reason: frame.type,
        ms: Math.round(ms),
        bytes: data.byteLength,
      });
    }
  }

  private dispatch(frame: ReturnType<typeof parseFrame>, at: number): void {
    const room = this.room!;
    switch (frame.type) {
      case 'syncStep1':
        return this.syncStep1(room, frame.stateVector, at);
      case 'syncStep2':
      case 'update':
        return this.update(room, frame.update);
      case 'awareness':
        return this.presence(room, frame.entries);
      case 'queryAwareness': {
        const presence = room.presenceSnapshot(this);
        if (presence) this.answer(presence);
        return;
      }
      case 'auth':
        // Clients have nothing to say in the auth sub-protocol; ignored like y-websocket does.
        return;
    }
  }

  /**
   * Answers a client's state vector with what it lacks. The answers most asked for (a new
   * device, a device already up to date) are shared and cost nothing more to send again; any
   * other costs an encode of the doc, so those are limited to a few a second (a client sends
   * one per connection and one per resync). The state vector itself is read only up to the
   * doc's clients and a margin for a device's own unsent sessions, so its size is bounded too.
   */
  private syncStep1(room: Room, bytes: Uint8Array, at: number): void {
    let theirs;
    try {
      theirs = readStateVector(bytes, room.clientCount + EXTRA_STATE_VECTOR_ENTRIES);
    } catch (error) {
      return this.badFrame(error);
    }
    const shared = theirs.size <= room.clientCount + FREE_EXTRA_ENTRIES ? room.cachedAnswer(theirs) : null;
    // Charged as of when the frame arrived: waiting for its turn does not refill the budgets.
    if (!shared && !(this.stateVectors.take(1, at) && (!this.usage || this.usage.stateVectors.take(1, at)))) {
      return this.close('rateLimited');
    }
    this.answer(shared ?? room.syncStep2(theirs));
    this.reading = true;
    if (!this.readAudited) {
      this.readAudited = true;
      this.audit('doc.read');
    }
  }

  /**
   * A member who may not write gets only the cheap scan (to tell an empty step 2, which every
   * client sends, and a repeat of what the server holds, from a real change); Yjs never sees
   * their bytes. A writer's update is decoded and dry-run before it is stored (Room.write).
   */
  private update(room: Room, update: Uint8Array): void {
    const writer = canWrite(this.member!.levels, this.docName);
    let checked;
    try {
      checked = checkUpdate(update, this.ctx.config.maxUpdateStructs, writer);
    } catch (error) {
      return this.badFrame(error);
    }
    if (checked.empty) return;
    // Repeating what the server already has is not a write, for a reader or a writer.
    if (room.contains(checked)) return;
    if (!writer) {
      this.denied++;
      this.ctx.metrics.inc('varde_updates_denied_total');
      return this.send(encodePermissionDenied(PERMISSION_DENIED.writeDenied));
    }
    const { verdict, lacking } = room.write(this, update, checked);
    if (verdict === 'accepted') this.wrote++;
    else if (verdict === 'docTooLarge') this.send(encodePermissionDenied(PERMISSION_DENIED.docTooLarge));
    else if (verdict === 'storageFull') this.send(encodePermissionDenied(PERMISSION_DENIED.storageFull));
    else if (verdict === 'refused') return this.badFrame(new BadMessage('update breaks the doc'));
    if (lacking) this.askForMissing(room);
  }

  /**
   * The client sent a change that builds on one the server does not hold (its other open page
   * sent that one on another socket, still under way); that part was not stored. A sync step 1
   * makes the client send everything the server lacks, the missing change with it. A client
   * that lacks it too (its answer lacks the same) is asked again only once the doc has changed,
   * so the two never ping-pong.
   */
  private askForMissing(room: Room): void {
    if (this.askedAt === room.changes) {
      this.askWhenChanged = true;
      return;
    }
    this.askedAt = room.changes;
    this.askWhenChanged = false;
    this.send(encodeSyncStep1(room.doc));
  }

  /** RoomPeer: the doc changed; a client whose changes lacked something is asked again. */
  docChanged(): void {
    if (!this.askWhenChanged || this.closed || !this.room) return;
    this.guarded('send', () => this.askForMissing(this.room!));
  }

  /**
   * RoomPeer: an update of this client met the write guard busy (rebuilding its copy of the
   * doc) and was not stored; now it is ready, so the client is asked for what the server lacks.
   */
  askAgain(): void {
    if (this.closed || !this.room) return;
    this.guarded('send', () => {
      this.askedAt = null;
      this.askForMissing(this.room!);
    });
  }

  /** Relays presence at most `awarenessPerSecond`; the rest is coalesced and sent late. */
  private presence(room: Room, entries: AwarenessEntry[]): void {
    if (!this.deferredPresence && this.presenceRate.take()) return room.presence(this, entries);
    this.deferredPresence ??= new Map();
    for (const e of entries) this.deferredPresence.set(e.clientId, e);
    if (this.presenceTimer) return;
    this.ctx.metrics.inc('varde_presence_deferred_total');
    this.presenceTimer = setTimeout(
      () =>
        this.guarded('presenceTimer', () => {
          this.presenceTimer = null;
          const deferred = this.deferredPresence;
          this.deferredPresence = null;
          if (this.closed || !deferred || !this.room) return;
          this.presenceRate.take();
          this.room.presence(this, [...deferred.values()]);
        }),
      this.presenceRate.waitMs(),
    );
  }

  /** Writes the coalesced write counts as one audit event each (never per keystroke). */
  flushAudit(): void {
    if (!this.member) return;
    if (this.wrote > 0) this.audit('doc.wrote', this.wrote);
    if (this.denied > 0) this.audit('doc.writeDenied', this.denied);
    this.wrote = 0;
    this.denied = 0;
  }

  private audit(
    kind: 'doc.connected' | 'doc.read' | 'doc.wrote' | 'doc.writeDenied' | 'doc.disconnected',
    count = 1,
  ): void {
    const member = this.member;
    if (!member) return;
    this.ctx.storage.meta
      .appendAudit([
        {
          planId: this.planId,
          at: Date.now(),
          memberId: member.id,
          kind,
          doc: this.docName,
          target: null,
          count,
        },
      ])
      .catch(() => {
        // The plan may be gone (deleted) by the time the audit row is written.
      });
  }

  private clearAuthTimer(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = null;
  }

  private detach(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearAuthTimer();
    this.ctx.log.debug('ws.disconnected', {
      planId: this.planId,
      memberId: this.member?.id,
      doc: this.docName,
    });
    this.pending = null;
    this.unhold(this.inboxBytes);
    this.inbox = [];
    this.watch.resume();
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.presenceTimer = null;
    this.deferredPresence = null;
    if (this.room) {
      this.flushAudit();
      this.audit('doc.disconnected');
      this.room.leave(this);
    }
    // The member's budget forgets this connection now; a message still in flight after the
    // close stays charged to the address until the socket ends.
    if (this.usage) this.usage.inflight -= this.memberReserved;
    this.memberReserved = 0;
    this.ctx.rooms.unregister(this);
  }
}
