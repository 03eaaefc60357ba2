/**
 * How big each scenario runs. `full` is issue 5's workload and finishes in about 12 minutes on
 * 2 cores; `quick` keeps every code path of the harness running in well under 2 minutes (CI),
 * and its numbers mean nothing.
 */
import type { ClientSize } from './scenarios/client.ts';
import type { JoinStormSize } from './scenarios/join-storm.ts';
import type { MemorySize } from './scenarios/memory.ts';
import type { PropagationSize } from './scenarios/propagation.ts';
import type { ReconnectSize } from './scenarios/reconnect.ts';
import type { StorageSize } from './scenarios/storage.ts';
import type { ThroughputSize } from './scenarios/throughput.ts';

export interface Sizes {
  propagation: PropagationSize;
  /** Scenario 1 again at a tenth of the load, where the bench itself is not the bottleneck. */
  propagationLight: PropagationSize | null;
  joinStorm: JoinStormSize;
  memory: MemorySize & { goalEdits: number; textBytes: number };
  reconnect: ReconnectSize;
  storage: StorageSize;
  throughput: ThroughputSize;
  client: ClientSize;
}

export const FULL: Sizes = {
  propagation: { plans: 200, clientsPerPlan: 4, updatesPerSecond: 2, warmupMs: 5000, measureMs: 30_000 },
  propagationLight: { plans: 20, clientsPerPlan: 4, updatesPerSecond: 2, warmupMs: 3000, measureMs: 15_000 },
  joinStorm: { clients: 100, docBytes: 1_000_000 },
  memory: { docs: 40, idleConnections: 500, goalEdits: 50_000, textBytes: 100_000 },
  reconnect: { baseBytes: 100_000, ks: [1, 10, 100, 1000] },
  // 100,000 keystrokes at 4,000/s: 25 s of writing per server.
  storage: { edits: 100_000, writers: 2, rate: 4000 },
  throughput: { writers: [1, 10, 100, 400, 800], warmupMs: 1000, measureMs: 4000 },
  client: { edits: 50_000, opens: 5 },
};

export const QUICK: Sizes = {
  propagation: { plans: 8, clientsPerPlan: 4, updatesPerSecond: 2, warmupMs: 500, measureMs: 1500 },
  propagationLight: null,
  joinStorm: { clients: 20, docBytes: 100_000 },
  memory: { docs: 3, idleConnections: 20, goalEdits: 3000, textBytes: 20_000 },
  reconnect: { baseBytes: 20_000, ks: [1, 100] },
  storage: { edits: 2000, writers: 2, rate: 4000 },
  throughput: { writers: [1, 10], warmupMs: 200, measureMs: 800 },
  client: { edits: 3000, opens: 1 },
};
