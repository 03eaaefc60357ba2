/**
 * `npm run fuzz -- --runs N [--seed S] [--clients K]`: seeded convergence scenarios against
 * the real sync server (harness/convergence/scenario.ts), as many as asked, over worker
 * processes. Every failing seed is printed with what failed and the script's trace; replay
 * one with `--runs 1 --seed S` and keep it in tests/convergence/server-regressions.test.ts.
 *
 *   --runs N          scenarios to run (seeds S … S+N-1)                      default 100
 *   --seed S          first seed                                              default 1
 *   --clients K       devices per scenario (3–5 drawn from the seed if unset)
 *   --steps N         script steps per scenario (30–79 drawn from the seed if unset)
 *   --workers W       worker processes                                        default 2
 *   --parallel P      scenarios at once in each worker                        default 8
 *   --child-every M   every M-th seed runs the server as a child process and
 *                     restarts it mostly with SIGKILL (0: never)              default 10
 *   --minutes T       start no scenario after T minutes (runs ends short)
 *   --no-hostile      no member turns hostile (by default, now and then one opens one
 *                     more socket and sends hostile frames: harness/convergence/attacker.ts)
 *   --out FILE        write the summary and every seed's outcome as JSON
 *
 * Exit 0 only if every scenario converged with nothing lost. FUZZ_DEBUG=1 adds every token
 * request, connection status and close to the traces.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { wholeNumber } from '../harness/args.ts';
import { describeFailure, runScenario, type ScenarioResult } from '../harness/convergence/scenario.ts';

interface Options {
  runs: number;
  seed: number;
  clients?: number;
  steps?: number;
  workers: number;
  parallel: number;
  childEvery: number;
  minutes?: number;
  hostile: boolean;
  out?: string;
  /** Internal: this process is worker `worker` of `workers`. */
  worker?: number;
  deadline?: number;
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      runs: { type: 'string' },
      seed: { type: 'string' },
      clients: { type: 'string' },
      steps: { type: 'string' },
      workers: { type: 'string' },
      parallel: { type: 'string' },
      'child-every': { type: 'string' },
      minutes: { type: 'string' },
      'no-hostile': { type: 'boolean' },
      out: { type: 'string' },
      worker: { type: 'string' },
      deadline: { type: 'string' },
    },
  });
  const whole = (flag: keyof typeof values, fallback?: number) =>
    fallback === undefined ? wholeNumber(values[flag], flag) : wholeNumber(values[flag], flag, fallback);
  const clients = whole('clients');
  if (clients !== undefined && clients < 2) throw new Error('--clients needs at least 2');
  return {
    runs: whole('runs', 100)!,
    seed: whole('seed', 1)!,
    clients,
    steps: whole('steps'),
    workers: Math.max(1, whole('workers', 2)!),
    parallel: Math.max(1, whole('parallel', 8)!),
    childEvery: whole('child-every', 10)!,
    minutes: whole('minutes'),
    hostile: !values['no-hostile'],
    out: values.out,
    worker: whole('worker'),
    deadline: whole('deadline'),
  };
}

const LANE_STAGGER_MS = 700;

/** What a worker reports per scenario: one JSON line on stdout. */
interface Outcome {
  seed: number;
  mode: ScenarioResult['mode'];
  ok: boolean;
  diverged: boolean;
  lost: number;
  ms: number;
  stats: ScenarioResult['stats'];
  kinds: Record<string, number>;
  report?: string;
  rssMb: number;
}

/** The seeds worker `w` of `n` runs: every n-th, so a short run still spreads over the range. */
function seedsOf(options: Options, w: number, n: number): number[] {
  const seeds: number[] = [];
  for (let s = options.seed + w; s < options.seed + options.runs; s += n) seeds.push(s);
  return seeds;
}

async function work(options: Options, emit: (o: Outcome) => void): Promise<void> {
  const seeds = seedsOf(options, options.worker ?? 0, options.workers);
  const deadline = options.deadline ?? Infinity;
  let next = 0;
  const lane = async (i: number) => {
    // Staggered: setting up a plan is the costliest part; all lanes at once would stall the loop.
    await new Promise((r) => setTimeout(r, i * LANE_STAGGER_MS));
    while (next < seeds.length && Date.now() < deadline) {
      const seed = seeds[next++]!;
      const mode = options.childEvery > 0 && seed % options.childEvery === 0 ? 'child' : 'inprocess';
      const result = await runScenario({
        seed,
        mode,
        clients: options.clients,
        steps: options.steps,
        hostile: options.hostile,
      });
      emit({
        seed,
        mode,
        ok: result.ok,
        diverged: result.diverged,
        lost: result.lost,
        ms: result.ms,
        stats: result.stats,
        kinds: result.kinds,
        ...(result.ok ? {} : { report: describeFailure(result) }),
        rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
      });
    }
  };
  await Promise.all(Array.from({ length: options.parallel }, (_, i) => lane(i)));
}

function add(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  if (options.worker !== undefined) {
    await work(options, (o) => process.stdout.write(`${JSON.stringify(o)}\n`));
    process.exit(0);
  }

  const started = Date.now();
  const deadline = options.minutes !== undefined ? started + options.minutes * 60_000 : undefined;
  const outcomes: Outcome[] = [];
  const totals: Record<string, number> = {};
  const kinds: Record<string, number> = {};
  let lastProgress = started;
  const onOutcome = (o: Outcome) => {
    outcomes.push(o);
    add(totals, o.stats as unknown as Record<string, number>);
    add(kinds, o.kinds);
    if (!o.ok) process.stdout.write(`\nFAILED ${o.report}\n\n`);
    if (Date.now() - lastProgress > 30_000) {
      lastProgress = Date.now();
      const failed = outcomes.filter((x) => !x.ok).length;
      process.stdout.write(
        `[${Math.round((Date.now() - started) / 1000)} s] ${outcomes.length}/${options.runs} runs, ${failed} failed, worker RSS ${o.rssMb} MB\n`,
      );
    }
  };

  const args = (w: number) => [
    '--import',
    'tsx',
    new URL(import.meta.url).pathname,
    ...process.argv.slice(2).filter((a, i, all) => a !== '--out' && all[i - 1] !== '--out'),
    '--worker',
    String(w),
    ...(deadline ? ['--deadline', String(deadline)] : []),
  ];
  const children = Array.from({ length: options.workers }, (_, w) => {
    const child = spawn(process.execPath, args(w), {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) onOutcome(JSON.parse(line) as Outcome);
      else if (line.trim()) process.stdout.write(`[worker ${w}] ${line}\n`);
    });
    return new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  });
  process.on('SIGINT', () => process.exit(130));
  const codes = await Promise.all(children);

  const ms = Date.now() - started;
  const failed = outcomes.filter((o) => !o.ok);
  const seeds = outcomes.map((o) => o.seed).sort((a, b) => a - b);
  const summary = {
    command: `npm run fuzz -- ${process.argv.slice(2).join(' ')}`,
    runs: outcomes.length,
    requested: options.runs,
    seeds: seeds.length ? `${seeds[0]}–${seeds[seeds.length - 1]}` : 'none',
    childProcessRuns: outcomes.filter((o) => o.mode === 'child').length,
    failed: failed.length,
    diverged: outcomes.filter((o) => o.diverged).length,
    withLostEdits: outcomes.filter((o) => o.lost > 0).length,
    lostEditFindings: outcomes.reduce((n, o) => n + o.lost, 0),
    failedSeeds: failed.map((o) => o.seed),
    minutes: +(ms / 60_000).toFixed(1),
    meanScenarioSeconds: +(
      outcomes.reduce((n, o) => n + o.ms, 0) /
      Math.max(1, outcomes.length) /
      1000
    ).toFixed(1),
    totals,
    kinds,
    workerExitCodes: codes,
  };
  process.stdout.write(`\n${JSON.stringify(summary, null, 2)}\n`);
  if (options.out) writeFileSync(options.out, JSON.stringify({ summary, outcomes }, null, 2));
  process.exit(failed.length === 0 && codes.every((c) => c === 0) && outcomes.length > 0 ? 0 : 1);
}

await main();
