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
import { awarenessFrame } from './build.ts';
import { StepOneBudget, spendsToken, type Bucket } from './budget.ts';
import { Random } from '../random.ts';
import { barrierFrame, benignFrame, hostileFrame, type Frame, type SessionState } from './frames.ts';
import { sendRaw, type RawLimits, type RawMode, type RawSocket } from './raw.ts';
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

export type Mode = 'mixed' | 'fatal' | 'flood' | 'stall' | RawMode;

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
  /** Raw frames (partial, oversized header, slow): how long after its deadline the close came. */
  lateMs?: number;
  /**
   * Closed without a code (1006) while the fuzzer's own event loop was stalled for longer than
   * the server waits for a closed socket to read its close frame, or a raw frame's close not
   * seen in time while the fuzzer was blocked for most of the wait: counted, not a problem.
   */
  fuzzerStalled?: true;
  /** What a session the fuzzer's own stall spoiled would otherwise have reported. */
  note?: string;
}

export interface SessionOptions {
  endpoint: Endpoint;
  seat: Seat;
  token: string;
  rand: Random;
  mode: Mode;
  /** Frames to send at most (the flood sends more than the burst regardless). */
  budget: number;
  victims: number[];
  maxFrameBytes: number;
  maxUpdateStructs: number;
  burst: number;
  /** Messages per second the server lets a connection send past its burst. */
  rate: number;
  /** The frame watch's timing, for raw frames. */
  raw: RawLimits;
  /** The slowest /healthz answer seen since a moment (Date.now), still unanswered ones included. */
  serverSlowest?: (since: number) => number;
  /** The step-1 token buckets this session spends from (budget.ts). */
  connectionTokens: Bucket;
  memberTokens: Bucket;
}

/**
 * The fuzzer's own stalls (its event loop blocked, on a machine shared with other jobs), as
 * `[ended at, lasted ms]`. The server cuts a closed socket that does not read its close frame
 * within 2 s (frame rules) to 30 s: a fuzzer stalled that long sees 1006 instead of the code.
 */
const stalls: [number, number][] = [];
let tick = performance.now();
setInterval(() => {
  const now = performance.now();
  if (now - tick > 1100) stalls.push([now, now - tick]);
  if (stalls.length > 1000) stalls.shift();
  tick = now;
}, 100).unref();
/** The server's shortest grace after a close (Connection FRAME_RULE_GRACE_MS). */
const SHORTEST_CLOSE_GRACE_MS = 2000;
const stalledSince = (t: number) => stalls.some(([end, ms]) => end >= t && ms >= SHORTEST_CLOSE_GRACE_MS);
/** How long the fuzzer's event loop was blocked, in all, since `t`. */
const stalledFor = (t: number) => stalls.reduce((sum, [end, ms]) => (end >= t ? sum + ms : sum), 0);

/** After a raw frame's deadline, how long the close may take: the server's 2 s grace and lag. */
const RAW_SLACK_MS = 15_000;

/** Benign frames sent before the raw one (whole, through `ws`). */
const RAW_PRELUDE = 3;

/** A barrier unanswered this long means a hang (a saturated machine answers in seconds). */
const TIMEOUT_MS = 60_000;

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint8Array(e, bytes);
  return encoding.toUint8Array(e);
}

const syncStepOne = (sv: Uint8Array) => new Uint8Array([0, 0, ...lengthPrefixed(sv)]);

export async function runSession(o: SessionOptions): Promise<SessionResult> {
  const started = performance.now();
  const r = await session(o);
  if (r.code === 1006 && r.problem && stalledSince(started)) {
    r.problem = null;
    r.fuzzerStalled = true;
  }
  return r;
}

async function session(o: SessionOptions): Promise<SessionResult> {
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
    // The first answer is the fetch; applying every later one (whole docs of megabytes, for
    // stale state vectors) only cost the fuzzer seconds of blocked event loop.
    if (seat.fetchFirst && answers === 1) {
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
  const budget = new StepOneBudget(o.connectionTokens, o.memberTokens);
  /**
   * A benign frame, or in place of a step 1 the budget has no token for (keeping two: for a
   * hostile last frame that may read as one, and the barrier), an empty update.
   */
  const nextBenign = (): Frame => {
    const f = benignFrame(state);
    if (!spendsToken(f.data) || budget.take(2)) return f;
    return { kind: 'update-empty', data: new Uint8Array([0, 2, 2, 0, 0]), outcome: 'benign' };
  };
  const send = (f: Frame) => {
    if (closed) return;
    ws.send(f.data, { binary: typeof f.data !== 'string' });
    result.sent++;
    result.kinds.push(f.kind);
    if (f.asks) asked++;
  };
  const barrier = async () => {
    const b = barrierFrame(state);
    if (spendsToken(b.data)) await budget.acquire();
    send(b);
    const deadline = Date.now() + TIMEOUT_MS;
    while (!closed && answers < asked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    return closed || answers >= asked;
  };
  if (seat.fetchFirst) {
    const sv = Y.encodeStateVector(fork);
    if (spendsToken(syncStepOne(sv))) await budget.acquire();
    send({
      kind: 'fetch',
      data: syncStepOne(sv),
      outcome: 'benign',
      asks: true,
    });
    const deadline = Date.now() + TIMEOUT_MS;
    while (!closed && answers < asked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  }

  /**
   * A few frames through `ws`, then one written raw onto its socket: the close must come by the
   * frame's deadline (plus slack), with its code; a slow frame in time must be read like any.
   */
  const raw = async (mode: RawMode): Promise<SessionResult> => {
    const socket = (ws as unknown as { _socket: RawSocket })._socket;
    const spoken = Date.now() + TIMEOUT_MS;
    while (!closed && !serverStateVector && Date.now() < spoken) await new Promise((r) => setTimeout(r, 5));
    for (let i = 0, n = rand.int(RAW_PRELUDE + 1); i < n && !closed; i++) send(nextBenign());
    const before = result.sent;
    // Padded so that a byte every half second cannot finish it within the frame timeout.
    const pad = 'p'.repeat(Math.ceil(o.raw.frameTimeoutMs / 250) + rand.int(60));
    const slowFrame = awarenessFrame([[fork.clientID, 1 + rand.int(1e6), JSON.stringify({ pad })]]);
    const started = Date.now();
    const plan = await sendRaw(mode, rand, socket, o.raw, slowFrame, () => closed);
    result.sent++;
    result.kinds.push(plan.kind);
    if (plan.expected === 'open') {
      const done = await barrier();
      if (!closed) {
        ws.close(1000);
        await Promise.race([onClose, new Promise((r) => setTimeout(r, 2000))]);
        ws.terminate();
        result.mustRead = result.sent;
        if (!done) result.problem = `${plan.kind}: no answer to the barrier after a slow frame in time`;
        return result;
      }
      result.code = await onClose;
      if (!LIMITS.has(result.code)) result.problem = `${plan.kind}: closed with ${result.code}`;
      return result;
    }
    const wait = plan.deadlineMs + RAW_SLACK_MS - (Date.now() - started);
    const waitStarted = performance.now();
    let code = await Promise.race([onClose, new Promise<null>((r) => setTimeout(() => r(null), wait))]);
    // After a stall the timer runs before the socket events queued behind it: read those first.
    if (code === null)
      code = await Promise.race([onClose, new Promise<null>((r) => setImmediate(() => r(null)))]);
    if (code === null) {
      const seen = ws as unknown as { _closeFrameReceived: boolean; _closeCode: number };
      const stalled = stalledFor(waitStarted);
      const server = o.serverSlowest?.(started);
      ws.terminate();
      const what =
        `${plan.kind}: not closed within ${Math.round(plan.deadlineMs + RAW_SLACK_MS)} ms ` +
        `(frame ${plan.frameBytes} bytes; ` +
        (seen._closeFrameReceived
          ? `the server's close frame ${seen._closeCode} came, its socket stayed open`
          : 'no close frame') +
        `; fuzzer stalled ${Math.round(stalled)} ms meanwhile` +
        (server !== undefined ? `; slowest /healthz meanwhile ${server} ms)` : ')');
      if (stalled >= RAW_SLACK_MS - SHORTEST_CLOSE_GRACE_MS) {
        result.fuzzerStalled = true;
        result.note = what;
      } else result.problem = what;
      return result;
    }
    result.code = code;
    result.lateMs = Math.max(0, Date.now() - started - plan.deadlineMs);
    if (code === plan.expected) result.mustRead = before;
    else if (!LIMITS.has(code)) result.problem = `${plan.kind}: expected close ${plan.expected}, got ${code}`;
    return result;
  };

  let expected: number | 'documented' | 'open' = 'open';
  // A flood's start, and how long the server may take over it and rightly stay open: the rate
  // is counted as the server handles frames, one per turn of its event loop, so a busy server
  // handling a flood more slowly than the rate allows is within the rule.
  let floodStarted = 0;
  let floodSpreadMs = Infinity;
  let last: Frame | null = null;
  let beforeLast = 0;
  if (o.mode === 'partial' || o.mode === 'header' || o.mode === 'slow') {
    return raw(o.mode);
  }
  if (o.mode === 'fatal') {
    last = hostileFrame(state);
    if (spendsToken(last.data)) await budget.acquire();
    beforeLast = result.sent;
    send(last);
  } else if (o.mode === 'flood') {
    const n = o.burst + 50 + rand.int(200);
    floodStarted = Date.now();
    floodSpreadMs = ((n - o.burst) / o.rate) * 1000;
    for (let i = 0; i < n && !closed; i++)
      send({ kind: 'flood', data: new Uint8Array([3]), outcome: 'benign' });
    expected = CLOSE_CODES.rateLimited;
  } else {
    // A reader that stops reading: what the server buffers for it must stay bounded.
    if (o.mode === 'stall') (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let i = 0, n = Math.max(1, o.budget - 2); i < n && !closed; i++) {
      const f = nextBenign();
      send(f);
      // A benign change past the frame limit (benignFrame) ends the session with its code.
      if (typeof f.outcome === 'number') {
        expected = f.outcome;
        break;
      }
    }
    if (o.mode === 'stall') (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    if (expected === 'open' && rand.chance(0.5)) {
      last = hostileFrame(state);
      if (spendsToken(last.data)) await budget.acquire();
      beforeLast = result.sent;
      send(last);
    }
  }
  if (last)
    expected =
      typeof last.outcome === 'number' ? last.outcome : last.outcome === 'maybe' ? 'documented' : 'open';

  const done = await barrier();
  const floodSpread = floodStarted > 0 && Date.now() - floodStarted >= floodSpreadMs;
  if (floodSpread && !closed) result.kinds.push('flood-handled-within-rate');
  // A fork that disagrees with the server about its own structs, or holds changes the server
  // refused (a permission-denied answer: every later diff would carry them again), starts
  // afresh next time; so does now and then any other, so that none grows without end.
  if (state.tainted || result.denied > 0 || (!seat.fetchFirst && rand.chance(0.05))) {
    seat.fork = new Y.Doc();
  }
  if (!closed) {
    ws.close(1000);
    await Promise.race([onClose, new Promise((r) => setTimeout(r, 2000))]);
    ws.terminate();
    if (!done) result.problem = 'no answer to the barrier: the server hung or dropped a frame';
    if (typeof expected === 'number' && !done) result.problem = `expected close ${expected}, got none`;
    if (typeof expected === 'number' && done && !floodSpread)
      result.problem = `expected close ${expected}, stayed open`;
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
