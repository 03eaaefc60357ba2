/** The sync server as a child process for the fuzz and soak scripts: a crash is an exit, memory its own. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from '../../sync-server/config.ts';
import { spawnServer, type ChildServer } from '../server.ts';
import { fuzzLimits, type FuzzTarget, type SlowStep } from './run.ts';

/** Starts `sync-server/main.ts` on a fresh data directory, with generous API rate limits. */
export async function childTarget(
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<FuzzTarget & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'varde-framefuzz-'));
  let server: ChildServer | null = null;
  let exited = false;
  let port = 0;
  const errors: string[] = [];
  const slow: SlowStep[] = [];
  const start = async () => {
    exited = false;
    server = await spawnServer(
      {
        PORT: String(port),
        VARDE_DATA_DIR: dataDir,
        // warn: the server names what held its event loop (ws.slowFrame, doc.slowLoad).
        VARDE_LOG_LEVEL: 'warn',
        VARDE_REGISTER_PER_MINUTE: '100000',
        VARDE_REDEEM_PER_MINUTE: '100000',
        VARDE_API_PER_MINUTE: '1000000',
        ...env,
      },
      {
        nodeArgs,
        onLine: (line, stream) => {
          if (stream === 'stderr') errors.push(`stderr: ${line.slice(0, 200)}`);
          else if (line.includes('"level":"error"'))
            for (const m of line.matchAll(/"level":"error","event":"([^"]+)"/g)) errors.push(m[1]!);
          else if (/"event":"(ws\.slowFrame|doc\.slowLoad)"/.test(line)) {
            const f = JSON.parse(line) as {
              event: string;
              reason?: string;
              ms?: number;
              bytes?: number;
              count?: number;
            };
            slow.push({
              at: Date.now(),
              what: f.reason ? `${f.event} ${f.reason}` : f.event,
              ms: f.ms ?? 0,
              size: f.bytes ?? f.count ?? 0,
            });
          }
        },
      },
    );
    void server.exited.then(() => (exited = true));
    port = server.port;
    target.url = server.url;
    target.wsUrl = server.wsUrl;
  };
  const stop = async () => {
    if (!exited) await server?.stop();
  };
  const target: FuzzTarget & { dataDir: string } = {
    url: '',
    wsUrl: '',
    dataDir,
    rss: () => {
      try {
        const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server?.child.pid}/status`, 'utf8'))?.[1];
        return Number(kb ?? 0) * 1024;
      } catch {
        return 0;
      }
    },
    errors: () => [...errors],
    slowSteps: () => [...slow],
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
