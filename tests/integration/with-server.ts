/**
 * The test file's server: `const t = withServer(options)` at the top of a file starts a real
 * server on port 0 (harness/server.ts `startTestServer`) before the file's tests and its own
 * `beforeAll`, and closes it and removes its data directory after them. `t` reads as the
 * running server inside hooks and tests; touched before it started, it throws.
 */
import { afterAll, beforeAll } from 'vitest';
import type { ServerOptions } from '../../sync-server/config.ts';
import { removeDir, startTestServer, type TestServer } from '../../harness/server.ts';

export function withServer(options: ServerOptions = {}): TestServer {
  let running: TestServer | null = null;
  beforeAll(async () => {
    running = await startTestServer(options);
  });
  afterAll(async () => {
    const t = running;
    running = null;
    if (!t) return;
    await t.close();
    removeDir(t.dataDir);
  });
  return new Proxy({} as TestServer, {
    get(_target, key) {
      if (!running) throw new Error('withServer: the server is not running (used outside a test or hook)');
      return Reflect.get(running, key) as unknown;
    },
  });
}
