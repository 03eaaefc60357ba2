/**
 * The frame fuzz itself (docs/reliability.md, "Hostile input"): hostile sessions against a
 * target server while well-behaved clients edit, and the report. `npm run fuzz:frames`
 * (scripts/fuzz-frames.ts) runs it against a child process; tests/integration runs it small.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEFAULTS } from '../../sync-server/config.ts';
import { connectionBucket, memberBucket, type Bucket, type StepOneLimits } from './budget.ts';
import type { RawLimits } from './raw.ts';
import { Random } from '../random.ts';
import { startHealthProbe } from './health-probe.ts';
import { runSession, type Mode, type SessionResult } from './session.ts';
import { World, type Endpoint } from './world.ts';

/** A server the fuzz can attack, watch, restart and stop: a child process or in-process. */
export interface FuzzTarget extends Endpoint {
  /** Resident memory of the server process, bytes. */
  rss(): number;
  /** Names of error-level log events so far. */
  errors(): string[];
  /** What the server logged as holding its event loop (ws.slowFrame, doc.slowLoad), if it says. */
  slowSteps?(): SlowStep[];
  alive(): boolean;
  /** Stops the server and starts it again on the same data directory and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  limits: FuzzLimits;
}

/** One step that held the server's event loop: when, what (event and frame type), how long, bytes. */
export interface SlowStep {
  at: number;
  what: string;
  ms: number;
  size: number;
}

/** The server's limits the fuzz must know to tell a right close from a wrong one. */
export interface FuzzLimits extends RawLimits, StepOneLimits {
  maxUpdateStructs: number;
  messageBurst: number;
  messagesPerSecond: number;
}

/** The limits of a server started with `options` (the rest its defaults). */
export function fuzzLimits(options: Partial<Record<keyof FuzzLimits, number>>): FuzzLimits {
  const pick = (k: keyof FuzzLimits) => options[k] ?? DEFAULTS[k];
  return {
    maxFrameBytes: pick('maxFrameBytes'),
    maxUpdateStructs: pick('maxUpdateStructs'),
    messageBurst: pick('messageBurst'),
    messagesPerSecond: pick('messagesPerSecond'),
    stateVectorBurst: pick('stateVectorBurst'),
    stateVectorsPerSecond: pick('stateVectorsPerSecond'),
    frameTimeoutMs: pick('frameTimeoutMs'),
    minFrameBytesPerSecond: pick('minFrameBytesPerSecond'),
  };
}

export interface FrameFuzzOptions {
  frames: number;
  seed: number;
  /** Hostile sessions at once. */
  concurrency: number;
  /** A new playground plan after this many frames. */
  rotateEvery: number;
  log?: (line: string) => void;
}

export const DEFAULT_OPTIONS: FrameFuzzOptions = {
  frames: 20_000,
  seed: 1,
  concurrency: 16,
  rotateEvery: 100_000,
};

export interface FrameFuzzReport {
  seed: number;
  framesSent: number;
  /** Frames the server read on open connections (`varde_ws_frames_total`). */
  framesReceived: number;
  /**
   * Frames the server must have read (SessionResult.mustRead): every frame of a session it left
   * open, and every frame before the closing one; `framesReceived` can be no smaller.
   */
  framesMustBeRead: number;
  sessions: number;
  seconds: number;
  plans: number;
  closes: Record<string, number>;
  /** The same by session mode: floods must end in rateLimited, raw frames in 4532 or 4413. */
  closesByMode: Record<string, Record<string, number>>;
  kinds: Record<string, number>;
  deniedAnswers: number;
  /**
   * Sessions of raw frames (partial, oversized header, slow) by how their close came, and the
   * latest a close came after the frame's deadline.
   */
  raw: { sessions: number; latestCloseAfterDeadlineMs: number };
  /**
   * Sessions that saw 1006 (no close frame) while the fuzzer's own event loop was stalled
   * longer than the server's close grace, or raw sessions whose close the fuzzer, blocked for
   * most of the wait, did not see in time (session.ts): the harness's, not the server's; any
   * other 1006 or late close is a problem.
   */
  closedWhileFuzzerStalled: number;
  /** What each of those would have reported (the first 20). */
  fuzzerStalledNotes: string[];
  server: {
    framesReceived: number;
    badFrames: number;
    updatesStored: number;
    updatesDenied: number;
    updatesRefusedByDryRun: number;
    updatesRefusedDocTooLarge: number;
    presenceDeferred: number;
  } | null;
  problems: string[];
  problemCount: number;
  serverErrors: string[];
  crashed: boolean;
  /** The longest the fuzzer's own event loop was blocked (if large, timeouts may be its own). */
  fuzzerMaxLagMs: number;
  /** The slowest /healthz answer (asked every 5 s on a fresh connection). */
  slowestHealthMs: number;
  /** When the slowest /healthz was asked (seconds into the run), and whether in the final check. */
  slowestHealthAt: { second: number; finalCheck: boolean } | null;
  /**
   * The server's own largest event-loop delay (its `varde_event_loop_delay_max_ms`, read after
   * each /healthz), the second it was seen at, and the delay in the window of the slowest
   * /healthz: a slow answer with a short loop delay was the machine, not the server's loop.
   */
  serverLoop: { maxMs: number; atSecond: number | null; duringSlowestHealthMs: number | null };
  /**
   * What held the server's event loop for 100 ms or more (ws.slowFrame, doc.slowLoad), by kind (count, total and worst ms),
   * and the ten longest with the second they ended at.
   */
  slowSteps: {
    byKind: Record<string, { count: number; totalMs: number; worstMs: number }>;
    longest: (SlowStep & { second: number })[];
  };
  rss: { startMb: number; maxMb: number; endMb: number; samples: [number, number][] };
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

/**
 * The server must answer /healthz within this, however hard it is attacked: longer is a hang.
 * On a saturated machine answers take seconds; the report gives the slowest.
 */
const HEALTH_TIMEOUT_MS = 60_000;

export async function runFrameFuzz(target: FuzzTarget, options: FrameFuzzOptions): Promise<FrameFuzzReport> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const rand = new Random(options.seed);
  const report: FrameFuzzReport = {
    seed: options.seed,
    framesSent: 0,
    framesReceived: 0,
    framesMustBeRead: 0,
    sessions: 0,
    seconds: 0,
    plans: 0,
    closes: {},
    closesByMode: {},
    kinds: {},
    deniedAnswers: 0,
    raw: { sessions: 0, latestCloseAfterDeadlineMs: 0 },
    closedWhileFuzzerStalled: 0,
    fuzzerStalledNotes: [],
    server: null,
    problems: [],
    problemCount: 0,
    serverErrors: [],
    crashed: false,
    fuzzerMaxLagMs: 0,
    slowestHealthMs: 0,
    slowestHealthAt: null,
    serverLoop: { maxMs: 0, atSecond: null, duringSlowestHealthMs: null },
    slowSteps: { byKind: {}, longest: [] },
    rss: { startMb: mb(target.rss()), maxMb: 0, endMb: 0, samples: [] },
  };
  const problem = (p: string) => {
    report.problemCount++;
    if (report.problems.length < 50) report.problems.push(p);
    if (report.problemCount <= 20) log(`problem: ${p}`);
  };
  const sample = () => {
    if (!target.alive()) return;
    const m = mb(target.rss());
    report.rss.samples.push([Math.round((Date.now() - started) / 1000), m]);
    report.rss.maxMb = Math.max(report.rss.maxMb, m);
  };
  const sampler = setInterval(sample, 1000);
  let lastLog = Date.now();
  // The hostile sessions are over; the well-behaved clients settle and every doc is read.
  let finalCheck = false;
  // /healthz every 5 s, timed in a worker (health-probe.ts): the fuzzer's own stalls do not
  // count. Recent probes also tell a late close whether the server was stalled meanwhile.
  const health = startHealthProbe(`${target.url}/healthz`, 5000, HEALTH_TIMEOUT_MS, (probe) => {
    if (probe.failed) {
      if (target.alive()) problem(`/healthz did not answer within ${HEALTH_TIMEOUT_MS} ms`);
      return;
    }
    const ms = probe.answered! - probe.asked;
    const second = Math.round((probe.asked - started) / 1000);
    if (ms > report.slowestHealthMs) {
      report.slowestHealthMs = ms;
      report.slowestHealthAt = { second, finalCheck };
      report.serverLoop.duringSlowestHealthMs = probe.loopMaxMs;
    }
    if (probe.loopMaxMs !== null && probe.loopMaxMs > report.serverLoop.maxMs) {
      report.serverLoop.maxMs = probe.loopMaxMs;
      report.serverLoop.atSecond = second;
    }
    if (probe.status !== 200) problem(`/healthz answered ${probe.status}`);
  });
  const serverSlowest = (since: number) => {
    const now = Date.now();
    return health.probes.reduce(
      (worst, p) =>
        p.failed
          ? worst
          : (p.answered ?? now) >= since
            ? Math.max(worst, (p.answered ?? now) - p.asked)
            : worst,
      0,
    );
  };

  // The fuzzer's own event-loop delay: a starved fuzzer reads answers late, and says so here.
  const lag = monitorEventLoopDelay({ resolution: 50 });
  lag.enable();
  const world = await World.create(target);
  const record = (r: SessionResult) => {
    report.sessions++;
    report.framesSent += r.sent;
    report.framesMustBeRead += r.mustRead;
    report.deniedAnswers += r.denied;
    if (r.lateMs !== undefined || r.mode === 'slow') report.raw.sessions++;
    if (r.fuzzerStalled) report.closedWhileFuzzerStalled++;
    if (r.note && report.fuzzerStalledNotes.length < 20) report.fuzzerStalledNotes.push(r.note);
    if (r.lateMs !== undefined)
      report.raw.latestCloseAfterDeadlineMs = Math.max(report.raw.latestCloseAfterDeadlineMs, r.lateMs);
    const code = r.code === null ? 'open' : String(r.code);
    report.closes[code] = (report.closes[code] ?? 0) + 1;
    const byMode = (report.closesByMode[r.mode] ??= {});
    byMode[code] = (byMode[code] ?? 0) + 1;
    for (const k of r.kinds) report.kinds[k] = (report.kinds[k] ?? 0) + 1;
    if (r.problem) problem(`${r.problem} (${r.mode}) [${r.kinds.slice(-4).join(', ')}]`);
  };

  // The step-1 budget of each member, shared by all their sessions (budget.ts).
  const memberTokens = new Map<string, Bucket>();
  let scheduled = 0;
  let nextRotation = options.rotateEvery;
  const active = new Set<Promise<void>>();
  try {
    while (scheduled < options.frames && target.alive()) {
      while (active.size < options.concurrency && scheduled < options.frames) {
        const seat = rand.pick(world.seats)!;
        // Raw sessions last seconds each (a frame timeout is 5 s): a few in a hundred.
        const mode = rand.weighted<Mode>([
          [68, 'mixed'],
          [24, 'fatal'],
          [3, 'flood'],
          [1, 'stall'],
          [1.5, 'partial'],
          [1, 'header'],
          [1.5, 'slow'],
        ]);
        const budget =
          mode === 'mixed' || mode === 'stall' ? 2 + rand.int(Math.min(200, options.frames - scheduled)) : 1;
        scheduled += mode === 'flood' ? target.limits.messageBurst : budget;
        const member = seat.member.memberId;
        if (!memberTokens.has(member)) memberTokens.set(member, memberBucket(target.limits));
        const token = world.tokenFor(seat.member);
        const p = token
          .then((t) =>
            runSession({
              endpoint: target,
              seat,
              token: t,
              rand: new Random(rand.int(2 ** 32)),
              mode,
              budget,
              victims: world.victims.get(`${seat.member.planId}/${seat.doc}`) ?? [],
              maxFrameBytes: target.limits.maxFrameBytes,
              maxUpdateStructs: target.limits.maxUpdateStructs,
              burst: target.limits.messageBurst,
              rate: target.limits.messagesPerSecond,
              raw: target.limits,
              serverSlowest,
              connectionTokens: connectionBucket(target.limits),
              memberTokens: memberTokens.get(member)!,
            }),
          )
          .then(record, (error: unknown) => problem(`session failed: ${String(error)}`))
          .finally(() => active.delete(p));
        active.add(p);
      }
      await Promise.race(active);
      if (report.framesSent >= nextRotation) {
        nextRotation += options.rotateEvery;
        await world.rotatePlayground();
      }
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        const s = (Date.now() - started) / 1000;
        log(
          `${report.framesSent} frames, ${report.sessions} sessions, ${Math.round(report.framesSent / s)}/s, ` +
            `server ${mb(target.rss())} MB, fuzzer ${mb(process.memoryUsage().rss)} MB ` +
            `(max lag ${Math.round(lag.max / 1e6)} ms), problems ${report.problemCount}`,
        );
      }
    }
    await Promise.all(active);
    finalCheck = true;
    if (!target.alive()) {
      report.crashed = true;
      problem('the server exited');
    } else {
      for (const c of world.goodCloses()) problem(`well-behaved ${c.name} was closed with ${c.code}`);
      const { problems, snapshot } = await world.settle();
      problems.forEach(problem);
      const counts = await serverCounts(target);
      report.server = counts;
      report.framesReceived = counts.framesReceived;
      report.serverErrors = target.errors();
      report.serverErrors.forEach((e) => problem(`server logged error ${e}`));
      sample();
      report.rss.endMb = mb(target.rss());
      // A restart is not a stall: the probes end here.
      await health.stop();
      await target.restart();
      world.setEndpoint(target);
      const reloaded = await world.snapshot();
      for (const [doc, before] of snapshot) {
        if (reloaded.get(doc) !== before) problem(`${doc} loads differently after a restart`);
      }
    }
  } finally {
    clearInterval(sampler);
    await health.stop();
  }
  lag.disable();
  for (const step of target.slowSteps?.() ?? []) {
    const kind = (report.slowSteps.byKind[step.what] ??= { count: 0, totalMs: 0, worstMs: 0 });
    kind.count++;
    kind.totalMs += step.ms;
    kind.worstMs = Math.max(kind.worstMs, step.ms);
  }
  report.slowSteps.longest = (target.slowSteps?.() ?? [])
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 10)
    .map((step) => ({ ...step, second: Math.round((step.at - started) / 1000) }));
  report.fuzzerMaxLagMs = Math.round(lag.max / 1e6);
  report.plans = world.planCount;
  report.seconds = Math.round((Date.now() - started) / 1000);
  return report;
}

/** The server's own counts of what it read and refused (/metrics). */
async function serverCounts(target: Endpoint): Promise<NonNullable<FrameFuzzReport['server']>> {
  const text = await (await fetch(`${target.url}/metrics`)).text();
  const read = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  return {
    framesReceived: read(/^varde_ws_frames_total (\d+)/m),
    badFrames: read(/^varde_bad_frames_total (\d+)/m),
    updatesStored: read(/^varde_updates_stored_total (\d+)/m),
    updatesDenied: read(/^varde_updates_denied_total (\d+)/m),
    updatesRefusedByDryRun: read(/^varde_updates_refused_total\{reason="refused"\} (\d+)/m),
    updatesRefusedDocTooLarge: read(/^varde_updates_refused_total\{reason="docTooLarge"\} (\d+)/m),
    presenceDeferred: read(/^varde_presence_deferred_total (\d+)/m),
  };
}
