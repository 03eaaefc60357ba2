/**
 * Real servers on port 0 for integration tests (harness/server.ts `startTestServer`), closed
 * and their data directories removed by the fixture, not by each file.
 *
 * - `const t = withServer(options)` at the top of a file: one server for the file's tests,
 *   started before the file's own `beforeAll` (`'each'`: a fresh one for every test). `t`
 *   reads as the running server inside hooks and tests; touched when none runs, it throws.
 * - `const start = testServers()`: servers a test starts itself (`await start(options)`),
 *   each closed after that test.
 * - `const s = withChildServer()`: one server in a child process for the file (or the
 *   `describe` it is called in), for tests that read the server's own event-loop delay or
 *   memory, which the test's work must not share; the API rate limits are lifted.
 *
 * Declare them before the file's own `afterEach` that closes clients: hooks after a test run
 * last-registered first, so clients go before their server.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { ServerOptions } from '../../sync-server/config.ts';
import {
  removeDir,
  spawnServer,
  startTestServer,
  tempDir,
  type ChildServer,
  type TestServer,
} from '../../harness/server.ts';

async function stop(t: TestServer): Promise<void> {
  await t.close();
  removeDir(t.dataDir);
}

/** A proxy that reads as `current()` and throws, naming `what`, when nothing is running. */
function proxied<T extends object>(current: () => T | null, what: string): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const value = current();
      if (!value) throw new Error(`${what}: the server is not running (used outside a test or hook)`);
      return Reflect.get(value, key) as unknown;
    },
  });
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
  return proxied(() => running, 'withServer');
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

export function withChildServer(env: Record<string, string> = {}): ChildServer {
  let child: ChildServer | null = null;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = tempDir();
    child = await spawnServer({
      VARDE_DATA_DIR: dataDir,
      VARDE_REGISTER_PER_MINUTE: '1000',
      VARDE_API_PER_MINUTE: '100000',
      ...env,
    });
  });
  afterAll(async () => {
    const c = child;
    child = null;
    await c?.stop();
    removeDir(dataDir);
  });
  return proxied(() => child, 'withChildServer');
}
