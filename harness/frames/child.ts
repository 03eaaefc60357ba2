/** The sync server as a child process for the fuzz and soak scripts: a crash is an exit, memory its own. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from '../../sync-server/config.ts';
import { fuzzLimits, type FuzzTarget } from '../fuzz-frames.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Starts `sync-server/main.ts` on a fresh data directory, with generous API rate limits. */
export async function childTarget(
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<FuzzTarget & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'varde-framefuzz-'));
  let child: ChildProcess;
  let exited = false;
  let port = 0;
  const errors: string[] = [];
  const start = async () => {
    exited = false;
    child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'sync-server/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        VARDE_DATA_DIR: dataDir,
        VARDE_LOG_LEVEL: 'error',
        VARDE_REGISTER_PER_MINUTE: '100000',
        VARDE_REDEEM_PER_MINUTE: '100000',
        VARDE_API_PER_MINUTE: '1000000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.on('exit', () => (exited = true));
    const onData = (d: Buffer) => {
      out += d.toString();
      for (const m of out.matchAll(/"level":"error","event":"([^"]+)"/g)) errors.push(m[1]!);
      out = out.slice(out.lastIndexOf('\n') + 1);
    };
    let url = '';
    child.stdout!.on('data', (d: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(d.toString());
      if (m) url = m[1]!;
      onData(d);
    });
    child.stderr!.on('data', (d: Buffer) => errors.push(`stderr: ${d.toString().slice(0, 200)}`));
    const deadline = Date.now() + 30_000;
    while (!url && !exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!url) throw new Error('the server did not start');
    port = Number(new URL(url).port);
    target.url = url;
    target.wsUrl = url.replace(/^http/, 'ws') + '/sync';
  };
  const stop = async () => {
    if (exited) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  };
  const target: FuzzTarget & { dataDir: string } = {
    url: '',
    wsUrl: '',
    dataDir,
    rss: () => {
      try {
        const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        return Number(kb ?? 0) * 1024;
      } catch {
        return 0;
      }
    },
    errors: () => [...errors],
    alive: () => !exited,
    restart: async () => {
      await stop();
      await start();
    },
    stop,
    limits: fuzzLimits({
      maxFrameBytes: Number(env.VARDE_MAX_FRAME_BYTES ?? DEFAULTS.maxFrameBytes),
      maxUpdateStructs: Number(env.VARDE_MAX_UPDATE_STRUCTS ?? DEFAULTS.maxUpdateStructs),
      messageBurst: Number(env.VARDE_MESSAGE_BURST ?? DEFAULTS.messageBurst),
      stateVectorBurst: Number(env.VARDE_STATE_VECTOR_BURST ?? DEFAULTS.stateVectorBurst),
      stateVectorsPerSecond: Number(env.VARDE_STATE_VECTORS_PER_SECOND ?? DEFAULTS.stateVectorsPerSecond),
      frameTimeoutMs: Number(env.VARDE_FRAME_TIMEOUT_MS ?? DEFAULTS.frameTimeoutMs),
      minFrameBytesPerSecond: Number(env.VARDE_MIN_FRAME_BYTES_PER_SECOND ?? DEFAULTS.minFrameBytesPerSecond),
    }),
  };
  await start();
  return target;
}
