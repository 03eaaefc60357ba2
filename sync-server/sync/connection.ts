/**
 * One WebSocket connection to `/sync/<planId>/<doc>`: rate and size limits, decoding,
 * enforcement of the member's access on every frame, and audit.
 */
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
import type { Context } from '../context.ts';
import type { MemberRecord } from '../storage/types.ts';
import { TokenBucket } from '../ratelimit.ts';
import { errorName } from '../log.ts';
import {
  BadMessage,
  checkUpdate,
  encodePermissionDenied,
  encodeSyncStep1,
  parseFrame,
  type AwarenessEntry,
} from './messages.ts';
import type { Room, RoomPeer } from './room.ts';
import type { MemberUsage } from './rooms.ts';

let nextId = 1;

/** Frames held while a connection is authenticated and its doc loaded. */
const MAX_PENDING_FRAMES = 32;

/**
 * After a close frame, how long a client gets to read what is still buffered for it, then its
 * close code, before the socket is cut and its memory freed: `ws`'s own close timeout, but
 * only 5 s for a slow reader, whose buffer is by definition near `maxSendBufferBytes`.
 */
const CLOSE_GRACE_MS = 30_000;
const SLOW_READER_GRACE_MS = 5000;

export class Connection implements RoomPeer {
  readonly id = nextId++;
  clientId: number | null = null;
  member: MemberRecord | null = null;
  room: Room | null = null;
  closed = false;
  /** Frames that arrived while the connection was being authenticated and its doc loaded. */
  private pending: Uint8Array[] | null = [];
  /** The member's shared limits, once authenticated (Rooms.admitMember). */
  usage: MemberUsage | null = null;
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly presenceRate: TokenBucket;
  /** Presence over the rate, coalesced per client id, relayed when the rate allows. */
  private deferredPresence: Map<number, AwarenessEntry> | null = null;
  private presenceTimer: ReturnType<typeof setTimeout> | null = null;
  private readAudited = false;
  private wrote = 0;
  private denied = 0;

  constructor(
    private readonly ctx: Context,
    private readonly ws: WebSocket,
    readonly planId: string,
    readonly docName: DocName,
  ) {
    const c = ctx.config;
    this.messages = new TokenBucket(c.messageBurst, c.messagesPerSecond);
    this.bytes = new TokenBucket(c.byteBurst, c.bytesPerSecond);
    this.presenceRate = new TokenBucket(c.awarenessBurst, c.awarenessPerSecond);
    ws.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    ws.on('close', () => this.detach());
    // Socket errors (resets, oversized frames caught by ws itself) end in 'close'.
    ws.on('error', (error) => ctx.log.debug('ws.error', { planId, doc: docName, error: errorName(error) }));
  }

  get user(): PresenceUser {
    const m = this.member!;
    return { memberId: m.id, name: m.name, role: m.role, color: m.color };
  }

  /** Called once authenticated and the doc is loaded: the server speaks first (sync step 1). */
  start(member: MemberRecord, room: Room): void {
    if (this.closed) return;
    this.member = member;
    this.room = room;
    room.join(this);
    this.audit('doc.connected');
    this.send(encodeSyncStep1(room.doc));
    const presence = room.presenceSnapshot();
    if (presence) this.send(presence);
    const queued = this.pending ?? [];
    this.pending = null;
    for (const frame of queued) if (!this.closed) this.handle(frame);
  }

  /** Applies a change of the member's record at once (DESIGN.md: within one second). */
  memberChanged(member: MemberRecord): void {
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
  }

  /**
   * Sends a frame, or closes with `slowReader` when the client has not read what is already
   * buffered for it and this frame would pass the bound: a message is never dropped while the
   * connection lives on. A single frame on an empty buffer always goes (a doc's sync step 2).
   */
  send(data: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    const buffered = this.ws.bufferedAmount;
    if (buffered > 0 && buffered + data.byteLength > this.ctx.config.maxSendBufferBytes) {
      return this.close('slowReader');
    }
    this.ws.send(data);
  }

  /** Sends an answer the client asked for; its size counts against the client's byte budget. */
  private answer(data: Uint8Array): void {
    if (!this.bytes.take(data.byteLength) && data.byteLength <= this.ctx.config.byteBurst) {
      return this.close('rateLimited');
    }
    this.send(data);
  }

  fail(_error: unknown): void {
    this.close('internalError');
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
    const grace = reason === 'slowReader' ? SLOW_READER_GRACE_MS : CLOSE_GRACE_MS;
    setTimeout(() => this.ws.terminate(), grace).unref();
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
    const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (!this.pending) return this.handle(frame);
    // A client says two things before the server speaks (step 1, presence); a flood before
    // authentication completes would only cost memory.
    if (this.pending.length >= MAX_PENDING_FRAMES) return this.close('rateLimited');
    this.pending.push(frame);
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

  private handle(data: Uint8Array): void {
    const room = this.room!;
    let frame;
    try {
      frame = parseFrame(data);
    } catch (error) {
      return this.badFrame(error);
    }
    switch (frame.type) {
      case 'syncStep1':
        this.answer(room.syncStep2(frame.stateVector));
        if (!this.readAudited) {
          this.readAudited = true;
          this.audit('doc.read');
        }
        return;
      case 'syncStep2':
      case 'update':
        return this.update(room, frame.update);
      case 'awareness':
        return this.presence(room, frame.entries);
      case 'queryAwareness': {
        const presence = room.presenceSnapshot();
        if (presence) this.answer(presence);
        return;
      }
      case 'auth':
        // Clients have nothing to say in the auth sub-protocol; ignored like y-websocket does.
        return;
    }
  }

  /**
   * A member who may not write gets only the cheap scan (to tell an empty step 2, which every
   * client sends, from a real change); a writer's update is decoded and dry-run before it is
   * stored (Room.write).
   */
  private update(room: Room, update: Uint8Array): void {
    const writer = canWrite(this.member!.levels, this.docName);
    let shape;
    try {
      shape = checkUpdate(update, this.ctx.config.maxUpdateStructs, writer);
    } catch (error) {
      return this.badFrame(error);
    }
    if (shape.empty) return;
    // Repeating what the server already has is not a write, for a reader or a writer.
    if (room.contains(update, shape.deletes)) return;
    if (!writer) {
      this.denied++;
      this.ctx.metrics.inc('varde_updates_denied_total');
      return this.send(encodePermissionDenied(PERMISSION_DENIED.writeDenied));
    }
    const verdict = room.write(this, update, shape.deletes);
    if (verdict === 'accepted') this.wrote++;
    else if (verdict === 'docTooLarge') this.send(encodePermissionDenied(PERMISSION_DENIED.docTooLarge));
    else this.badFrame(new BadMessage('update breaks the doc'));
  }

  /** Relays presence at most `awarenessPerSecond`; the rest is coalesced and sent late. */
  private presence(room: Room, entries: AwarenessEntry[]): void {
    if (!this.deferredPresence && this.presenceRate.take()) return room.presence(this, entries);
    this.deferredPresence ??= new Map();
    for (const e of entries) this.deferredPresence.set(e.clientId, e);
    if (this.presenceTimer) return;
    this.ctx.metrics.inc('varde_presence_deferred_total');
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = null;
      const deferred = this.deferredPresence;
      this.deferredPresence = null;
      if (this.closed || !deferred || !this.room) return;
      this.presenceRate.take();
      this.room.presence(this, [...deferred.values()]);
    }, this.presenceRate.waitMs());
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

  private detach(): void {
    if (this.closed) return;
    this.closed = true;
    this.ctx.log.debug('ws.disconnected', {
      planId: this.planId,
      memberId: this.member?.id,
      doc: this.docName,
    });
    this.pending = null;
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.presenceTimer = null;
    this.deferredPresence = null;
    if (this.room) {
      this.flushAudit();
      this.audit('doc.disconnected');
      this.room.leave(this);
    }
    this.ctx.rooms.unregister(this);
  }
}
