/**
 * The machine and the software a run measured, and how much of the CPU other processes took
 * meanwhile (a 2-core machine shared with test runs gives different numbers; say so).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, release } from 'node:os';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  kernel: string;
}

export function machine(): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  return {
    cpu: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown',
    cores: (cpuinfo.match(/^processor\s*:/gm) ?? []).length || cpus().length,
    ramGiB: Math.round((Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1] ?? 0) / 1024 / 1024) * 10) / 10,
    node: process.version,
    kernel: release(),
  };
}

/** Installed versions of the packages that decide the numbers. */
export function versions(): Record<string, string> {
  const names = [
    'yjs',
    'y-protocols',
    'y-websocket',
    'ws',
    'better-sqlite3',
    '@y/websocket-server',
    '@hocuspocus/server',
    '@hocuspocus/extension-sqlite',
    '@hocuspocus/provider',
    'sqlite3',
    '@playwright/test',
    'wxt',
  ];
  const out: Record<string, string> = {};
  for (const name of names) {
    try {
      out[name] = (
        JSON.parse(readFileSync(`${ROOT}node_modules/${name}/package.json`, 'utf8')) as { version: string }
      ).version;
    } catch {
      out[name] = 'missing';
    }
  }
  try {
    const text = execFileSync('/usr/bin/chromium', ['--version'], {
      timeout: 10_000,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    out.chromium = /[\d.]+/.exec(text)?.[0] ?? text.trim();
  } catch {
    out.chromium = 'missing';
  }
  return out;
}

const TICKS_PER_SECOND = 100;

function procTicks(pid: number | 'self'): { own: number; children: number; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
    return {
      ppid: Number(fields[1]),
      own: Number(fields[11]) + Number(fields[12]),
      children: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return null;
  }
}

/** CPU ticks of this process and all its descendants (exited ones through cutime/cstime). */
function ourTicks(): number {
  const byParent = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const t = procTicks(Number(name));
    if (!t) continue;
    ticks.set(Number(name), t.own + t.children);
    const list = byParent.get(t.ppid) ?? [];
    list.push(Number(name));
    byParent.set(t.ppid, list);
  }
  let total = 0;
  const queue = [process.pid];
  while (queue.length) {
    const pid = queue.pop()!;
    total += ticks.get(pid) ?? 0;
    queue.push(...(byParent.get(pid) ?? []));
  }
  return total;
}

function machineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
  return f.reduce((a, b) => a + b, 0) - (f[3] ?? 0) - (f[4] ?? 0);
}

/** CPU ticks a process has used so far (user + system). */
export function processTicks(pid: number): number {
  return procTicks(pid)?.own ?? 0;
}

/** Starts a CPU meter; `stop()` says how busy the bench, one server and the rest were. */
export function cpuMeter(
  serverPid?: number,
): () => { benchCores: number; serverCores: number; othersCores: number } {
  const t0 = performance.now();
  const busy0 = machineBusyTicks();
  const ours0 = ourTicks();
  const server0 = serverPid ? processTicks(serverPid) : 0;
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const ours = ourTicks() - ours0;
    const server = serverPid ? processTicks(serverPid) - server0 : 0;
    const others = Math.max(0, machineBusyTicks() - busy0 - ours);
    const cores = (ticks: number) => Math.round((ticks / TICKS_PER_SECOND / seconds) * 100) / 100;
    return { benchCores: cores(ours - server), serverCores: cores(server), othersCores: cores(others) };
  };
}

export function loadAverage(): number[] {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}
