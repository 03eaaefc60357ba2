/**
 * Frame fuzzing of the WebSocket endpoint (docs/reliability.md, "Hostile input"): hostile
 * sessions send random, truncated, oversized and type-confused frames, invalid and enormous
 * Yjs updates, huge varints, presence for other clients' ids and floods, through real sockets,
 * to a real server, while well-behaved y-websocket clients keep editing.
 *
 *   npm run fuzz:frames                                   # 20,000 frames, seed 1
 *   npm run fuzz:frames -- --frames 1000000 --seed 7      # the big run
 *   npm run fuzz:frames -- --frames 50000 --concurrency 32 --rotate-every 50000
 *
 * Passes (exit 0) when: the server never exits and always answers /healthz; every close is a
 * documented code and the right one for the frame that caused it; no session hangs; the
 * well-behaved clients are never disconnected, keep every edit and agree with a fresh reader;
 * every doc loads the same before and after a restart; the server logs no error. Server memory
 * is sampled every second; the summary (and the curve) is written to bench/results/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULTS } from '../sync-server/config.ts';
import { Rand } from './fuzz-frames/frames.ts';
import { runSession, type Mode, type SessionResult } from './fuzz-frames/session.ts';
import { World, type Endpoint } from './fuzz-frames/world.ts';

const ROOT = new URL('..', import.meta.url).pathname;

/** A server the fuzz can attack, watch, restart and stop: a child process or in-process. */
export interface FuzzTarget extends Endpoint {
  /** Resident memory of the server process, bytes. */
  rss(): number;
  /** Names of error-level log events so far. */
  errors(): string[];
  alive(): boolean;
  /** Stops the server and starts it again on the same data directory and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  limits: { maxFrameBytes: number; maxUpdateStructs: number; messageBurst: number };
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
  sessions: number;
  seconds: number;
  plans: number;
  closes: Record<string, number>;
  kinds: Record<string, number>;
  deniedAnswers: number;
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
  rss: { startMb: number; maxMb: number; endMb: number; samples: [number, number][] };
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

/** The server must answer /healthz within this, however hard it is attacked. */
const HEALTH_TIMEOUT_MS = 10_000;

export async function runFrameFuzz(target: FuzzTarget, options: FrameFuzzOptions): Promise<FrameFuzzReport> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const rand = new Rand(options.seed);
  const report: FrameFuzzReport = {
    seed: options.seed,
    framesSent: 0,
    framesReceived: 0,
    sessions: 0,
    seconds: 0,
    plans: 0,
    closes: {},
    kinds: {},
    deniedAnswers: 0,
    server: null,
    problems: [],
    problemCount: 0,
    serverErrors: [],
    crashed: false,
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
  const health = setInterval(() => {
    // A fresh connection each time: a pooled keep-alive socket can meet the server's idle
    // timeout halfway, which says nothing about the server.
    const req = httpGet(`${target.url}/healthz`, { agent: false, timeout: HEALTH_TIMEOUT_MS }, (res) => {
      res.resume();
      if (res.statusCode !== 200) problem(`/healthz answered ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on(
      'error',
      () => target.alive() && problem(`/healthz did not answer within ${HEALTH_TIMEOUT_MS} ms`),
    );
  }, 5000);

  const world = await World.create(target);
  const record = (r: SessionResult) => {
    report.sessions++;
    report.framesSent += r.sent;
    report.deniedAnswers += r.denied;
    const code = r.code === null ? 'open' : String(r.code);
    report.closes[code] = (report.closes[code] ?? 0) + 1;
    for (const k of r.kinds) report.kinds[k] = (report.kinds[k] ?? 0) + 1;
    if (r.problem) problem(`${r.problem} (${r.mode}) [${r.kinds.slice(-4).join(', ')}]`);
  };

  let scheduled = 0;
  let nextRotation = options.rotateEvery;
  const active = new Set<Promise<void>>();
  try {
    while (scheduled < options.frames && target.alive()) {
      while (active.size < options.concurrency && scheduled < options.frames) {
        const seat = rand.pick(world.seats);
        const mode = rand.weighted<Mode>([
          [82, 'mixed'],
          [14, 'fatal'],
          [3, 'flood'],
          [1, 'stall'],
        ]);
        const budget =
          mode === 'mixed' || mode === 'stall' ? 2 + rand.int(Math.min(400, options.frames - scheduled)) : 1;
        scheduled += mode === 'flood' ? target.limits.messageBurst : budget;
        const token = world.tokenFor(seat.member);
        const p = token
          .then((t) =>
            runSession({
              endpoint: target,
              seat,
              token: t,
              rand: new Rand(rand.int(2 ** 32)),
              mode,
              budget,
              victims: world.victims.get(`${seat.member.planId}/${seat.doc}`) ?? [],
              maxFrameBytes: target.limits.maxFrameBytes,
              maxUpdateStructs: target.limits.maxUpdateStructs,
              burst: target.limits.messageBurst,
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
            `server ${mb(target.rss())} MB, problems ${report.problemCount}`,
        );
      }
    }
    await Promise.all(active);
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
      clearInterval(health);
      await target.restart();
      world.setEndpoint(target);
      const reloaded = await world.snapshot();
      for (const [doc, before] of snapshot) {
        if (reloaded.get(doc) !== before) problem(`${doc} loads differently after a restart`);
      }
    }
  } finally {
    clearInterval(sampler);
    clearInterval(health);
  }
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

/** The server as a child process, as in production: a crash is an exit, memory its own. */
export async function childTarget(
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<FuzzTarget & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'varde-fuzz-'));
  let child: ChildProcess;
  let exited = false;
  let port = 0;
  const errors: string[] = [];
  const start = async () => {
    exited = false;
    child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'sync-server/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        VARDE_DATA_DIR: dataDir,
        VARDE_LOG_LEVEL: 'error',
        VARDE_REGISTER_PER_MINUTE: '100000',
        VARDE_REDEEM_PER_MINUTE: '100000',
        VARDE_API_PER_MINUTE: '1000000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.on('exit', () => (exited = true));
    const onData = (d: Buffer) => {
      out += d.toString();
      for (const m of out.matchAll(/"level":"error","event":"([^"]+)"/g)) errors.push(m[1]!);
      out = out.slice(out.lastIndexOf('\n') + 1);
    };
    let url = '';
    child.stdout!.on('data', (d: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(d.toString());
      if (m) url = m[1]!;
      onData(d);
    });
    child.stderr!.on('data', (d: Buffer) => errors.push(`stderr: ${d.toString().slice(0, 200)}`));
    const deadline = Date.now() + 30_000;
    while (!url && !exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!url) throw new Error('the server did not start');
    port = Number(new URL(url).port);
    target.url = url;
    target.wsUrl = url.replace(/^http/, 'ws') + '/sync';
  };
  const stop = async () => {
    if (exited) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  };
  const target: FuzzTarget & { dataDir: string } = {
    url: '',
    wsUrl: '',
    dataDir,
    rss: () => {
      try {
        const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        return Number(kb ?? 0) * 1024;
      } catch {
        return 0;
      }
    },
    errors: () => [...errors],
    alive: () => !exited,
    restart: async () => {
      await stop();
      await start();
    },
    stop,
    limits: {
      maxFrameBytes: Number(env.VARDE_MAX_FRAME_BYTES ?? DEFAULTS.maxFrameBytes),
      maxUpdateStructs: Number(env.VARDE_MAX_UPDATE_STRUCTS ?? DEFAULTS.maxUpdateStructs),
      messageBurst: Number(env.VARDE_MESSAGE_BURST ?? DEFAULTS.messageBurst),
    },
  };
  await start();
  return target;
}

function parseArgs(argv: string[]): FrameFuzzOptions & { out: string } {
  const o = { ...DEFAULT_OPTIONS, out: join(ROOT, 'bench/results') };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i]!, argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${flag}`);
    if (flag === '--frames') o.frames = Number(value);
    else if (flag === '--seed') o.seed = Number(value);
    else if (flag === '--concurrency') o.concurrency = Number(value);
    else if (flag === '--rotate-every') o.rotateEvery = Number(value);
    else if (flag === '--out') o.out = value;
    else throw new Error(`unknown argument: ${flag}`);
  }
  return o;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const target = await childTarget();
  console.log(`fuzz:frames seed ${options.seed}, ${options.frames} frames, server ${target.url}`);
  let report: FrameFuzzReport;
  try {
    report = await runFrameFuzz(target, { ...options, log: (l) => console.log(l) });
  } finally {
    await target.stop();
    rmSync(target.dataDir, { recursive: true, force: true });
  }
  mkdirSync(options.out, { recursive: true });
  const file = join(options.out, `fuzz-frames-seed${options.seed}-${options.frames}.json`);
  writeFileSync(file, JSON.stringify(report, null, 1) + '\n');
  const { samples: _samples, ...rss } = report.rss;
  console.log(JSON.stringify({ ...report, rss }, null, 1));
  console.log(
    `\n${report.framesSent} frames sent (${report.framesReceived} read by the server) in ${report.sessions} sessions, ` +
      `${report.seconds} s; server RSS ${rss.startMb} → max ${rss.maxMb} → ${rss.endMb} MB; ` +
      `${report.problemCount} problems${report.crashed ? ', SERVER CRASHED' : ''}. Written to ${file}`,
  );
  process.exit(report.problemCount === 0 ? 0 : 1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(2);
  });
}
