/** The shape of a run's JSON file (bench/results/<date>.json). */
import type { ClientResult } from '../scenarios/client.ts';
import type { JoinStormResult } from '../scenarios/join-storm.ts';
import type { MemoryResult } from '../scenarios/memory.ts';
import type { PropagationResult } from '../scenarios/propagation.ts';
import type { ReconnectCase } from '../scenarios/reconnect.ts';
import type { StorageResult } from '../scenarios/storage.ts';
import type { ThroughputStep } from '../scenarios/throughput.ts';
import type { Machine } from './machine.ts';
import type { ServerKind } from './target.ts';

export type PerServer<T> = Partial<Record<ServerKind, T>>;

export interface Scenarios {
  propagation?: PerServer<PropagationResult>;
  /** Scenario 1 at a tenth of the sockets (full runs): the server's latency without a saturated bench. */
  propagationLight?: PerServer<PropagationResult>;
  joinStorm?: PerServer<JoinStormResult>;
  memory?: PerServer<MemoryResult>;
  reconnect?: PerServer<ReconnectCase[]>;
  storage?: PerServer<StorageResult>;
  throughput?: PerServer<ThroughputStep[]>;
  client?: ClientResult;
}

export type ScenarioName = keyof Scenarios;

export interface Verdict {
  scenario: number;
  target: string;
  /** Varde's figure, in words, and against what. */
  measured: string;
  status: 'met' | 'missed' | 'not measured';
  /** How far from the target, when missed. */
  by?: string;
}

export interface RunResult {
  date: string;
  mode: 'full' | 'quick';
  command: string;
  seconds: number;
  machine: Machine;
  versions: Record<string, string>;
  /** /proc/loadavg at start and end. */
  load: { start: number[]; end: number[] };
  /** Cores other processes kept busy during each scenario (average). */
  othersCores: Partial<Record<ScenarioName, number>>;
  sizes: unknown;
  /** Varde settings changed from the defaults, per scenario, and why. */
  settings: string[];
  scenarios: Scenarios;
  verdicts: Verdict[];
  errors: string[];
}
