/**
 * Judges Varde's figures against issue 5's targets and renders the table: markdown for
 * docs/benchmarks.md, plain text for the terminal.
 */
import { details } from './details.ts';
import type { RunResult, Scenarios, Verdict } from './result.ts';

const KiB = 1024;
const fmt = (x: number | undefined, digits = 1) =>
  x === undefined || !Number.isFinite(x) ? '–' : x >= 100 ? String(Math.round(x)) : x.toFixed(digits);
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
    ? undefined
    : a / b;
const times = (r: number | undefined) => (r === undefined ? '–' : `${r.toFixed(2)}×`);

/** The representative document of scenario 3: the goal board of two years' use. */
export const MEMORY_DOC = 'goals, 2 years';

export function verdicts(s: Scenarios): Verdict[] {
  const out: Verdict[] = [];
  const judge = (scenario: number, target: string, measured: string, ok: boolean | undefined, by?: string) =>
    out.push({
      scenario,
      target,
      measured,
      status: ok === undefined ? 'not measured' : ok ? 'met' : 'missed',
      ...(ok ? {} : { by }),
    });

  for (const [p, where] of [
    [s.propagation, ''],
    [s.propagationLight, ' (1/10 of the load)'],
  ] as const) {
    if (!p) continue;
    const pv = p.varde?.latencyMs.p99;
    const pr = p.yws?.latencyMs.p99;
    const ph = p.hocus?.latencyMs.p99;
    // Clients apply updates only when the bench's loop gets to them: past ~20 ms of loop delay
    // the load generator, not the server, sets the latency.
    const loop = Math.max(...Object.values(p).map((x) => x?.benchLoopDelayMs?.p99 ?? 0));
    const caveat =
      loop > 20 ? `; bench loop delay p99 ${fmt(loop)} ms: the load generator was saturated` : '';
    const rr = ratio(pv, pr);
    judge(
      1,
      `p99 ≤ 1.5× the reference server, durable${where}`,
      `p99 ${fmt(pv)} ms vs ${fmt(pr)} ms (${times(rr)})${caveat}`,
      rr === undefined ? undefined : rr <= 1.5,
      `${times(rr)} instead of ≤ 1.50×`,
    );
    const rh = ratio(pv, ph);
    judge(
      1,
      `p99 better than Hocuspocus${where}`,
      `p99 ${fmt(pv)} ms vs ${fmt(ph)} ms (${times(rh)})${caveat}`,
      rh === undefined ? undefined : rh < 1,
      `${times(rh)} of Hocuspocus's p99`,
    );
  }

  const j = s.joinStorm?.varde;
  judge(
    2,
    'all synced, p99 ≤ 1 s',
    j ? `p99 ${fmt(j.syncedMs.p99)} ms, ${j.failures} failed` : '–',
    j ? j.syncedMs.p99 <= 1000 && j.failures === 0 : undefined,
    j ? `${fmt(j.syncedMs.p99 - 1000)} ms over` : undefined,
  );

  const m = s.memory?.varde;
  const md = m?.docs[MEMORY_DOC];
  judge(
    3,
    'loaded doc ≤ 3× its encoded size',
    md
      ? `${md.liveRatio.toFixed(2)}× (${fmt(md.liveBytes / KiB)} KiB for ${fmt(md.encodedBytes / KiB)} KiB)`
      : '–',
    md ? md.liveRatio <= 3 : undefined,
    md ? `${(md.liveRatio / 3).toFixed(1)}× the target` : undefined,
  );
  const ic = m?.idleConnection.liveBytes;
  judge(
    3,
    'idle connection ≤ 20 KB',
    ic === undefined ? '–' : `${fmt(ic / KiB)} KiB`,
    ic === undefined ? undefined : ic <= 20_000,
    ic === undefined ? undefined : `${fmt((ic - 20_000) / KiB)} KiB over`,
  );

  const rc = s.reconnect?.varde;
  const worst = rc?.length ? rc.reduce((a, b) => (b.ratio > a.ratio ? b : a)) : undefined;
  judge(
    4,
    'bytes ≤ 1.2× missing updates + state vectors',
    worst ? `worst ${worst.ratio.toFixed(2)}× (k = ${worst.k})` : '–',
    worst ? worst.ratio <= 1.2 : undefined,
    worst ? `${worst.ratio.toFixed(2)}× at k = ${worst.k}` : undefined,
  );

  const st = s.storage?.varde;
  judge(
    5,
    'database ≤ 2 bytes per byte of encoded doc',
    st ? `${(st.bytesPerKiB / KiB).toFixed(2)} bytes/byte` : '–',
    st ? st.bytesPerKiB <= 2 * KiB : undefined,
    st ? `${(st.bytesPerKiB / KiB / 2).toFixed(1)}× the target` : undefined,
  );

  const c = s.client;
  judge(
    7,
    'app: interactive goal board ≤ 300 ms',
    c ? `${fmt(c.app.readyMs)} ms` : '–',
    c ? c.app.readyMs <= 300 : undefined,
    c ? `${fmt(c.app.readyMs - 300)} ms over` : undefined,
  );
  judge(
    7,
    'popup: crisis card painted ≤ 100 ms',
    c ? `${fmt(c.popup.readyMs)} ms` : '–',
    c ? c.popup.readyMs <= 100 : undefined,
    c ? `${fmt(c.popup.readyMs - 100)} ms over` : undefined,
  );
  judge(
    7,
    'popup bundle free of editor code',
    c ? (c.popupEditorCode.length ? c.popupEditorCode.join(', ') : 'none found') : '–',
    c ? c.popupEditorCode.length === 0 : undefined,
    c?.popupEditorCode.join(', '),
  );
  return out;
}

interface Row {
  n: number;
  measure: string;
  v?: number;
  r?: number;
  h?: number;
  unit: string;
  /** Lower is better (latency, bytes) unless false. */
  lowerBetter?: boolean;
}

function rows(s: Scenarios): Row[] {
  const out: Row[] = [];
  for (const [p, name] of [
    [s.propagation, 'propagation'],
    [s.propagationLight, 'propagation, 1/10 load,'],
  ] as const) {
    if (!p) continue;
    const sockets = Object.values(p)[0]?.sockets;
    for (const q of ['p50', 'p95', 'p99'] as const)
      out.push({
        n: 1,
        measure: `${name} ${q}${sockets ? ` (${sockets} sockets)` : ''}`,
        v: p.varde?.latencyMs[q],
        r: p.yws?.latencyMs[q],
        h: p.hocus?.latencyMs[q],
        unit: 'ms',
      });
  }
  const j = s.joinStorm;
  for (const q of ['p50', 'p99'] as const)
    out.push({
      n: 2,
      measure: `join storm: synced ${q}`,
      v: j?.varde?.syncedMs[q],
      r: j?.yws?.syncedMs[q],
      h: j?.hocus?.syncedMs[q],
      unit: 'ms',
    });
  out.push({
    n: 2,
    measure: 'join storm: peak RSS',
    v: j?.varde?.peakRssMiB,
    r: j?.yws?.peakRssMiB,
    h: j?.hocus?.peakRssMiB,
    unit: 'MiB',
  });
  const m = s.memory;
  for (const name of Object.keys(m?.varde?.docs ?? m?.yws?.docs ?? {}))
    out.push({
      n: 3,
      measure: `memory per doc ÷ encoded (${name})`,
      v: m?.varde?.docs[name]?.liveRatio,
      r: m?.yws?.docs[name]?.liveRatio,
      h: m?.hocus?.docs[name]?.liveRatio,
      unit: '×',
    });
  const kib = (x?: number) => (x === undefined ? undefined : x / KiB);
  out.push({
    n: 3,
    measure: 'memory per idle connection',
    v: kib(m?.varde?.idleConnection.liveBytes),
    r: kib(m?.yws?.idleConnection.liveBytes),
    h: kib(m?.hocus?.idleConnection.liveBytes),
    unit: 'KiB',
  });
  const rc = s.reconnect;
  for (const c of rc?.varde ?? []) {
    const k = (kind: 'yws' | 'hocus') => rc?.[kind]?.find((x) => x.k === c.k);
    const sum = (x?: { up: number; down: number }) => (x ? x.up + x.down : undefined);
    out.push({
      n: 4,
      measure: `reconnect, k = ${c.k}: bytes`,
      v: c.up + c.down,
      r: sum(k('yws')),
      h: sum(k('hocus')),
      unit: 'B',
    });
    out.push({
      n: 4,
      measure: `reconnect, k = ${c.k}: ÷ (missing + SVs)`,
      v: c.ratio,
      r: k('yws')?.ratio,
      h: k('hocus')?.ratio,
      unit: '×',
    });
  }
  const st = s.storage;
  const perByte = (x?: number) => (x === undefined ? undefined : x / KiB);
  out.push({
    n: 5,
    measure: 'storage bytes per encoded byte',
    v: perByte(st?.varde?.bytesPerKiB),
    h: perByte(st?.hocus?.bytesPerKiB),
    unit: '×',
  });
  const tp = s.throughput;
  for (const step of tp?.varde ?? []) {
    const k = (kind: 'yws' | 'hocus') =>
      tp?.[kind]?.find((x) => x.writers === step.writers)?.updatesPerSecond;
    out.push({
      n: 6,
      measure: `throughput, ${step.writers} writer${step.writers > 1 ? 's' : ''}`,
      v: step.updatesPerSecond,
      r: k('yws'),
      h: k('hocus'),
      unit: 'updates/s',
      lowerBetter: false,
    });
  }
  const c = s.client;
  if (c) {
    out.push({ n: 7, measure: 'app: interactive goal board', v: c.app.readyMs, unit: 'ms' });
    out.push({ n: 7, measure: 'popup: crisis card painted', v: c.popup.readyMs, unit: 'ms' });
    for (const [name, e] of Object.entries(c.entries))
      out.push({ n: 7, measure: `${name} JS, gzipped`, v: e.gzipBytes / KiB, unit: 'KiB' });
  }
  return out;
}

export function markdown(result: RunResult): string {
  const lines: string[] = [];
  const { machine: mc } = result;
  lines.push(`Run ${result.date} (${result.mode}), ${result.seconds} s: \`${result.command}\``);
  lines.push('');
  lines.push(
    `- Machine: ${mc.cpu}, ${mc.cores} cores, ${mc.ramGiB} GiB RAM, Linux ${mc.kernel}; Node ${mc.node}.`,
  );
  lines.push(
    `- Versions: ${Object.entries(result.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  const others = Object.entries(result.othersCores)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  lines.push(
    `- Load average at start / end: ${result.load.start.join(' ')} / ${result.load.end.join(' ')}. Cores used by other processes during each scenario (of ${mc.cores}): ${others}.`,
  );
  for (const s of result.settings) lines.push(`- ${s}`);
  if (result.errors.length) lines.push(`- Errors: ${result.errors.map((e) => e.split('\n')[0]).join('; ')}`);
  lines.push('');
  lines.push('| # | measure | Varde | y-websocket (ref.) | Hocuspocus | Varde ÷ ref. | Varde ÷ Hocuspocus |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const r of rows(result.scenarios)) {
    const u = r.unit === '×' ? '×' : ` ${r.unit}`;
    const cell = (x?: number) => (x === undefined ? '–' : `${fmt(x, r.unit === '×' ? 2 : 1)}${u}`);
    lines.push(
      `| ${r.n} | ${r.measure} | ${cell(r.v)} | ${cell(r.r)} | ${cell(r.h)} | ${times(ratio(r.v, r.r))} | ${times(ratio(r.v, r.h))} |`,
    );
  }
  lines.push('');
  lines.push('| # | target (issue 5) | Varde | verdict |');
  lines.push('|---|---|---|---|');
  for (const v of result.verdicts)
    lines.push(
      `| ${v.scenario} | ${v.target} | ${v.measured} | ${v.status === 'missed' ? `**missed**: ${v.by}` : v.status} |`,
    );
  lines.push('', ...details(result));
  return lines.join('\n');
}

/** A compact table for the terminal (and CI logs). */
export function consoleTable(result: RunResult): string {
  const out: string[] = [];
  const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));
  out.push(
    `${pad('#', 2)} ${pad('measure', 40)} ${pad('Varde', 12)} ${pad('ref.', 12)} ${pad('Hocuspocus', 12)}`,
  );
  for (const r of rows(result.scenarios)) {
    const cell = (x?: number) => (x === undefined ? '–' : `${fmt(x, r.unit === '×' ? 2 : 1)} ${r.unit}`);
    out.push(
      `${pad(String(r.n), 2)} ${pad(r.measure, 40)} ${pad(cell(r.v), 12)} ${pad(cell(r.r), 12)} ${pad(cell(r.h), 12)}`,
    );
  }
  out.push('');
  for (const v of result.verdicts) out.push(`${v.scenario} ${pad(v.status, 12)} ${v.target}: ${v.measured}`);
  return out.join('\n');
}
