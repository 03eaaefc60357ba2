/**
 * Real servers on port 0 for integration tests (harness/server.ts `startTestServer`), closed
 * and their data directories removed by the fixture, not by each file.
 *
 * - `const t = withServer(options)` at the top of a file: one server for the file's tests,
 *   started before the file's own `beforeAll` (`'each'`: a fresh one for every test). `t`
 *   reads as the running server inside hooks and tests; touched when none runs, it throws.
 * - `const start = testServers()`: servers a test starts itself (`await start(options)`),
 *   each closed after that test.
 *
 * Declare them before the file's own `afterEach` that closes clients: hooks after a test run
 * last-registered first, so clients go before their server.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { ServerOptions } from '../../sync-server/config.ts';
import { removeDir, startTestServer, type TestServer } from '../../harness/server.ts';

async function stop(t: TestServer): Promise<void> {
  await t.close();
  removeDir(t.dataDir);
}

export function withServer(options: ServerOptions = {}, per: 'file' | 'each' = 'file'): TestServer {
  let running: TestServer | null = null;
  (per === 'file' ? beforeAll : beforeEach)(async () => {
    running = await startTestServer(options);
  });
  (per === 'file' ? afterAll : afterEach)(async () => {
    const t = running;
    running = null;
    if (t) await stop(t);
  });
  return new Proxy({} as TestServer, {
    get(_target, key) {
      if (!running) throw new Error('withServer: the server is not running (used outside a test or hook)');
      return Reflect.get(running, key) as unknown;
    },
  });
}

export function testServers(): (options?: ServerOptions) => Promise<TestServer> {
  const started: TestServer[] = [];
  afterEach(async () => {
    for (const t of started.splice(0)) await stop(t);
  });
  return async (options = {}) => {
    const t = await startTestServer(options);
    started.push(t);
    return t;
  };
}
