/** The figures behind the table that explain it: CPU, breakdowns, file sizes. */
import type { RunResult } from './result.ts';
import { LABELS, type ServerKind } from './target.ts';

const KiB = 1024;
const kib = (x: number) => `${(x / KiB).toFixed(1)} KiB`;

function each<T>(per: Partial<Record<ServerKind, T>> | undefined, f: (x: T) => string): string {
  return Object.entries(per ?? {})
    .map(([kind, x]) => `${LABELS[kind as ServerKind]}: ${f(x as T)}`)
    .join('; ');
}

export function details(result: RunResult): string[] {
  const s = result.scenarios;
  const out: string[] = [];
  for (const propagation of [s.propagation, s.propagationLight]) {
    if (!propagation) continue;
    out.push(
      `- 1: ${Object.values(propagation)[0]?.sockets ?? '?'} sockets. CPU (cores) of the bench / the server / other processes, and the bench's own event-loop delay p99 — ${each(
        propagation,
        (p) =>
          `${p.cpu.benchCores} / ${p.cpu.serverCores} / ${p.cpu.othersCores}, loop ${p.benchLoopDelayMs?.p99 ?? '?'} ms, ${p.updates} timed updates, ${p.lost} lost`,
      )}.`,
    );
  }
  if (s.joinStorm) {
    out.push(
      `- 2: ${Object.values(s.joinStorm)[0]?.clients ?? '?'} clients, doc ${kib(Object.values(s.joinStorm)[0]?.docBytes ?? 0)}. RSS before → peak: ${each(
        s.joinStorm,
        (j) => `${j.rssBeforeMiB} → ${j.peakRssMiB} MiB, ${j.failures} failed`,
      )}.`,
    );
  }
  if (s.memory) {
    out.push(
      `- 3: live memory (heap + external) per doc, then per idle connection (RSS in brackets) — ${each(
        s.memory,
        (m) =>
          [
            ...Object.entries(m.docs).map(
              ([name, d]) =>
                `${name} ${kib(d.liveBytes)} for ${kib(d.encodedBytes)} encoded (RSS ${d.rssRatio}×)`,
            ),
            `connection ${kib(m.idleConnection.liveBytes)} (${kib(m.idleConnection.rssBytes)})`,
          ].join(', '),
      )}.`,
    );
  }
  if (s.reconnect) {
    out.push(
      `- 4: per k, bytes up / down (handshake apart) vs what A lacked + state vectors, and vs Yjs's diff (whole delete set included) — ${each(
        s.reconnect,
        (cases) =>
          cases
            .map(
              (c) =>
                `k=${c.k}: ${c.up} / ${c.down} vs ${c.missingBytes} + ${c.stateVectorBytes}, diff ${c.diffBytes} (${c.ratioToDiff}×), handshake ${c.handshake}`,
            )
            .join(', '),
      )}.`,
    );
  }
  if (s.storage) {
    out.push(
      `- 5: after ${Object.values(s.storage)[0]?.edits ?? '?'} keystrokes — ${each(
        s.storage,
        (st) =>
          `encoded ${kib(st.encodedBytes)}, files while running ${kib(st.runningBytes)}, after stop ${kib(st.stoppedBytes)} (empty database ${kib(st.emptyBytes)})${
            st.logRows !== undefined ? `, log ${st.logRows} row(s) of ${kib(st.logPayloadBytes ?? 0)}` : ''
          }, ${st.seconds} s`,
      )}.`,
    );
  }
  if (s.throughput) {
    out.push(
      `- 6: write → broadcast latency p50 / p99 (ms) per writer count — ${each(s.throughput, (steps) =>
        steps
          .map(
            (t) =>
              `${t.writers}: ${t.latencyMs.p50} / ${t.latencyMs.p99}${t.stalls ? ` (${t.stalls} stalls)` : ''}`,
          )
          .join(', '),
      )}.`,
    );
  }
  const c = s.client;
  if (c) {
    const run = (r: { scriptsMs: number; firstPaintMs: number; readyMs: number }) =>
      `scripts run ${r.scriptsMs}, first paint ${r.firstPaintMs}, ready ${r.readyMs}`;
    out.push(
      `- 7: plan of ${c.plan.edits} edits (goals ${kib(c.plan.goalsBytes)}, plan ${kib(c.plan.planBytes)} encoded; export file ${kib(c.plan.fileBytes)}). Median warm open, ms from navigation start: app ${run(c.app)}; popup ${run(c.popup)}. Cold first opens: app ${c.appRuns[0]?.readyMs}, popup ${c.popupRuns[0]?.readyMs} ms. Editor code in the popup: ${c.popupEditorCode.length ? c.popupEditorCode.join(', ') : 'none'}.`,
    );
  }
  return out;
}
