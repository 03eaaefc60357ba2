/**
 * The sync server as `npm run server` starts it (`sync-server/main.ts` in a child process) on a
 * fresh data directory and port 0, for the hostile-input benches that measure the process
 * from outside (its RSS, its own event-loop metric). Only the HTTP rate limits are lifted, so
 * the bench can register the plans it uses; `env` adds or overrides settings.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface MainServer {
  pid: number;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** SIGTERM, wait for the exit, remove the data directory. */
  stop(): Promise<void>;
}

export async function startMainServer(label: string, env: Record<string, string> = {}): Promise<MainServer> {
  const dataDir = mkdtempSync(join(tmpdir(), `varde-${label}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      VARDE_DATA_DIR: dataDir,
      VARDE_LOG_LEVEL: 'warn',
      VARDE_REGISTER_PER_MINUTE: '100000',
      VARDE_API_PER_MINUTE: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    pid: child.pid!,
    port: Number(new URL(url).port),
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
