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
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  parseFrame,
} from './messages.ts';
import type { Room, RoomPeer } from './room.ts';

let nextId = 1;

/** Frames held while a connection is authenticated and its doc loaded. */
const MAX_PENDING_FRAMES = 32;

export class Connection implements RoomPeer {
  readonly id = nextId++;
  clientId: number | null = null;
  member: MemberRecord | null = null;
  room: Room | null = null;
  closed = false;
  /** Frames that arrived while the connection was being authenticated and its doc loaded. */
  private pending: Uint8Array[] | null = [];
  private readonly bucket: TokenBucket;
  private readAudited = false;
  private wrote = 0;
  private denied = 0;

  constructor(
    private readonly ctx: Context,
    private readonly ws: WebSocket,
    readonly planId: string,
    readonly docName: DocName,
  ) {
    this.bucket = new TokenBucket(ctx.config.messageBurst, ctx.config.messagesPerSecond);
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

  send(data: Uint8Array): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(data);
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
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    if (!this.bucket.take()) return this.close('rateLimited');
    if (data.byteLength > this.ctx.config.maxFrameBytes) return this.close('frameTooLarge');
    if (!isBinary) return this.close('badMessage');
    const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (!this.pending) return this.handle(frame);
    // A client says two things before the server speaks (step 1, presence); a flood before
    // authentication completes would only cost memory.
    if (this.pending.length >= MAX_PENDING_FRAMES) return this.close('rateLimited');
    this.pending.push(frame);
  }

  private handle(data: Uint8Array): void {
    const room = this.room!;
    let frame;
    try {
      frame = parseFrame(data);
    } catch (error) {
      this.ctx.metrics.inc('varde_bad_frames_total');
      this.ctx.log.warn('ws.badFrame', {
        planId: this.planId,
        memberId: this.member?.id,
        doc: this.docName,
        reason: error instanceof BadMessage ? error.what : errorName(error),
      });
      return this.close('badMessage');
    }
    switch (frame.type) {
      case 'syncStep1':
        this.send(encodeSyncStep2(room.doc, frame.stateVector));
        if (!this.readAudited) {
          this.readAudited = true;
          this.audit('doc.read');
        }
        return;
      case 'syncStep2':
      case 'update':
        if (frame.empty) return;
        if (!canWrite(this.member!.levels, this.docName)) {
          this.denied++;
          this.ctx.metrics.inc('varde_updates_denied_total');
          this.send(encodePermissionDenied(PERMISSION_DENIED.writeDenied));
          return;
        }
        this.wrote++;
        room.write(this, frame.update);
        return;
      case 'awareness':
        room.presence(this, frame.entries);
        return;
      case 'queryAwareness': {
        const presence = room.presenceSnapshot();
        if (presence) this.send(presence);
        return;
      }
      case 'auth':
        // Clients have nothing to say in the auth sub-protocol; ignored like y-websocket does.
        return;
    }
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
    if (this.room) {
      this.flushAudit();
      this.audit('doc.disconnected');
      this.room.leave(this);
    }
    this.ctx.rooms.unregister(this);
  }
}
