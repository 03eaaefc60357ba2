/**
 * Memory soak (docs/reliability.md, "Memory soak"): the sync server as a child process holds
 * `--conns` y-websocket connections on `--plans` plans under light editing for `--minutes`,
 * while its resident memory and loaded-doc count are sampled. Then every client leaves, and the
 * soak waits for idle docs to be unloaded and memory to settle.
 *
 *   npm run soak                                            # 10 minutes, 2,000 connections, 200 plans
 *   npm run soak -- --minutes 1 --plans 20 --conns 200      # a quick one
 *
 * Passes (exit 0) when, after the clients leave, every doc is unloaded (`varde_docs_loaded` 0)
 * and RSS comes back within 10% of its value before the clients came, and no client was
 * disconnected meanwhile. Writes the curve (CSV) and a summary (JSON) to bench/results/.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { canWrite } from '../core/access/index.ts';
import { DOC_NAMES } from '../core/model/schema.ts';
import {
  connect,
  invitedMember,
  registerPlan,
  sleep,
  token,
  type Client,
  type Member,
} from '../harness/server.ts';
import { childTarget } from '../harness/frames/child.ts';
import { Random } from '../harness/random.ts';

const ROOT = new URL('..', import.meta.url).pathname;

export interface SoakOptions {
  minutes: number;
  plans: number;
  conns: number;
  /** Seconds between samples. */
  sampleSeconds: number;
  /** Mean seconds between two edits of one connection ("light editing"). */
  editSeconds: number;
  /** How long the server keeps a doc without connections (its `--room-idle-ms`). */
  roomIdleMs: number;
  /** After the clients leave, how long to wait for unloading and memory at most. */
  settleSeconds: number;
  seed: number;
  out: string;
}

export const DEFAULT_OPTIONS: SoakOptions = {
  minutes: 10,
  plans: 200,
  conns: 2000,
  sampleSeconds: 5,
  editSeconds: 30,
  roomIdleMs: 30_000,
  settleSeconds: 240,
  seed: 1,
  out: join(ROOT, 'bench/results'),
};

interface Sample {
  t: number;
  phase: 'before' | 'connect' | 'hold' | 'leave';
  rssMb: number;
  heapMb: number;
  heapTotalMb: number;
  externalMb: number;
  docsLoaded: number;
  connections: number;
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

export async function runSoak(o: SoakOptions, log: (line: string) => void = console.log) {
  const target = await childTarget({
    VARDE_TOKEN_TTL_SECONDS: '7200',
    VARDE_ROOM_IDLE_MS: String(o.roomIdleMs),
  });
  const rand = new Random(o.seed);
  const started = Date.now();
  const samples: Sample[] = [];
  let phase: Sample['phase'] = 'before';
  const sample = async () => {
    const text = await (await fetch(`${target.url}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    const s: Sample = {
      t: Math.round((Date.now() - started) / 1000),
      phase,
      rssMb: mb(target.rss()),
      heapMb: mb(read('varde_process_heap_used_bytes')),
      heapTotalMb: mb(read('varde_process_heap_total_bytes')),
      externalMb: mb(read('varde_process_external_bytes')),
      docsLoaded: read('varde_docs_loaded'),
      connections: read('varde_ws_connections'),
    };
    samples.push(s);
    return s;
  };
  const sampler = setInterval(() => void sample().catch(() => {}), o.sampleSeconds * 1000);
  const clients: Client[] = [];
  const load = [loadavg()[0]!];
  try {
    // Plans, members and tokens first: the "before" is a server that knows them, idle.
    const seats: { member: Member; token: string }[] = [];
    for (let p = 0; p < o.plans; p++) {
      const owner = await registerPlan(target.url, `Soak ${p}`);
      const relative = await invitedMember(target.url, owner, 'relative', `Soak relative ${p}`);
      for (const m of [owner, relative]) seats.push({ member: m, token: (await token(target.url, m)).token });
    }
    await sleep(10_000);
    const before = (await sample()).rssMb;
    log(`before: ${before} MB with ${o.plans} plans registered`);

    phase = 'connect';
    const perPlan = Math.max(1, Math.round(o.conns / o.plans));
    const editors: { c: Client; writes: boolean; next: number; n: number }[] = [];
    for (let i = 0; i < o.conns; i++) {
      const plan = Math.floor(i / perPlan) % o.plans;
      const seat = seats[plan * 2 + (i % 2)]!;
      const doc = DOC_NAMES[Math.floor(i / 2) % DOC_NAMES.length]!;
      const client = await connect(target, seat.member, doc, { tokenValue: seat.token });
      clients.push(client);
      editors.push({ c: client, writes: canWrite(seat.member.levels, doc), next: 0, n: 0 });
      if (i % 100 === 99) {
        await sleep(200);
        log(`${i + 1} connections`);
      }
    }
    phase = 'hold';
    log(`holding ${clients.length} connections for ${o.minutes} minutes`);
    for (const e of editors) e.next = Date.now() + rand.next() * o.editSeconds * 2000;
    const holdUntil = Date.now() + o.minutes * 60_000;
    while (Date.now() < holdUntil) {
      const now = Date.now();
      for (const e of editors) {
        if (now < e.next) continue;
        e.next = now + rand.next() * o.editSeconds * 2000;
        e.c.provider.awareness.setLocalStateField('cursor', { anchor: rand.int(100) });
        if (e.writes) e.c.doc.getMap('soak').set(`k${e.n++ % 20}`, `edit ${e.n} ${'x'.repeat(rand.int(40))}`);
      }
      await sleep(200);
    }
    load.push(loadavg()[0]!);
    const held = samples.filter((s) => s.phase === 'hold');
    const closes = clients.reduce((n, c) => n + c.closes.length, 0);
    const closeCodes: Record<string, number> = {};
    for (const c of clients) for (const x of c.closes) closeCodes[x.code] = (closeCodes[x.code] ?? 0) + 1;
    const unsynced = clients.filter((c) => !c.provider.synced).length;

    phase = 'leave';
    for (const c of clients) c.destroy();
    log('clients left; waiting for docs to unload and memory to settle');
    const deadline = Date.now() + o.settleSeconds * 1000;
    let last = await sample();
    while (Date.now() < deadline && (last.docsLoaded > 0 || last.rssMb > before * 1.1)) {
      await sleep(o.sampleSeconds * 1000);
      last = samples[samples.length - 1]!;
    }
    last = await sample();
    const summary = {
      command: `npm run soak -- --minutes ${o.minutes} --plans ${o.plans} --conns ${o.conns} --settle-seconds ${o.settleSeconds}`,
      date: new Date().toISOString(),
      options: { ...o, out: undefined },
      connections: clients.length,
      docs: o.plans * DOC_NAMES.length,
      beforeMb: before,
      peakMb: Math.max(...samples.map((s) => s.rssMb)),
      holdMeanMb: Math.round(held.reduce((n, s) => n + s.rssMb, 0) / Math.max(1, held.length)),
      peakDocsLoaded: Math.max(...samples.map((s) => s.docsLoaded)),
      afterMb: last.rssMb,
      afterDocsLoaded: last.docsLoaded,
      afterOverBefore: Math.round((last.rssMb / before) * 1000) / 1000,
      secondsToSettle: last.t - (samples.find((s) => s.phase === 'leave')?.t ?? last.t),
      clientCloses: closes,
      clientCloseCodes: closeCodes,
      clientsNotSynced: unsynced,
      serverErrors: target.errors(),
      loadAverage: load.map((l) => Math.round(l * 10) / 10),
      ok: last.docsLoaded === 0 && last.rssMb <= before * 1.1 && closes === 0 && target.errors().length === 0,
    };
    return { summary, samples };
  } finally {
    clearInterval(sampler);
    for (const c of clients) c.provider.destroy();
    await target.stop();
    rmSync(target.dataDir, { recursive: true, force: true });
  }
}

function readOptions(argv: string[]): SoakOptions {
  const names = {
    minutes: 'minutes',
    plans: 'plans',
    conns: 'conns',
    'sample-seconds': 'sampleSeconds',
    'edit-seconds': 'editSeconds',
    'room-idle-ms': 'roomIdleMs',
    'settle-seconds': 'settleSeconds',
    seed: 'seed',
  } as const;
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: Object.fromEntries(
      [...Object.keys(names), 'out'].map((flag) => [flag, { type: 'string' as const }]),
    ),
  });
  const o = { ...DEFAULT_OPTIONS };
  for (const [flag, key] of Object.entries(names)) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (typeof raw !== 'string' || !Number.isFinite(value)) throw new Error(`bad argument: --${flag}`);
    o[key] = value;
  }
  if (typeof values.out === 'string') o.out = values.out;
  return o;
}

async function main(): Promise<void> {
  const o = readOptions(process.argv.slice(2));
  // y-websocket registers an exit listener per provider; thousands are intended here.
  process.setMaxListeners(0);
  const { summary, samples } = await runSoak(o);
  mkdirSync(o.out, { recursive: true });
  const name = `soak-${o.conns}c-${o.plans}p-${o.minutes}m`;
  const csv = ['t_s,phase,rss_mb,heap_used_mb,heap_total_mb,external_mb,docs_loaded,connections']
    .concat(
      samples.map((s) =>
        [s.t, s.phase, s.rssMb, s.heapMb, s.heapTotalMb, s.externalMb, s.docsLoaded, s.connections].join(','),
      ),
    )
    .join('\n');
  writeFileSync(join(o.out, `${name}.csv`), csv + '\n');
  writeFileSync(join(o.out, `${name}.json`), JSON.stringify(summary, null, 1) + '\n');
  console.log(JSON.stringify(summary, null, 1));
  console.log(`curve: ${join(o.out, `${name}.csv`)}`);
  process.exit(summary.ok ? 0 : 1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(2);
  });
}
