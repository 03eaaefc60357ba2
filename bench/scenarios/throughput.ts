/**
 * Scenario 6, durable write throughput: W writers, each on its own doc with one observer.
 * Each writer sends a keystroke update, waits until its observer receives the broadcast, and
 * sends the next (a closed loop: on Varde the broadcast comes after the commit, so every
 * completed loop is a durable write). Throughput is completed loops per second over the
 * window, summed over writers.
 */
import * as Y from 'yjs';
import { pool, sleep, summarize, type Summary } from '../lib/stats.ts';
import type { Target } from '../lib/target.ts';
import { WireClient } from '../lib/wire.ts';

export interface ThroughputSize {
  writers: number[];
  warmupMs: number;
  measureMs: number;
}

export interface ThroughputStep {
  writers: number;
  updatesPerSecond: number;
  latencyMs: Summary;
  /** Loops that saw no broadcast within 5 s. */
  stalls: number;
}

/** Settings for this scenario: the frame limits would cap one writer at 100/s, one member at 400/s. */
export const THROUGHPUT_VARDE = {
  messagesPerSecond: 1_000_000,
  messageBurst: 1_000_000,
  memberMessagesPerSecond: 1_000_000,
};

interface Pair {
  writer: WireClient;
  observer: WireClient;
  doc: Y.Doc;
  arrived: (() => void) | null;
}

async function pairFor(target: Target, ref: Parameters<typeof WireClient.open>[0]): Promise<Pair> {
  const [writer, observer] = await Promise.all([
    WireClient.open(ref, target.port),
    WireClient.open(ref, target.port),
  ]);
  writer.sendStep1();
  observer.sendStep1();
  await Promise.all([writer.synced(), observer.synced()]);
  const pair: Pair = { writer, observer, doc: new Y.Doc(), arrived: null };
  observer.onUpdate = (m) => {
    if (m.kind !== 'update') return;
    const f = pair.arrived;
    pair.arrived = null;
    f?.();
  };
  pair.doc.on('update', (u: Uint8Array) => writer.sendUpdate(u));
  return pair;
}

export async function throughput(target: Target, size: ThroughputSize): Promise<ThroughputStep[]> {
  const max = Math.max(...size.writers);
  const refs = await target.docs(max);
  const pairs = await pool(
    25,
    refs.map((ref) => () => pairFor(target, ref)),
  );
  const steps: ThroughputStep[] = [];
  for (const w of size.writers) {
    let running = true;
    let measuring = false;
    let done = 0;
    let stalls = 0;
    const latencies: number[] = [];
    const loop = async (pair: Pair) => {
      const text = pair.doc.getText('t');
      while (running) {
        const started = performance.now();
        const arrived = new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 5000);
          pair.arrived = () => {
            clearTimeout(timer);
            resolve(true);
          };
        });
        text.insert(text.length, 'x');
        if (!(await arrived)) {
          stalls++;
          continue;
        }
        if (measuring) {
          done++;
          latencies.push(performance.now() - started);
        }
      }
    };
    const loops = pairs.slice(0, w).map(loop);
    await sleep(size.warmupMs);
    measuring = true;
    await sleep(size.measureMs);
    measuring = false;
    running = false;
    await Promise.all(loops);
    steps.push({
      writers: w,
      updatesPerSecond: Math.round(done / (size.measureMs / 1000)),
      latencyMs: summarize(latencies),
      stalls,
    });
    await sleep(300);
  }
  await Promise.all(pairs.flatMap((p) => [p.writer.close(), p.observer.close()]));
  return steps;
}
