/**
 * Scenario 1, propagation under load: `plans` service plans × 4 real clients, each typing
 * 2 keystrokes a second (jittered), every keystroke its own update. Latency is from the
 * keystroke's transaction to the moment each of the other three clients applies it, all
 * clients in this process so one clock measures both ends.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { Typist, basePlanDoc, sectionTexts } from '../lib/docs.ts';
import { cpuMeter } from '../lib/machine.ts';
import { openClient, type SyncClient } from '../lib/provider.ts';
import { pool, sleep, summarize, type Summary } from '../lib/stats.ts';
import { mulberry32 } from '../../harness/random.ts';
import type { Target } from '../lib/target.ts';

export interface PropagationSize {
  plans: number;
  clientsPerPlan: number;
  updatesPerSecond: number;
  warmupMs: number;
  measureMs: number;
}

export interface PropagationResult {
  sockets: number;
  latencyMs: Summary;
  /** Timed updates (keystrokes that insert) in the measured window, and deliveries seen. */
  updates: number;
  deliveries: number;
  lost: number;
  cpu: ReturnType<ReturnType<typeof cpuMeter>>;
  /**
   * How late this process's own event loop ran (p50 / p99, ms) during the window: a receiving
   * client applies an update only when its loop gets to it, so this much of the latency is
   * the bench's, not the server's.
   */
  benchLoopDelayMs: { p50: number; p99: number };
}

const LOCAL = 'bench-local';

interface Sent {
  clock: number;
  at: number;
  measured: boolean;
}

export async function propagation(target: Target, size: PropagationSize): Promise<PropagationResult> {
  const refs = await target.docs(size.plans);
  // Four people on each plan (on Varde: the owner and three invited relatives).
  const people = await pool(
    8,
    refs.map((ref) => () => target.members(ref, size.clientsPerPlan)),
  );
  const base = Y.encodeStateAsUpdate(basePlanDoc());
  const sentBy = new Map<number, Sent[]>();
  const latencies: number[] = [];
  let measuring = false;
  let deliveries = 0;
  const clients: SyncClient[] = [];
  const typists: Typist[] = [];
  const rand = mulberry32(11);

  await pool(
    25,
    people.flatMap((refsOfPlan) =>
      refsOfPlan.map((ref, k) => async () => {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, base, LOCAL);
        sentBy.set(doc.clientID, []);
        const seen = new Map<number, number>();
        doc.on('update', (update: Uint8Array, origin: unknown) => {
          if (origin === LOCAL) return;
          const now = performance.now();
          for (const [client, clock] of Y.parseUpdateMeta(update).to) {
            const log = sentBy.get(client);
            if (!log || client === doc.clientID) continue;
            let i = seen.get(client) ?? 0;
            for (; i < log.length && log[i]!.clock <= clock; i++) {
              if (!log[i]!.measured) continue;
              latencies.push(now - log[i]!.at);
              deliveries++;
            }
            seen.set(client, i);
          }
        });
        const client = openClient(ref, target.port, doc);
        clients.push(client);
        const texts = sectionTexts(doc);
        typists.push(new Typist(texts[k % texts.length]!, mulberry32(rand() * 2 ** 32)));
        await client.synced();
      }),
    ),
  );

  let running = true;
  let updates = 0;
  const period = 1000 / size.updatesPerSecond;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const loop = (typist: Typist) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        if (!running) return;
        const doc = typist.text.doc!;
        const before = Y.getState(doc.store, doc.clientID);
        const at = performance.now();
        typist.type(LOCAL);
        const clock = Y.getState(doc.store, doc.clientID);
        // A backspace adds no item, so its update carries no clock to recognise it by: it is
        // sent (it is load) but not timed.
        if (clock > before) {
          sentBy.get(doc.clientID)!.push({ clock, at, measured: measuring });
          if (measuring) updates++;
        }
        loop(typist);
      },
      period * (0.5 + rand()),
    );
    timers.add(timer);
  };
  for (const t of typists) loop(t);

  await sleep(size.warmupMs);
  measuring = true;
  const cpu = cpuMeter(target.pid);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  await sleep(size.measureMs);
  measuring = false;
  loopDelay.disable();
  const cpuUse = cpu();
  running = false;
  for (const t of timers) clearTimeout(t);
  // Let the last updates of the window arrive.
  const expected = updates * (size.clientsPerPlan - 1);
  const deadline = Date.now() + 5000;
  while (deliveries < expected && Date.now() < deadline) await sleep(50);
  for (const c of clients) c.destroy();
  return {
    sockets: clients.length,
    latencyMs: summarize(latencies),
    updates,
    deliveries,
    lost: expected - deliveries,
    cpu: cpuUse,
    benchLoopDelayMs: {
      p50: Math.round(loopDelay.percentile(50) / 1e5) / 10,
      p99: Math.round(loopDelay.percentile(99) / 1e5) / 10,
    },
  };
}
