/**
 * The sync server as `npm run server` starts it (`sync-server/main.ts` in a child process) on a
 * fresh data directory and port 0, for the hostile-input benches that measure the process
 * from outside (its RSS, its own event-loop metric). Only the HTTP rate limits are lifted, so
 * the bench can register the plans it uses; `env` adds or overrides settings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer } from '../../harness/server.ts';

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
  const server = await spawnServer(
    {
      VARDE_DATA_DIR: dataDir,
      VARDE_LOG_LEVEL: 'warn',
      VARDE_REGISTER_PER_MINUTE: '100000',
      VARDE_API_PER_MINUTE: '100000',
      ...env,
    },
    { onLine: (line, stream) => stream === 'stderr' && console.error(line) },
  );
  return {
    pid: server.child.pid!,
    port: server.port,
    url: server.url,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
