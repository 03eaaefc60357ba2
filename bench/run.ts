/**
 * `npm run bench [-- --quick] [--only 1,3] [--no-build] [--no-docs] [--out file] [--render file]`
 *
 * Runs issue 5's scenarios against Varde, the reference y-websocket server and Hocuspocus,
 * each server in its own child process on 127.0.0.1, one after the other; writes the JSON
 * result (full runs: bench/results/<date>.json) and the table in docs/benchmarks.md (full
 * runs), and prints a short table. Exits 1 only if the harness itself failed; it never judges
 * the numbers (the table does).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import * as Y from 'yjs';
import { buildExtension, client } from './scenarios/client.ts';
import { joinStorm } from './scenarios/join-storm.ts';
import { memory } from './scenarios/memory.ts';
import { propagation } from './scenarios/propagation.ts';
import { reconnect } from './scenarios/reconnect.ts';
import { STORAGE_VARDE, storage } from './scenarios/storage.ts';
import { THROUGHPUT_VARDE, throughput } from './scenarios/throughput.ts';
import { twoYearPlan, typedPlanUpdate } from './lib/docs.ts';
import { cpuMeter, loadAverage, machine, versions } from './lib/machine.ts';
import { MEMORY_DOC, consoleTable, markdown, verdicts } from './lib/report.ts';
import { parseArgs } from 'node:util';
import type { PerServer, RunResult, ScenarioName, Scenarios } from './lib/result.ts';
import { Target, type ServerKind } from './lib/target.ts';
import { FULL, QUICK } from './sizes.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const argv = process.argv.slice(2);
const { values: args } = parseArgs({
  args: argv,
  strict: true,
  options: {
    quick: { type: 'boolean' },
    only: { type: 'string' },
    render: { type: 'string' },
    'no-build': { type: 'boolean' },
    'no-docs': { type: 'boolean' },
    out: { type: 'string' },
  },
});
const quick = args.quick ?? false;
const only = args.only?.split(',').map(Number);
const sizes = quick ? QUICK : FULL;
const KINDS: ServerKind[] = ['varde', 'yws', 'hocus'];
const started = performance.now();

// y-websocket adds a process 'exit' listener per provider; hundreds are expected here.
process.setMaxListeners(0);
// Bounded: a hung scenario must not hold CI (or the machine) forever.
const watchdog = setTimeout(
  () => {
    process.stderr.write('bench: over its time limit, stopping\n');
    process.exit(2);
  },
  (quick ? 5 : 25) * 60_000,
);
watchdog.unref();

const log = (line: string) =>
  process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const errors: string[] = [];
const scenarios: Scenarios = {};
const othersCores: RunResult['othersCores'] = {};
const settings = [
  'Varde runs with its defaults except: HTTP rate limits lifted (the bench registers hundreds of plans from one address); in 5 and 6 no frame-rate limits per connection and per member (they would cap a writer at 100 frames/s and a member at 400), and in 5 `roomIdleMs` 2000 so the idle doc is compacted and unloaded within the run.',
  'The reference server keeps documents in memory only; Hocuspocus stores the whole document (debounced 2 s, at most 10 s) after broadcasting. Only Varde makes each update durable before it is broadcast.',
];

const docs = {
  big: undefined as Uint8Array | undefined,
  text: undefined as Uint8Array | undefined,
  goals: undefined as Uint8Array | undefined,
};
const bigDoc = () => (docs.big ??= typedPlanUpdate(sizes.joinStorm.docBytes, 1));
const textDoc = () => (docs.text ??= typedPlanUpdate(sizes.memory.textBytes, 2));
const goalsDoc = () =>
  (docs.goals ??= Y.encodeStateAsUpdate(twoYearPlan(3, sizes.memory.goalEdits).docs.goals));

/** Runs one scenario against each server, each in a fresh process. */
async function perServer<T>(
  n: number,
  name: ScenarioName,
  kinds: ServerKind[],
  run: (target: Target) => Promise<T>,
  varde: Record<string, unknown> = {},
): Promise<PerServer<T> | undefined> {
  if (only && !only.includes(n)) return undefined;
  const out: PerServer<T> = {};
  const meter = cpuMeter();
  for (const kind of kinds) {
    log(`${n} ${name}: ${kind}`);
    let target: Target | null = null;
    try {
      target = await Target.start(kind, kind === 'varde' ? varde : {});
      out[kind] = await Promise.race([run(target), target.crashed]);
    } catch (error) {
      errors.push(`${name} on ${kind}: ${(error as Error).stack ?? String(error)}`);
      log(`  failed: ${(error as Error).message}`);
    } finally {
      await target?.stop().catch(() => {});
    }
  }
  othersCores[name] = meter().othersCores;
  return out;
}

async function main(): Promise<void> {
  const render = args.render;
  if (render) {
    // Re-renders docs/benchmarks.md from a result file (after changing the report's format).
    const saved = JSON.parse(readFileSync(render, 'utf8')) as RunResult;
    saved.verdicts = verdicts(saved.scenarios);
    await writeDoc(saved);
    process.stdout.write(`${consoleTable(saved)}\n`);
    process.exit(0);
  }
  const load = { start: loadAverage(), end: [] as number[] };
  log(
    `${quick ? 'quick' : 'full'} run on ${machine().cpu}, ${machine().cores} cores; load ${load.start.join(' ')}`,
  );
  scenarios.propagation = await perServer(1, 'propagation', KINDS, (t) => propagation(t, sizes.propagation));
  const light = sizes.propagationLight;
  if (light)
    scenarios.propagationLight = await perServer(1, 'propagationLight', KINDS, (t) => propagation(t, light));
  scenarios.joinStorm = await perServer(2, 'joinStorm', KINDS, (t) =>
    joinStorm(t, sizes.joinStorm, bigDoc()),
  );
  scenarios.memory = await perServer(3, 'memory', KINDS, (t) =>
    memory(t, sizes.memory, [
      { name: MEMORY_DOC, update: goalsDoc() },
      { name: 'service plan, typed', update: textDoc() },
    ]),
  );
  scenarios.reconnect = await perServer(4, 'reconnect', KINDS, (t) =>
    reconnect(t, sizes.reconnect, textDoc()),
  );
  scenarios.storage = await perServer(
    5,
    'storage',
    ['varde', 'hocus'],
    (t) => storage(t, sizes.storage),
    STORAGE_VARDE,
  );
  scenarios.throughput = await perServer(
    6,
    'throughput',
    KINDS,
    (t) => throughput(t, sizes.throughput),
    THROUGHPUT_VARDE,
  );
  if (!only || only.includes(7)) {
    const meter = cpuMeter();
    try {
      if (!args['no-build']) {
        log('7 client: building the extension');
        buildExtension();
      }
      log('7 client: Chromium');
      scenarios.client = await client(sizes.client);
    } catch (error) {
      errors.push(`client: ${(error as Error).stack ?? String(error)}`);
      log(`  failed: ${(error as Error).message}`);
    }
    othersCores.client = meter().othersCores;
  }
  load.end = loadAverage();

  const date = new Date().toISOString();
  const result: RunResult = {
    date,
    mode: quick ? 'quick' : 'full',
    command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    seconds: Math.round((performance.now() - started) / 1000),
    machine: machine(),
    versions: versions(),
    load,
    othersCores,
    sizes,
    settings,
    scenarios,
    verdicts: verdicts(scenarios),
    errors,
  };
  const out =
    args.out ??
    (quick
      ? join(tmpdir(), 'varde-bench-quick.json')
      : join(ROOT, 'bench/results', `${date.slice(0, 10)}.json`));
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, await pretty(JSON.stringify(result), out));
  if (!quick && !args['no-docs']) await writeDoc(result);
  process.stdout.write(
    `\n${consoleTable(result)}\n\nResult: ${out}${errors.length ? `\nErrors:\n${errors.join('\n')}` : ''}\n`,
  );
  process.exit(errors.length ? 1 : 0);
}

/** Written files pass `npm run format:check` as they are. */
async function pretty(text: string, filepath: string): Promise<string> {
  const options = (await prettier.resolveConfig(filepath)) ?? {};
  return prettier.format(text, { ...options, filepath });
}

const BEGIN = '<!-- bench:begin (generated by npm run bench; edit the text around it) -->';
const END = '<!-- bench:end -->';

/** Replaces the generated block of docs/benchmarks.md, keeping the prose around it. */
async function writeDoc(result: RunResult): Promise<void> {
  const file = join(ROOT, 'docs/benchmarks.md');
  const text = readFileSync(file, 'utf8');
  const from = text.indexOf(BEGIN);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error('docs/benchmarks.md: generated block markers not found');
  const next = `${text.slice(0, from + BEGIN.length)}\n\n${markdown(result)}\n\n${text.slice(to)}`;
  writeFileSync(file, await pretty(next, file));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
