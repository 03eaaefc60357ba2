/**
 * WebSocket frames written byte by byte onto a client's socket, below `ws`: frames that stop
 * halfway, headers that announce more than the server takes, frames sent a few bytes a second.
 * `ws` cannot send these; the server's frame watch (sync-server/sync/frame-watch.ts) must
 * close them with frameTimeout (4532) or frameTooLarge (4413).
 */
import type { Random } from '../random.ts';

export const OPCODE = { continuation: 0, binary: 2, ping: 9 } as const;

/** A masked client frame header announcing `length` payload bytes (up to 2^64 - 1). */
export function frameHeader(opcode: number, fin: boolean, length: bigint, mask: Uint8Array): Uint8Array {
  const first = (fin ? 0x80 : 0) | opcode;
  let h: number[];
  if (length < 126n) h = [first, 0x80 | Number(length)];
  else if (length <= 0xffffn) h = [first, 0x80 | 126, Number(length >> 8n), Number(length & 0xffn)];
  else {
    h = [first, 0x80 | 127];
    for (let i = 7; i >= 0; i--) h.push(Number((length >> BigInt(8 * i)) & 0xffn));
  }
  return new Uint8Array([...h, ...mask]);
}

/** A whole masked client frame carrying `payload`. */
export function maskedFrame(
  rand: Random,
  payload: Uint8Array,
  opcode = OPCODE.binary,
  fin = true,
): Uint8Array {
  const mask = rand.bytes(4);
  const header = frameHeader(opcode, fin, BigInt(payload.length), mask);
  const out = new Uint8Array(header.length + payload.length);
  out.set(header);
  for (let i = 0; i < payload.length; i++) out[header.length + i] = payload[i]! ^ mask[i % 4]!;
  return out;
}

/** The socket under a `ws` client: raw bytes written to it follow what `ws` already sent. */
export interface RawSocket {
  write(bytes: Uint8Array): boolean;
  destroyed: boolean;
}

export interface RawLimits {
  maxFrameBytes: number;
  frameTimeoutMs: number;
  minFrameBytesPerSecond: number;
}

/** What a raw send must lead to: a close code by `deadlineMs` after its first byte, or none. */
export interface RawPlan {
  kind: string;
  expected: number | 'open';
  deadlineMs: number;
  /** Bytes the frame's header announced (or, for a slow sender, the whole frame's). */
  frameBytes: number;
}

export type RawMode = 'partial' | 'header' | 'slow';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Writes one raw frame for `mode` and returns what the server must do. `benign` is a complete
 * y-websocket message the server would accept (sent whole, but slowly, by `slow`).
 */
export async function sendRaw(
  mode: RawMode,
  rand: Random,
  socket: RawSocket,
  limits: RawLimits,
  benign: Uint8Array,
  closed: () => boolean,
): Promise<RawPlan> {
  const { maxFrameBytes, frameTimeoutMs, minFrameBytesPerSecond } = limits;
  const timeFor = (bytes: number) => frameTimeoutMs + (bytes * 1000) / minFrameBytesPerSecond;
  const mask = rand.bytes(4);
  if (mode === 'partial') {
    const variant = rand.int(4);
    if (variant <= 1) {
      // A header announcing n bytes, fewer of them, then nothing.
      const n = rand.weighted([
        [3, 1 + rand.int(200)],
        [2, 200 + rand.int(65_336)],
        [1, 65_536 + rand.int(Math.max(1, Math.min(maxFrameBytes, 1 << 20) - 65_536))],
      ]);
      socket.write(frameHeader(OPCODE.binary, true, BigInt(n), mask));
      socket.write(rand.bytes(rand.int(Math.min(n, 65_536))));
      return { kind: 'partial-payload', expected: 4532, deadlineMs: timeFor(n), frameBytes: n };
    }
    if (variant === 2) {
      const announced = rand.pick([10, 300, 70_000]);
      const header = frameHeader(OPCODE.binary, true, BigInt(announced), mask);
      socket.write(header.subarray(0, 1 + rand.int(header.length - 1)));
      return { kind: 'partial-header', expected: 4532, deadlineMs: timeFor(0), frameBytes: announced };
    }
    // A first fragment, whole, and no last one.
    const first = rand.bytes(1 + rand.int(100));
    socket.write(maskedFrame(rand, first, OPCODE.binary, false));
    if (rand.chance(0.5)) socket.write(frameHeader(OPCODE.continuation, false, 50n, mask));
    return {
      kind: 'partial-fragment',
      expected: 4532,
      deadlineMs: timeFor(first.length + 50),
      frameBytes: first.length + 50,
    };
  }
  if (mode === 'header') {
    const variant = rand.int(4);
    const quick = timeFor(0);
    if (variant === 0) {
      const announced = maxFrameBytes + 1 + rand.int(4096);
      socket.write(frameHeader(OPCODE.binary, true, BigInt(announced), mask));
      socket.write(rand.bytes(rand.int(100)));
      return { kind: 'header-over-limit', expected: 4413, deadlineMs: quick, frameBytes: announced };
    }
    if (variant === 1) {
      const announced = (1n << 63n) + BigInt(rand.int(1e9));
      socket.write(frameHeader(OPCODE.binary, true, announced, mask));
      return { kind: 'header-2^63', expected: 4413, deadlineMs: quick, frameBytes: Number(announced) };
    }
    if (variant === 2) {
      // Fragments each under the limit whose sum is over it.
      const first = rand.bytes(1 + rand.int(64));
      socket.write(maskedFrame(rand, first, OPCODE.binary, false));
      socket.write(frameHeader(OPCODE.continuation, true, BigInt(maxFrameBytes), mask));
      return {
        kind: 'header-fragments-over-limit',
        expected: 4413,
        deadlineMs: quick,
        frameBytes: first.length + maxFrameBytes,
      };
    }
    // RFC 6455: a control frame carries at most 125 bytes.
    const announced = 126 + rand.int(1000);
    socket.write(frameHeader(OPCODE.ping, true, BigInt(announced), mask));
    return { kind: 'header-control-too-long', expected: 4413, deadlineMs: quick, frameBytes: announced };
  }
  const frame = maskedFrame(rand, benign);
  if (rand.chance(0.5)) {
    // Slow, but within the time any frame gets: read like any other.
    const steps = Math.max(1, Math.floor((frameTimeoutMs * 0.3) / 100));
    const chunk = Math.ceil(frame.length / steps);
    for (let i = 0; i < frame.length && !closed() && !socket.destroyed; i += chunk) {
      socket.write(frame.subarray(i, i + chunk));
      await sleep(100);
    }
    return { kind: 'slow-in-time', expected: 'open', deadlineMs: 0, frameBytes: frame.length };
  }
  // A byte every half second, far slower than the frame's time: cut off while still sending.
  void (async () => {
    for (let i = 0; i < frame.length && !closed() && !socket.destroyed; i++) {
      socket.write(frame.subarray(i, i + 1));
      await sleep(500);
    }
  })();
  return {
    kind: 'slow-too-slow',
    expected: 4532,
    deadlineMs: timeFor(frame.length),
    frameBytes: frame.length,
  };
}
