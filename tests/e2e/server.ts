/**
 * A real sync server for browser tests: `sync-server`'s `startServer` on port 0 with a temporary
 * data directory, extending tests/e2e/fixtures.ts's `test` with `server`.
 *
 * ```ts
 * import { test, expect } from './server';
 *
 * test('…', async ({ openPerson, server }) => {
 *   // share with server.url …
 *   await server.stop();  // the network is gone: edits wait on each device
 *   await server.start(); // the same port and data directory: everything stored is back
 * });
 * ```
 *
 * The server accepts the extension's origins (`chrome-extension://*`). Its log lines (event
 * names, ids and codes; never content) are attached to a failed test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../sync-server/server.ts';
import { createLogger } from '../../sync-server/log.ts';
import type { ServerConfig } from '../../sync-server/config.ts';
import type { Locator } from '@playwright/test';
import { test as base } from './fixtures';

export { expect, type Person } from './fixtures';

/**
 * Shares through the test server rather than the build's default: what a person whose clinic
 * gave them an address does, under "Use another sharing server" in the sharing dialog.
 */
export async function chooseServer(dialog: Locator, server: TestSyncServer): Promise<void> {
  await dialog.getByText('Use another sharing server').click();
  await dialog.getByRole('textbox', { name: 'Server address' }).fill(server.url);
}

export interface TestSyncServer {
  /** `http://127.0.0.1:<port>`: what a person types as the server address. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly running: boolean;
  /** Closes every connection (1001) and the database, like a server going down. */
  stop(): Promise<void>;
  /**
   * Starts again on the SAME port and data directory; no-op while running. `options` (e.g.
   * `{ registration: 'code' }`) hold from then on.
   */
  start(options?: Partial<ServerConfig>): Promise<void>;
}

class RestartableServer implements TestSyncServer {
  private server: RunningServer | null = null;
  private boundPort = 0;
  private options: Partial<ServerConfig> = {};
  readonly logs: string[] = [];

  constructor(readonly dataDir: string) {}

  get port(): number {
    return this.boundPort;
  }
  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }
  get running(): boolean {
    return this.server !== null;
  }

  async start(options: Partial<ServerConfig> = {}): Promise<void> {
    if (this.server) return;
    this.options = { ...this.options, ...options };
    this.server = await startServer({
      port: this.boundPort,
      host: '127.0.0.1',
      dataDir: this.dataDir,
      allowedOrigins: ['chrome-extension://*'],
      // Three people on one address share the per-address API limits.
      registerPerMinute: 1000,
      redeemPerMinute: 1000,
      apiPerMinute: 100_000,
      logger: createLogger('info', (line) => this.logs.push(line)),
      ...this.options,
    });
    this.boundPort = this.server.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close();
  }
}

export const test = base.extend<{ server: TestSyncServer }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
  server: async ({}, use, testInfo) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'varde-e2e-server-'));
    const server = new RestartableServer(dataDir);
    await server.start();
    try {
      await use(server);
    } finally {
      await server.stop();
      if (testInfo.status !== testInfo.expectedStatus && server.logs.length > 0) {
        await testInfo.attach('sync-server.log', { body: server.logs.join(''), contentType: 'text/plain' });
      }
      await rm(dataDir, { recursive: true, force: true });
    }
  },
});
