/**
 * Watches the WebSocket frames arriving on one socket, header by header, before `ws` buffers
 * them: `ws` holds a frame in memory until it is complete, up to its `maxPayload`, and counts
 * nothing until then. An outside probe held 259 MiB with 16 sockets each sending the start of
 * a 16 MiB frame and nothing more. This watch reads only frame headers (2–14 bytes) and skips
 * payloads by length, so it costs next to nothing, and it enforces, per message (all fragments
 * of one WebSocket message together):
 *
 * - a size announced in a header above `maxMessageBytes()` ends the connection at once, before
 *   any of that payload is held;
 * - the bytes a message announces are reserved against shared budgets (the member's, the client
 *   address's) until it completes, so many sockets cannot multiply the memory one sender holds;
 * - a message must complete within `baseMs` plus its size at `minBytesPerSecond`: a sender that
 *   starts a frame and stalls is cut off in seconds, whatever it announced.
 *
 * The watch never alters the bytes; `ws` still parses and validates them (RFC 6455).
 */
import type { Duplex } from 'node:stream';

export type WatchViolation = 'frameTooLarge' | 'frameTimeout' | 'rateLimited';

export interface FrameWatchPolicy {
  /** Largest message the connection may send now (it shrinks before authentication and after close). */
  maxMessageBytes(): number;
  /** Reserves announced bytes against shared budgets; false when a budget has no room. */
  reserve(bytes: number): boolean;
  release(bytes: number): void;
  /** A rule was broken; called once, after which the watch ignores the socket. */
  violation(reason: WatchViolation): void;
}

export interface FrameTiming {
  /** Time any message gets, whatever its size. */
  baseMs: number;
  /** Slowest upload rate a large message may arrive at. */
  minBytesPerSecond: number;
}

/** Header bytes: 2, then 2 or 8 of extended length, then 4 of mask. */
const MAX_HEADER = 14;

/**
 * Enforces the rules above on one socket from construction on, reading its bytes ahead of `ws`. Reports
 * the first broken rule to `policy.violation` and then stops watching; call `stop` when the socket closes, so
 * the message in progress releases its reservation.
 */
export class FrameWatch {
  private readonly header = new Uint8Array(MAX_HEADER);
  private headerLength = 0;
  private headerNeeded = 2;
  /** Payload bytes of the current frame still to come. */
  private remaining = 0;
  private frameIsData = false;
  private frameFin = false;
  /** Announced payload bytes of the message in progress (all its data frames so far). */
  private messageBytes = 0;
  /** A data message has started and not finished (its last fragment not yet complete). */
  private messageOpen = false;
  /** When the watch last left the idle state (between messages, no partial header). */
  private busySince = 0;
  private reserved = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** When the timer is due (the deadline it was set for). */
  private timerAt = 0;
  private stopped = false;
  /** Since when the server has not been reading (`pause`), or null while it reads. */
  private pausedAt: number | null = null;
  private readonly onData = (chunk: Buffer) => this.read(chunk);

  constructor(
    private readonly socket: Duplex,
    private readonly policy: FrameWatchPolicy,
    private readonly timing: FrameTiming,
    private readonly now: () => number = () => performance.now(),
  ) {
    // Before ws's own listener, so a violation is acted on before ws buffers the bytes.
    socket.prependListener('data', this.onData);
  }

  /** Bytes the current message holds in reservation (for tests and metrics). */
  get reservedBytes(): number {
    return this.reserved;
  }

  private get busy(): boolean {
    return this.messageOpen || this.headerLength > 0 || this.remaining > 0;
  }

  private read(chunk: Buffer): void {
    if (this.stopped) return;
    let i = 0;
    while (i < chunk.length && !this.stopped) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - i);
        this.remaining -= n;
        i += n;
        if (this.remaining === 0) this.frameDone();
        continue;
      }
      if (!this.busy) this.busySince = this.pausedAt ?? this.now();
      this.header[this.headerLength++] = chunk[i++]!;
      if (this.headerLength === 2) {
        const len7 = this.header[1]! & 0x7f;
        const masked = (this.header[1]! & 0x80) !== 0;
        this.headerNeeded = 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (masked ? 4 : 0);
      }
      if (this.headerLength === this.headerNeeded) this.frameStart();
    }
    if (!this.stopped) this.arm();
  }

  private frameStart(): void {
    const h = this.header;
    const opcode = h[0]! & 0x0f;
    const len7 = h[1]! & 0x7f;
    let length: number;
    if (len7 === 126) length = (h[2]! << 8) | h[3]!;
    else if (len7 === 127) {
      const high = ((h[2]! << 24) >>> 0) + (h[3]! << 16) + (h[4]! << 8) + h[5]!;
      const low = ((h[6]! << 24) >>> 0) + (h[7]! << 16) + (h[8]! << 8) + h[9]!;
      length = high > 0 ? Number.POSITIVE_INFINITY : low;
    } else length = len7;
    this.headerLength = 0;
    this.headerNeeded = 2;
    this.frameFin = (h[0]! & 0x80) !== 0;
    this.frameIsData = opcode < 8;
    if (this.frameIsData) {
      // opcode 0 continues the message; 1 (text) and 2 (binary) begin one
      if (opcode !== 0) this.finishMessage();
      this.messageOpen = true;
      this.messageBytes += length;
      if (this.messageBytes > this.policy.maxMessageBytes()) return this.violate('frameTooLarge');
      if (length > 0) {
        if (!this.policy.reserve(length)) return this.violate('rateLimited');
        this.reserved += length;
      }
    } else if (length > 125) {
      return this.violate('frameTooLarge'); // RFC 6455: control frames carry at most 125 bytes
    }
    this.remaining = length;
    if (length === 0) this.frameDone();
  }

  private frameDone(): void {
    if (this.frameIsData && this.frameFin) this.finishMessage();
  }

  private finishMessage(): void {
    if (this.reserved > 0) this.policy.release(this.reserved);
    this.reserved = 0;
    this.messageBytes = 0;
    this.messageOpen = false;
  }

  private deadline(): number {
    return this.busySince + this.timing.baseMs + (this.messageBytes * 1000) / this.timing.minBytesPerSecond;
  }

  /**
   * Keeps one timer while something is incomplete, none while idle or paused. A timer set for an earlier
   * message (a large one, given more time) is moved up when a new message's deadline is sooner:
   * one chunk can end a large message and begin a stalled one.
   */
  private arm(): void {
    if (!this.busy || this.pausedAt !== null) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      return;
    }
    const at = this.deadline();
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    const wait = Math.max(0, at - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped || !this.busy) return;
      if (this.now() >= this.deadline()) return this.violate('frameTimeout');
      this.arm();
    }, wait + 1);
    this.timer.unref();
  }

  /**
   * The server stops reading this socket for a while (its earlier frames wait their turn,
   * fair-queue.ts): the time until `resume` does not count against the message in progress,
   * which cannot progress meanwhile.
   */
  pause(): void {
    if (this.stopped || this.pausedAt !== null) return;
    this.pausedAt = this.now();
    this.arm();
  }

  /** The server reads again: deadlines move on by the time it did not. */
  resume(): void {
    if (this.pausedAt === null) return;
    const held = this.now() - this.pausedAt;
    this.pausedAt = null;
    if (this.busy) this.busySince += held;
    if (!this.stopped) this.arm();
  }

  private violate(reason: WatchViolation): void {
    this.stop();
    this.policy.violation(reason);
  }

  /** Stops watching and gives back what the current message reserved. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.socket.removeListener('data', this.onData);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.reserved > 0) this.policy.release(this.reserved);
    this.reserved = 0;
  }
}
