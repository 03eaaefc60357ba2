/**
 * Asks a server's `/healthz` every few seconds from a worker thread, so the time it reports is
 * the server's and not the fuzzer's: the fuzzer's own event loop stalls for seconds under a
 * large run (garbage collection of a heap of forked docs), and a probe timed on that loop
 * counts the stall as the server's. A worker has its own event loop and heap; it stamps when
 * each request went and when its answer came, and the fuzzer reads those stamps when it can.
 */
import { Worker } from 'node:worker_threads';

export interface Probe {
  /** When the request went, and when its answer came (null while it has not): Date.now(). */
  readonly asked: number;
  answered: number | null;
  status: number | null;
  /** No answer at all (refused, reset, or no answer within the timeout). */
  failed: boolean;
  /**
   * The server's own largest event-loop delay since the probe before, in ms, read from its
   * `/metrics` right after the answer (null when that read failed). It tells a slow answer
   * caused by the server's loop from one caused by the machine (two processes on two cores).
   */
  loopMaxMs: number | null;
}

/** The worker's whole program: plain JavaScript, so it needs no loader. */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const { get } = require('node:http');
const { url, everyMs, timeoutMs } = workerData;
let id = 0;
const metricsUrl = new URL('/metrics', url).href;
const loopMax = (done) => {
  const req = get(metricsUrl, { agent: false, timeout: timeoutMs }, (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (text += chunk));
    res.on('end', () => {
      const m = /^varde_event_loop_delay_max_ms (\\d+(?:\\.\\d+)?)$/m.exec(text);
      done(m ? Number(m[1]) : null);
    });
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', () => done(null));
};
const ask = () => {
  const n = id++;
  parentPort.postMessage({ kind: 'asked', id: n, at: Date.now() });
  const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
    res.resume();
    const at = Date.now();
    loopMax((loopMaxMs) =>
      parentPort.postMessage({ kind: 'answered', id: n, at, status: res.statusCode, loopMaxMs }),
    );
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', () => parentPort.postMessage({ kind: 'failed', id: n, at: Date.now() }));
};
setInterval(ask, everyMs);
`;

type Message =
  | { kind: 'asked'; id: number; at: number }
  | { kind: 'answered'; id: number; at: number; status: number; loopMaxMs: number | null }
  | { kind: 'failed'; id: number; at: number };

/**
 * Starts probing `url` every `everyMs`; `onProbe` hears of each probe once it has an answer
 * or failed. `probes` holds the most recent 100 (in flight ones too). The server's URL
 * stays the same across its restarts (same port).
 */
export function startHealthProbe(
  url: string,
  everyMs: number,
  timeoutMs: number,
  onProbe: (probe: Probe) => void,
): { probes: Probe[]; stop(): Promise<void> } {
  const worker = new Worker(PROGRAM, { eval: true, workerData: { url, everyMs, timeoutMs } });
  const probes: Probe[] = [];
  const byId = new Map<number, Probe>();
  worker.on('message', (m: Message) => {
    if (m.kind === 'asked') {
      const probe: Probe = { asked: m.at, answered: null, status: null, failed: false, loopMaxMs: null };
      byId.set(m.id, probe);
      probes.push(probe);
      if (probes.length > 100) probes.shift();
      return;
    }
    const probe = byId.get(m.id);
    if (!probe) return;
    byId.delete(m.id);
    if (m.kind === 'answered') {
      probe.answered = m.at;
      probe.status = m.status;
      probe.loopMaxMs = m.loopMaxMs;
    } else probe.failed = true;
    onProbe(probe);
  });
  return {
    probes,
    async stop() {
      await worker.terminate();
    },
  };
}
