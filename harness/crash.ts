/**
 * The crash-durability run (docs/reliability.md, "Crash durability"): the server under write
 * load, killed with SIGKILL again and again, and every update a client received from it
 * checked after each restart. `npm run crash` (scripts/crash-durability.ts) runs it; the CI
 * test runs it small.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { syncProtocols } from '../core/access/index.ts';
import { newPlanId } from '../core/model/ids.ts';
import { DOC_NAMES, type DocName } from '../core/model/schema.ts';
import { verifyDataDir } from '../sync-server/storage/audit-verify.ts';
import { mulberry32 } from './random.ts';
import { spawnServer, type ChildServer } from './server.ts';

const ROOT = new URL('..', import.meta.url).pathname;

export interface CrashOptions {
  runs: number;
  seed: number;
  /** Writers per doc (each plan has four docs); one observer per doc besides. */
  writers: number;
  /** The kill comes this long after the writers start: uniform in [min, max]. */
  minKillMs: number;
  maxKillMs: number;
  /** A new plan every this many runs keeps docs at a realistic size. */
  runsPerPlan: number;
  /** Stop starting new runs after this many minutes (0: no limit); the summary says how many ran. */
  maxMinutes: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export const DEFAULT_OPTIONS: CrashOptions = {
  runs: 20,
  seed: 1,
  writers: 2,
  minKillMs: 10,
  // Past the 1 s compaction delay, so some kills land in a compaction.
  maxKillMs: 1500,
  runsPerPlan: 25,
  maxMinutes: 0,
};

export interface CrashResult {
  runs: number;
  passed: number;
  failed: number;
  /** The first few missing updates, as `run N: plan/doc key`. */
  failures: string[];
  written: number;
  /** Updates the observers received from the server before a kill: these must survive. */
  acknowledged: number;
  /** Acknowledged updates found after the restart that followed. */
  verified: number;
  lost: number;
  /** Written, never acknowledged before the kill, yet found after the restart. */
  unacknowledgedButStored: number;
  compactions: number;
  /** Server log lines reporting damaged or unstorable updates (must be 0). */
  damaged: number;
  /** Connections the server closed on purpose, by code: a rate limit here would skew the load. */
  closes: Record<number, number>;
  restartMs: number[];
  killMs: number[];
  finalKeys: number;
  finalMissing: number;
  auditRows: number;
  auditBreaks: number;
  wallMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, what: string, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** The server as one bundled file: starts in well under half the time tsx needs. */
async function bundleServer(): Promise<string> {
  const dir = join(ROOT, 'node_modules', '.cache', 'varde-crash');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `server-${process.pid}-${Date.now()}.mjs`);
  await esbuild.build({
    entryPoints: [join(ROOT, 'sync-server', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

function startServer(bundle: string, dataDir: string, onLine: (line: string) => void): Promise<ChildServer> {
  return spawnServer(
    {
      VARDE_DATA_DIR: dataDir,
      VARDE_LOG_LEVEL: 'debug',
      // Compactions often, so that kills also land in them.
      VARDE_COMPACT_THRESHOLD: '40',
      // The load is one member typing far faster than a person: no rate limit may cut in.
      VARDE_MESSAGES_PER_SECOND: '5000',
      VARDE_MESSAGE_BURST: '5000',
      VARDE_MEMBER_MESSAGES_PER_SECOND: '50000',
      VARDE_BYTES_PER_SECOND: '100000000',
      VARDE_MEMBER_BYTES_PER_SECOND: '100000000',
      VARDE_API_PER_MINUTE: '100000',
      VARDE_REGISTER_PER_MINUTE: '100000',
    },
    { bundle, onLine },
  );
}

async function api(
  base: string,
  path: string,
  body?: unknown,
  secret?: string,
): Promise<Record<string, string>> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: {
      ...(secret ? { Authorization: `Bearer ${secret}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as Record<string, string>;
}

interface Peer {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

/** Close codes the server sent on purpose (not the 1006 of a killed process). */
const closesByServer = new Map<number, number>();

function connect(url: string, planId: string, doc: DocName, token: string): Peer {
  const ydoc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync/${planId}`, doc, ydoc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    protocols: syncProtocols(token),
    disableBc: true,
  });
  provider.on('connection-close', (event) => {
    if (event && event.code !== 1006)
      closesByServer.set(event.code, (closesByServer.get(event.code) ?? 0) + 1);
  });
  return { doc: ydoc, provider };
}

function destroy(peers: Peer[]): void {
  for (const p of peers) {
    p.provider.destroy();
    p.doc.destroy();
  }
}

interface PlanState {
  planId: string;
  secret: string;
  /** Per doc: every acknowledged key and the length of its value (`<key>:xxx…`, so that suffices). */
  acked: Map<DocName, Map<string, number>>;
  /** Per doc: written but not acknowledged when the server died. */
  pending: Map<DocName, Set<string>>;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};

/** Runs the kill loop; never throws for lost data (that is in the result), only for broken set-up. */
export async function runCrashDurability(options: Partial<CrashOptions> = {}): Promise<CrashResult> {
  const o = { ...DEFAULT_OPTIONS, ...options };
  const log = o.log ?? (() => {});
  // y-websocket adds a process 'exit' listener per provider; a run holds 4 × (writers + 1).
  process.setMaxListeners(Math.max(process.getMaxListeners(), 4 * (o.writers + 1) + 20));
  const random = mulberry32(o.seed);
  const started = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'varde-crash-'));
  const bundle = await bundleServer();
  const r: CrashResult = {
    runs: 0,
    passed: 0,
    failed: 0,
    failures: [],
    written: 0,
    acknowledged: 0,
    verified: 0,
    lost: 0,
    unacknowledgedButStored: 0,
    compactions: 0,
    damaged: 0,
    closes: {},
    restartMs: [],
    killMs: [],
    finalKeys: 0,
    finalMissing: 0,
    auditRows: 0,
    auditBreaks: 0,
    wallMs: 0,
  };
  const onLine = (line: string) => {
    if (line.includes('"event":"doc.compacted"')) r.compactions++;
    if (/"event":"doc\.(damagedUpdates|storeFailed|applyFailed|compactFailed)"/.test(line)) {
      r.damaged++;
      log(`server: ${line}`);
    }
  };
  const plans: PlanState[] = [];

  /** Opens an observer per doc of `plan`, checks it holds every acknowledged key; counts misses. */
  async function observe(server: ChildServer, plan: PlanState, token: string, run: number) {
    const observers = DOC_NAMES.map((d) => connect(server.url, plan.planId, d, token));
    await waitFor(() => observers.every((p) => p.provider.synced), 'observers synced');
    let missing = 0;
    DOC_NAMES.forEach((d, i) => {
      const m = observers[i]!.doc.getMap<string>('m');
      for (const [k, length] of plan.acked.get(d)!) {
        const v = m.get(k);
        if (v !== undefined && v.length === length && v.startsWith(`${k}:`)) continue;
        missing++;
        if (r.failures.length < 20) r.failures.push(`run ${run}: ${plan.planId}/${d} ${k}`);
      }
      for (const k of plan.pending.get(d)!) if (m.has(k)) r.unacknowledgedButStored++;
      plan.pending.get(d)!.clear();
    });
    return { observers, missing };
  }

  try {
    let server: ChildServer | null = null;
    let token = '';
    for (let run = 0; run < o.runs; run++) {
      if (o.maxMinutes > 0 && performance.now() - started > o.maxMinutes * 60_000) {
        log(`time budget of ${o.maxMinutes} min reached after ${run} runs`);
        break;
      }
      const t0 = performance.now();
      server = await startServer(bundle, dataDir, onLine);
      r.restartMs.push(performance.now() - t0);
      if (run % o.runsPerPlan === 0) {
        const planId = newPlanId();
        const reg = await api(server.url, '/api/plans', { planId, name: 'Crash test' });
        plans.push({
          planId,
          secret: reg.memberSecret!,
          acked: new Map(DOC_NAMES.map((d) => [d, new Map()])),
          pending: new Map(DOC_NAMES.map((d) => [d, new Set()])),
        });
        token = '';
      }
      const plan = plans[plans.length - 1]!;
      // Tokens are signed with a key in the data directory, so they outlive restarts.
      if (!token || run % 20 === 0)
        token = (await api(server.url, `/api/plans/${plan.planId}/tokens`, undefined, plan.secret)).token!;

      const { observers, missing } = await observe(server, plan, token, run);
      const expected = [...plan.acked.values()].reduce((n, m) => n + m.size, 0);
      r.verified += expected - missing;
      r.lost += missing;
      if (run > 0) {
        if (missing === 0) r.passed++;
        else r.failed++;
      }

      // Everything the observers receive from now on came from the server, so it was committed.
      let dead = false;
      DOC_NAMES.forEach((d, i) => {
        const m = observers[i]!.doc.getMap<string>('m');
        m.observe((event) => {
          for (const k of event.keysChanged) {
            const v = m.get(k);
            if (v === undefined || plan.acked.get(d)!.has(k)) continue;
            plan.acked.get(d)!.set(k, v.length);
            plan.pending.get(d)!.delete(k);
            r.acknowledged++;
          }
        });
      });
      const writers = DOC_NAMES.flatMap((d) =>
        Array.from({ length: o.writers }, () => ({ d, ...connect(server!.url, plan.planId, d, token) })),
      );
      await waitFor(() => writers.every((w) => w.provider.synced), 'writers synced');
      const timers: ReturnType<typeof setTimeout>[] = [];
      writers.forEach((w, wi) => {
        let seq = 0;
        const tick = () => {
          if (dead) return;
          const key = `${run}.${wi}.${seq++}`;
          // Mostly keystroke-sized values, now and then a pasted paragraph.
          const size = random() < 0.05 ? 2000 + Math.floor(random() * 6000) : 8 + Math.floor(random() * 120);
          const value = `${key}:${'x'.repeat(size)}`;
          plan.pending.get(w.d)!.add(key);
          w.doc.getMap<string>('m').set(key, value);
          r.written++;
          timers[wi] = setTimeout(tick, 1 + Math.floor(random() * 8));
        };
        tick();
      });
      const killAfter = o.minKillMs + random() * (o.maxKillMs - o.minKillMs);
      r.killMs.push(killAfter);
      await sleep(killAfter);
      server.child.kill('SIGKILL');
      await server.exited;
      dead = true;
      timers.forEach(clearTimeout);
      // Frames the server sent before dying may still sit in the clients' sockets: they were
      // committed, so let them arrive and count.
      await sleep(30);
      destroy([...writers, ...observers]);
      r.runs++;
      if ((run + 1) % 25 === 0 || run + 1 === o.runs) {
        log(
          `run ${run + 1}/${o.runs}: ${r.passed} passed, ${r.failed} failed, ${r.acknowledged} acknowledged, ` +
            `${r.lost} lost, ${r.compactions} compactions, ${Math.round((performance.now() - started) / 1000)} s`,
        );
      }
    }

    // The last kill is checked by a final start, over every plan and doc.
    server = await startServer(bundle, dataDir, onLine);
    let lastRunMissing = 0;
    for (const plan of plans) {
      const tok = (await api(server.url, `/api/plans/${plan.planId}/tokens`, undefined, plan.secret)).token!;
      const { observers, missing } = await observe(server, plan, tok, r.runs);
      r.finalKeys += [...plan.acked.values()].reduce((n, m) => n + m.size, 0);
      r.finalMissing += missing;
      if (plan === plans[plans.length - 1]) lastRunMissing = missing;
      destroy(observers);
    }
    if (r.runs > 0) {
      if (lastRunMissing === 0) r.passed++;
      else r.failed++;
    }
    server.child.kill('SIGTERM');
    await server.exited;
    const audit = verifyDataDir(dataDir);
    r.auditRows = audit.rows;
    r.auditBreaks = audit.breaks.length;
  } finally {
    rmSync(bundle, { force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
  r.wallMs = performance.now() - started;
  r.closes = Object.fromEntries(closesByServer);
  closesByServer.clear();
  return r;
}

export function summary(o: CrashOptions, r: CrashResult): string {
  const ms = (x: number) => `${Math.round(x)} ms`;
  return [
    `crash durability: ${r.runs} SIGKILLs (seed ${o.seed}), ${o.writers} writers + 1 observer per doc on 4 docs, ` +
      `kills ${o.minKillMs}–${o.maxKillMs} ms into the write load, a new plan every ${o.runsPerPlan} runs`,
    `${r.passed} passed, ${r.failed} failed`,
    `updates written ${r.written}; acknowledged (received by an observer before the kill) ${r.acknowledged}; ` +
      `lost ${r.lost + r.finalMissing}`,
    `checked after each restart ${r.verified + r.lost} (cumulative per plan), ${r.lost} missing; ` +
      `final check over every plan ${r.finalKeys - r.finalMissing} of ${r.finalKeys} present`,
    `written but not acknowledged at a kill, stored anyway: ${r.unacknowledgedButStored}`,
    `compactions completed ${r.compactions}; damaged/failed-store log lines ${r.damaged}; ` +
      `connections closed by the server on purpose ${JSON.stringify(r.closes)}`,
    `restart to listening: p50 ${ms(percentile(r.restartMs, 50))}, p95 ${ms(percentile(r.restartMs, 95))}, max ${ms(Math.max(0, ...r.restartMs))}`,
    `audit log after all kills: ${r.auditRows} rows, ${r.auditBreaks} broken chains`,
    `wall time ${Math.round(r.wallMs / 1000)} s`,
  ].join('\n');
}
