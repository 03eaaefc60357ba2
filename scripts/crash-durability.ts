/**
 * Crash durability (docs/reliability.md, "Crash durability"): the sync server runs as a child
 * process under write load from real y-websocket clients and is killed with SIGKILL at random
 * moments, again and again. After every restart, every update that any client *received from
 * the server* must be there: the server broadcasts only what it has committed.
 *
 *   npm run crash                       # 20 kills
 *   npm run crash -- --runs 1000        # the big run
 *   npm run crash -- --runs 1000 --max-minutes 20   # as many of them as fit in 20 minutes
 *   npm run crash -- --runs 50 --seed 7 --writers 3 --min-kill-ms 10 --max-kill-ms 1500
 *
 * Per run: start the server on the same data directory; open one observer per doc of the
 * current plan and check that it holds every update observed before any earlier kill; start
 * the writers (fresh docs, each writing a new map key every few ms); kill the server at a
 * random moment; record what the observers received up to the kill. A final restart checks
 * every plan, and the audit log's hash chain. Exit 0 when nothing was lost.
 */
import { parseArgs } from 'node:util';
import { wholeNumber } from '../harness/args.ts';
import { DEFAULT_OPTIONS, runCrashDurability, summary, type CrashOptions } from '../harness/crash.ts';

function readOptions(argv: string[]): CrashOptions {
  const names = {
    runs: 'runs',
    seed: 'seed',
    writers: 'writers',
    'min-kill-ms': 'minKillMs',
    'max-kill-ms': 'maxKillMs',
    'runs-per-plan': 'runsPerPlan',
    'max-minutes': 'maxMinutes',
  } as const;
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: Object.fromEntries(Object.keys(names).map((flag) => [flag, { type: 'string' as const }])),
  });
  const o = { ...DEFAULT_OPTIONS };
  for (const [flag, key] of Object.entries(names)) o[key] = wholeNumber(values[flag], flag, o[key]);
  if (o.maxKillMs < o.minKillMs || o.writers < 1 || o.runsPerPlan < 1) throw new Error('bad option values');
  return o;
}

let o: CrashOptions;
try {
  o = readOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `${(error as Error).message}\nUsage: npm run crash -- [--runs N] [--seed N] [--writers N] ` +
      '[--min-kill-ms N] [--max-kill-ms N] [--runs-per-plan N] [--max-minutes N]\n',
  );
  process.exit(2);
}
const result = await runCrashDurability({ ...o, log: (line) => process.stdout.write(`${line}\n`) });
process.stdout.write(`\n${summary(o, result)}\n`);
for (const f of result.failures) process.stdout.write(`missing: ${f}\n`);
process.exit(
  result.failed === 0 && result.lost + result.finalMissing === 0 && result.auditBreaks === 0 ? 0 : 1,
);
