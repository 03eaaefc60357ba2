/**
 * One hostile session: a real `ws` socket as one member on one doc, a run of frames, and a
 * verdict on how the server answered. Frames are sent back to back; a final sync step 1 is a
 * barrier: its answer proves the server read everything before it and stayed open.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES, syncProtocols } from '../../core/access/index.ts';
import { Rand, barrierFrame, benignFrame, hostileFrame, type Frame, type SessionState } from './frames.ts';
import type { Endpoint, Seat } from './world.ts';

/** Close codes the protocol documents for a misbehaving client (docs/protocol.md). */
export const DOCUMENTED = new Set<number>([
  CLOSE_CODES.badMessage,
  CLOSE_CODES.frameTooLarge,
  CLOSE_CODES.rateLimited,
  CLOSE_CODES.tooManyConnections,
  CLOSE_CODES.slowReader,
  CLOSE_CODES.frameTimeout,
  1009, // ws's own cap, far above --max-frame-bytes
]);
/** Limits can end any session first, whatever its frames. */
const LIMITS = new Set<number>([
  CLOSE_CODES.rateLimited,
  CLOSE_CODES.tooManyConnections,
  CLOSE_CODES.slowReader,
  CLOSE_CODES.frameTimeout,
]);

export type Mode = 'mixed' | 'fatal' | 'flood' | 'stall';

export interface SessionResult {
  mode: Mode;
  sent: number;
  kinds: string[];
  /** The server's close code, or null when it stayed open to the end. */
  code: number | null;
  /** What went wrong, if anything: a wrong or undocumented code, a hang. */
  problem: string | null;
  denied: number;
  /**
   * Frames the server must have read: all of them on a session it left open, those before the
   * closing frame on one it closed for that frame, none on one a limit ended.
   */
  mustRead: number;
}

export interface SessionOptions {
  endpoint: Endpoint;
  seat: Seat;
  token: string;
  rand: Rand;
  mode: Mode;
  /** Frames to send at most (the flood sends more than the burst regardless). */
  budget: number;
  victims: number[];
  maxFrameBytes: number;
  maxUpdateStructs: number;
  burst: number;
}

/** A barrier unanswered this long means a hang (a saturated machine answers in seconds). */
const TIMEOUT_MS = 60_000;

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint8Array(e, bytes);
  return encoding.toUint8Array(e);
}

export async function runSession(o: SessionOptions): Promise<SessionResult> {
  const { seat, rand } = o;
  const ws = new WebSocket(`${o.endpoint.wsUrl}/${seat.member.planId}/${seat.doc}`, syncProtocols(o.token), {
    perMessageDeflate: false,
  });
  const result: SessionResult = {
    mode: o.mode,
    sent: 0,
    kinds: [],
    code: null,
    problem: null,
    denied: 0,
    mustRead: 0,
  };
  let answers = 0;
  let closed = false;
  const fork = seat.fork;
  const onClose = new Promise<number>((resolve) =>
    ws.on('close', (code) => {
      closed = true;
      resolve(code);
    }),
  );
  ws.on('error', () => {});
  let serverStateVector: Uint8Array | null = null;
  ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(d);
    if (type === 2) result.denied++;
    if (type !== 0) return;
    const sub = decoding.readVarUint(d);
    if (sub === 0) serverStateVector ??= decoding.readVarUint8Array(d);
    if (sub !== 1) return;
    answers++;
    if (seat.fetchFirst) {
      try {
        Y.applyUpdate(fork, decoding.readVarUint8Array(d));
      } catch {
        // a fork that cannot take the server's doc would make every later check fail loudly
      }
    }
  });
  const opened = await Promise.race([
    new Promise<boolean>((r) => ws.once('open', () => r(true))),
    onClose.then(() => false),
  ]);
  if (!opened) {
    result.code = await onClose;
    result.problem = LIMITS.has(result.code) ? null : `refused at connect with ${result.code}`;
    return result;
  }
  const state: SessionState = {
    get serverStateVector() {
      return serverStateVector;
    },
    rand,
    fork,
    diffAgainstServer: seat.fetchFirst,
    tainted: false,
    writer: seat.writer,
    safeOnly: seat.safeOnly,
    victims: o.victims,
    maxFrameBytes: o.maxFrameBytes,
    maxUpdateStructs: o.maxUpdateStructs,
  };
  let asked = 0;
  const send = (f: Frame) => {
    if (closed) return;
    ws.send(f.data, { binary: typeof f.data !== 'string' });
    result.sent++;
    result.kinds.push(f.kind);
    if (f.asks) asked++;
  };
  const barrier = async () => {
    send(barrierFrame(state));
    const deadline = Date.now() + TIMEOUT_MS;
    while (!closed && answers < asked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    return closed || answers >= asked;
  };
  if (seat.fetchFirst) {
    const sv = Y.encodeStateVector(fork);
    send({
      kind: 'fetch',
      data: new Uint8Array([0, 0, ...lengthPrefixed(sv)]),
      outcome: 'benign',
      asks: true,
    });
    const deadline = Date.now() + TIMEOUT_MS;
    while (!closed && answers < asked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  }

  let expected: number | 'documented' | 'open' = 'open';
  let last: Frame | null = null;
  let beforeLast = 0;
  if (o.mode === 'fatal') {
    last = hostileFrame(state);
    beforeLast = result.sent;
    send(last);
  } else if (o.mode === 'flood') {
    const n = o.burst + 50 + rand.int(200);
    for (let i = 0; i < n && !closed; i++)
      send({ kind: 'flood', data: new Uint8Array([3]), outcome: 'benign' });
    expected = CLOSE_CODES.rateLimited;
  } else {
    // A reader that stops reading: what the server buffers for it must stay bounded.
    if (o.mode === 'stall') (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let i = 0, n = Math.max(1, o.budget - 2); i < n && !closed; i++) send(benignFrame(state));
    if (o.mode === 'stall') (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    if (rand.chance(0.5)) {
      last = hostileFrame(state);
      beforeLast = result.sent;
      send(last);
    }
  }
  if (last)
    expected =
      typeof last.outcome === 'number' ? last.outcome : last.outcome === 'maybe' ? 'documented' : 'open';

  const done = await barrier();
  // A fork that disagrees with the server about its own structs, or holds changes the server
  // refused (which every later diff would carry again), starts afresh next time; so does now
  // and then a fork whose changes are all refused, so that none grows without end.
  if (state.tainted || (seat.fetchFirst && result.denied > 0) || (!seat.fetchFirst && rand.chance(0.05))) {
    seat.fork = new Y.Doc();
  }
  if (!closed) {
    ws.close(1000);
    await Promise.race([onClose, new Promise((r) => setTimeout(r, 2000))]);
    ws.terminate();
    if (!done) result.problem = 'no answer to the barrier: the server hung or dropped a frame';
    if (typeof expected === 'number' && !done) result.problem = `expected close ${expected}, got none`;
    if (typeof expected === 'number' && done) result.problem = `expected close ${expected}, stayed open`;
    result.mustRead = result.sent;
    return result;
  }
  const code = await onClose;
  result.code = code;
  if (last && !LIMITS.has(code)) result.mustRead = beforeLast;
  if (!DOCUMENTED.has(code)) result.problem = `undocumented close ${code}`;
  else if (expected === 'open' && !LIMITS.has(code))
    result.problem = `closed with ${code} after benign frames`;
  else if (typeof expected === 'number' && code !== expected && !LIMITS.has(code) && code !== 1009) {
    result.problem = `expected close ${expected}, got ${code}`;
  }
  return result;
}
