/**
 * The frame watch (sync-server/sync/frame-watch.ts) on a socket fed by hand, with fake time:
 * a message that stalls is cut at its own deadline, whatever came before it on the socket.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameWatch, type WatchViolation } from '../../sync-server/sync/frame-watch.ts';

const BASE_MS = 5000;
const BYTES_PER_SECOND = 128 * 1024;

/** A masked client frame header announcing `length` bytes. */
function header(length: number, opcode = 2, fin = true): Buffer {
  const first = (fin ? 0x80 : 0) | opcode;
  const mask = [1, 2, 3, 4];
  if (length < 126) return Buffer.from([first, 0x80 | length, ...mask]);
  if (length <= 0xffff) return Buffer.from([first, 0x80 | 126, length >> 8, length & 0xff, ...mask]);
  const b = Buffer.alloc(10);
  b[0] = first;
  b[1] = 0x80 | 127;
  b.writeBigUInt64BE(BigInt(length), 2);
  return Buffer.concat([b, Buffer.from(mask)]);
}

function watched() {
  const socket = new EventEmitter();
  const violations: [WatchViolation, number][] = [];
  const watch = new FrameWatch(
    socket as unknown as Duplex,
    {
      maxMessageBytes: () => 8 * 1024 * 1024,
      reserve: () => true,
      release: () => {},
      violation: (reason) => violations.push([reason, Date.now()]),
    },
    { baseMs: BASE_MS, minBytesPerSecond: BYTES_PER_SECOND },
    () => Date.now(),
  );
  return { send: (bytes: Buffer) => socket.emit('data', bytes), violations, watch };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the frame watch', () => {
  it('cuts a header that never completes at the base time', () => {
    const w = watched();
    w.send(header(300).subarray(0, 3));
    vi.advanceTimersByTime(BASE_MS - 10);
    expect(w.violations).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(w.violations).toEqual([['frameTimeout', expect.any(Number)]]);
  });

  it('gives a large message its size at the slowest rate on top of the base time', () => {
    const w = watched();
    const size = 1024 * 1024;
    w.send(Buffer.concat([header(size), Buffer.alloc(1000)]));
    vi.advanceTimersByTime(BASE_MS + (size * 1000) / BYTES_PER_SECOND - 10);
    expect(w.violations).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(w.violations.map(([r]) => r)).toEqual(['frameTimeout']);
  });

  it('keeps no timer between whole messages', () => {
    const w = watched();
    for (let i = 0; i < 5; i++) {
      w.send(Buffer.concat([header(10), Buffer.alloc(10)]));
      vi.advanceTimersByTime(BASE_MS * 2);
    }
    expect(w.violations).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cuts a message that starts in the chunk ending a large one at its own deadline, not the large one’s', () => {
    const w = watched();
    const size = 2 * 1024 * 1024; // 16 s at the slowest rate: its deadline is 21 s away
    w.send(Buffer.concat([header(size), Buffer.alloc(1000)]));
    vi.advanceTimersByTime(1000);
    // The rest of the large message and the first bytes of a header that stops there.
    w.send(Buffer.concat([Buffer.alloc(size - 1000), header(300).subarray(0, 2)]));
    vi.advanceTimersByTime(BASE_MS + 10);
    expect(w.violations).toEqual([['frameTimeout', 1000 + BASE_MS + 1]]);
  });

  it('does not count the time the server is not reading (a costly frame waits its turn) against the message in progress', () => {
    const w = watched();
    w.send(header(300).subarray(0, 3));
    vi.advanceTimersByTime(1000);
    w.watch.pause();
    vi.advanceTimersByTime(BASE_MS * 3);
    expect(w.violations).toEqual([]);
    w.watch.resume();
    vi.advanceTimersByTime(BASE_MS - 1000 - 10);
    expect(w.violations).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(w.violations).toEqual([['frameTimeout', 1000 + BASE_MS * 3 + BASE_MS - 1000 + 1]]);
  });

  it('gives a message that begins while paused its whole time from the resume', () => {
    const w = watched();
    w.watch.pause();
    vi.advanceTimersByTime(1000);
    w.send(header(300).subarray(0, 2)); // bytes that had already arrived
    vi.advanceTimersByTime(BASE_MS * 2);
    w.watch.resume();
    vi.advanceTimersByTime(BASE_MS - 10);
    expect(w.violations).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(w.violations.map(([r]) => r)).toEqual(['frameTimeout']);
  });
});
