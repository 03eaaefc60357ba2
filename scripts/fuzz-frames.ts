/**
 * Frame fuzzing of the WebSocket endpoint (docs/reliability.md, "Hostile input"): hostile
 * sessions send random, truncated, oversized and type-confused frames, invalid and enormous
 * Yjs updates, huge varints, presence for other clients' ids and floods, through real sockets,
 * to a real server, while well-behaved y-websocket clients keep editing. Since issue 9 also:
 * structurally valid Yjs updates with every content ref and malformed payloads inside them
 * (harness/frames/yjs-content.ts) as sync step 2 and update from every seat, garbage and huge
 * state vectors, hostile presence and auth messages (harness/frames/content-frames.ts), and raw
 * frames below `ws`: partial, announcing more than the limit, sent a byte at a time
 * (harness/frames/raw.ts). Sessions ask for sync step 1 answers only as often as the server's
 * token buckets allow (harness/frames/budget.ts), so they know which frames the server must read.
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
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { wholeNumber } from '../harness/args.ts';
import { childTarget } from '../harness/frames/child.ts';
import {
  DEFAULT_OPTIONS,
  runFrameFuzz,
  type FrameFuzzOptions,
  type FrameFuzzReport,
} from '../harness/frames/run.ts';

const ROOT = new URL('..', import.meta.url).pathname;

function readOptions(argv: string[]): FrameFuzzOptions & { out: string } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      frames: { type: 'string' },
      seed: { type: 'string' },
      concurrency: { type: 'string' },
      'rotate-every': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const whole = (flag: 'frames' | 'seed' | 'concurrency' | 'rotate-every', fallback: number) =>
    wholeNumber(values[flag], flag, fallback);
  return {
    ...DEFAULT_OPTIONS,
    frames: whole('frames', DEFAULT_OPTIONS.frames),
    seed: whole('seed', DEFAULT_OPTIONS.seed),
    concurrency: whole('concurrency', DEFAULT_OPTIONS.concurrency),
    rotateEvery: whole('rotate-every', DEFAULT_OPTIONS.rotateEvery),
    out: values.out ?? join(ROOT, 'bench/results'),
  };
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const target = await childTarget();
  console.log(`fuzz:frames seed ${options.seed}, ${options.frames} frames, server ${target.url}`);
  let report: FrameFuzzReport;
  try {
    report = await runFrameFuzz(target, { ...options, log: (l) => console.log(l) });
  } finally {
    await target.stop();
    // VARDE_FUZZ_KEEP_DATA=1 keeps the server's data directory to look into what it stored.
    if (process.env.VARDE_FUZZ_KEEP_DATA === '1') console.log(`data kept in ${target.dataDir}`);
    else rmSync(target.dataDir, { recursive: true, force: true });
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

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
