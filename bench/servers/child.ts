/**
 * One server under test, alone in its own process so its memory and CPU are its own.
 * `node --expose-gc --import tsx bench/servers/child.ts <kind> <json options>`; it reports
 * `{type: 'ready', port}` over IPC, answers `mem` requests and stops on `stop` or when the
 * parent goes away. Everything listens on 127.0.0.1 only.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';

export type ServerKind = 'varde' | 'yws' | 'hocus';

export interface ChildOptions {
  dataDir: string;
  /** Varde settings on top of the defaults (docs/operations.md). */
  varde?: Record<string, unknown>;
}

export interface MemSample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Peak RSS of the process so far (VmHWM). */
  hwm: number;
}

const HOST = '127.0.0.1';

function listen(http: HttpServer): Promise<number> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, HOST, () => {
      const address = http.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

async function startVarde(options: ChildOptions): Promise<{ port: number; stop: () => Promise<void> }> {
  const { startServer } = await import('../../sync-server/server.ts');
  const server = await startServer({ port: 0, host: HOST, dataDir: options.dataDir, ...options.varde });
  return { port: server.port, stop: () => server.close() };
}

/** The reference server exactly as its own `server.js` wires it, minus the start-up banner. */
async function startReference(): Promise<{ port: number; stop: () => Promise<void> }> {
  const { setupWSConnection } = await import('@y/websocket-server/utils');
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', setupWSConnection);
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('okay');
  });
  http.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  const port = await listen(http);
  return { port, stop: () => new Promise((r) => http.close(() => r())) };
}

/**
 * Hocuspocus's own `Server` with the SQLite extension (defaults: store debounced 2 s, at most
 * 10 s). We bind its HTTP server ourselves because `Server.listen` passes `address` where
 * Node expects `host`, which would listen on every interface.
 */
async function startHocuspocus(options: ChildOptions): Promise<{ port: number; stop: () => Promise<void> }> {
  const { Server } = await import('@hocuspocus/server');
  const { SQLite } = await import('@hocuspocus/extension-sqlite');
  const sqlite = new SQLite({ database: join(options.dataDir, 'hocuspocus.sqlite') });
  const server = new Server({ quiet: true, stopOnSignals: false, extensions: [sqlite] });
  const port = await listen(server.httpServer);
  // The extension creates its table without waiting for it; a document loaded before the table
  // exists fails to load and its first client is never synced. Start only once it is there.
  for (let i = 0; i < 100; i++) {
    const ready = await new Promise<boolean>((resolve) =>
      sqlite.db!.get('SELECT count(*) FROM documents', (error) => resolve(!error)),
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, stop: () => server.destroy() };
}

function memSample(gc: boolean): MemSample {
  const g = (globalThis as { gc?: () => void }).gc;
  if (gc && g) {
    g();
    g();
  }
  const m = process.memoryUsage();
  const status = readFileSync('/proc/self/status', 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, hwm };
}

async function main(): Promise<void> {
  const kind = process.argv[2] as ServerKind;
  const options = JSON.parse(process.argv[3] ?? '{}') as ChildOptions;
  const started =
    kind === 'varde'
      ? await startVarde(options)
      : kind === 'yws'
        ? await startReference()
        : await startHocuspocus(options);
  const send = (message: unknown) => process.send?.(message);
  process.on('message', (raw) => {
    const message = raw as { type: string; id?: number; gc?: boolean };
    if (message.type === 'mem') send({ type: 'mem', id: message.id, mem: memSample(message.gc === true) });
    if (message.type === 'stop') {
      const timer = setTimeout(() => process.exit(0), 5000);
      started.stop().then(
        () => {
          clearTimeout(timer);
          send({ type: 'stopped' });
          process.exit(0);
        },
        () => process.exit(1),
      );
    }
  });
  // The bench died or was interrupted: do not linger.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port: started.port });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
