/**
 * A member turned hostile in the middle of a convergence scenario (issue 9): with their own
 * secret they open one more socket on a doc they may read and send what the frame fuzzer's
 * hostile-content generators make (harness/frames/): structurally valid Yjs updates with
 * every content ref and malformed payloads inside them, as sync step 2 and as update; garbage
 * and enormous state vectors; presence nested too deep or holding lone surrogates. A writer
 * sends only what the server must refuse, so nothing of it may reach the honest replicas; a
 * member who may not write also sends updates that pass the scan, which the server must deny.
 *
 * Each frame has one right answer, waited for before the next: a close with badMessage (4400)
 * or a rate limit, or a permission-denied message with the socket left open. The scenario
 * checks the rest: the server still answers, and every honest device converges with nothing
 * lost.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { CLOSE_CODES, syncProtocols } from '../../core/access/index.ts';
import type { DocName } from '../../core/model/index.ts';
import { DEFAULTS } from '../../sync-server/config.ts';
import { awarenessFrame, syncFrame, type SessionState } from '../frames/build.ts';
import { Random } from '../random.ts';
import { CONTENT_BENIGN, CONTENT_HOSTILE } from '../frames/content-frames.ts';
import { sendRaw, type RawMode, type RawSocket } from '../frames/raw.ts';
import { contentUpdate } from '../frames/yjs-content.ts';
import { rawSocket, token, type Member } from '../server.ts';

/** Closes that end a hostile socket rightly: the frame was refused, or a budget ran out. */
const RIGHT_CLOSES = new Set<number>([CLOSE_CODES.badMessage, CLOSE_CODES.rateLimited]);

/** A frame's answer not seen this long means the server hangs (or the machine is saturated). */
const ANSWER_MS = 15_000;

export interface AttackResult {
  /** Frame kinds sent, in order. */
  kinds: string[];
  /** What went wrong: a wrong answer or none. Empty when the server did what it promises. */
  problems: string[];
}

export interface Attacker {
  url: string;
  member: Member;
  doc: DocName;
  writer: boolean;
  /** Drawn from the scenario's seed. */
  seed: number;
}

/** One hostile socket: 1–3 frames, each answered as the server promises. */
export async function attack(a: Attacker): Promise<AttackResult> {
  const rand = new Random(a.seed);
  const result: AttackResult = { kinds: [], problems: [] };
  const socket = await hostileSocket(a);
  const { ws, closed } = socket;
  const closeCode = socket.code;
  const denials = () => socket.messages.filter((m) => m[0] === 2).length;
  if (!(await until(() => socket.serverStateVector() !== null || closeCode() !== null))) {
    ws.terminate();
    return { ...result, problems: [`${a.doc}: no sync step 1 from the server within ${ANSWER_MS} ms`] };
  }
  if (closeCode() !== null)
    return { ...result, problems: [`${a.doc}: refused at connect with ${closeCode()}`] };
  const fork = new Y.Doc();
  const state: SessionState = {
    rand,
    fork,
    writer: a.writer,
    safeOnly: true,
    victims: [],
    maxFrameBytes: DEFAULTS.maxFrameBytes,
    maxUpdateStructs: DEFAULTS.maxUpdateStructs,
    serverStateVector: socket.serverStateVector(),
    diffAgainstServer: false,
    tainted: false,
  };
  if (rand.chance(0.2)) {
    // The auth sub-protocol carrying anything: ignored, the socket stays open.
    const frame = CONTENT_BENIGN[1]![1](state);
    result.kinds.push(frame.kind);
    ws.send(frame.data);
    await new Promise((r) => setTimeout(r, 50));
    if (closeCode() !== null) result.problems.push(`${frame.kind}: closed with ${closeCode()}`);
  }
  for (let i = 0, n = 1 + rand.int(3); i < n && closeCode() === null; i++) {
    // A reader's update that passes the scan: the path that once crashed the server (defect 1).
    if (!a.writer && rand.chance(0.5)) {
      const c = contentUpdate(rand);
      const kind = `update-${c.kind}`;
      result.kinds.push(kind);
      const before = denials();
      ws.send(syncFrame(rand.pick([1, 2]), c.update));
      if (c.verdict === 'refused') {
        const code = await Promise.race([closed, sleepNull(ANSWER_MS)]);
        if (code === null || !RIGHT_CLOSES.has(code)) result.problems.push(`${kind}: closed with ${code}`);
      } else if (!(await until(() => denials() > before || closeCode() !== null)) || closeCode() !== null) {
        result.problems.push(
          `${kind} from a reader: ${closeCode() === null ? 'no answer' : `closed with ${closeCode()}`}`,
        );
      }
      continue;
    }
    const frame = rand.weighted(CONTENT_HOSTILE)(state);
    result.kinds.push(frame.kind);
    ws.send(frame.data);
    const code = await Promise.race([closed, sleepNull(ANSWER_MS)]);
    if (code === null || !RIGHT_CLOSES.has(code)) result.problems.push(`${frame.kind}: closed with ${code}`);
  }
  if (closeCode() === null) {
    ws.close(1000);
    await Promise.race([closed, sleepNull(2000)]);
  }
  ws.terminate();
  fork.destroy();
  return result;
}

const sleepNull = (ms: number) => new Promise<null>((r) => setTimeout(() => r(null), ms));

async function until(check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ANSWER_MS;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return check();
}

/**
 * The attacker's own socket (harness/server.ts `rawSocket`) with the member's token: its close
 * code once closed, and the state vector of the server's sync step 1 once it spoke.
 */
async function hostileSocket(a: Attacker) {
  const tok = (await token(a.url, a.member)).token;
  const s = rawSocket(`${a.url.replace(/^http/, 'ws')}/sync`, `/${a.member.planId}/${a.doc}`, {
    protocols: syncProtocols(tok),
  });
  let code: number | null = null;
  const closed = s.closed.then((c) => (code = c.code));
  const serverStateVector = () => {
    const first = s.messages.find((m) => m[0] === 0 && m[1] === 0);
    if (!first) return null;
    const d = decoding.createDecoder(first);
    decoding.readVarUint(d);
    decoding.readVarUint(d);
    return decoding.readVarUint8Array(d);
  };
  return { ws: s.ws, messages: s.messages, closed, code: () => code, serverStateVector };
}

/**
 * One more socket that sends a frame below `ws`: a header announcing more than follows, a
 * header over the frame limit, or a frame a byte every half second. It must be closed with
 * 4532 or 4413 by the frame's deadline (plus slack), or, for a slow frame sent in time, read.
 * Runs for seconds, so the scenario starts it and collects it at the end; `restarted` says
 * whether the server went down meanwhile (then any close is right).
 */
export async function rawAttack(a: Attacker, restarted: () => boolean): Promise<AttackResult> {
  const rand = new Random(a.seed);
  const mode = rand.pick(['partial', 'header', 'slow'] as const satisfies readonly RawMode[]);
  const result: AttackResult = { kinds: [], problems: [] };
  const socket = await hostileSocket(a);
  const { ws, closed } = socket;
  if (!(await until(() => socket.messages.length > 0 || socket.code() !== null)) || socket.code() !== null) {
    ws.terminate();
    if (!restarted())
      result.problems.push(`raw ${mode} on ${a.doc}: no sync step 1 (close ${socket.code()})`);
    return result;
  }
  const limits = {
    maxFrameBytes: DEFAULTS.maxFrameBytes,
    frameTimeoutMs: DEFAULTS.frameTimeoutMs,
    minFrameBytesPerSecond: DEFAULTS.minFrameBytesPerSecond,
  };
  // A whole, valid presence message, long enough that a byte every half second misses the
  // frame's time (as the frame fuzzer pads it).
  const pad = 'p'.repeat(Math.ceil(limits.frameTimeoutMs / 250) + 10);
  const benign = awarenessFrame([[1 + rand.int(2 ** 31), 1, JSON.stringify({ pad })]]);
  const under = (ws as unknown as { _socket: RawSocket })._socket;
  const plan = await sendRaw(mode, rand, under, limits, benign, () => socket.code() !== null);
  result.kinds.push(plan.kind);
  if (plan.expected === 'open') {
    ws.close(1000);
    await Promise.race([closed, sleepNull(2000)]);
    ws.terminate();
    return result;
  }
  const code = await Promise.race([closed, sleepNull(plan.deadlineMs + 15_000)]);
  ws.terminate();
  if (code !== plan.expected && !restarted())
    result.problems.push(`${plan.kind} on ${a.doc}: expected ${plan.expected}, got ${code ?? 'no close'}`);
  return result;
}
