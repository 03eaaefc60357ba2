/**
 * `startServer(options)`: the HTTP API, the WebSocket sync endpoint, health and metrics on one
 * port. Tests start it on port 0 with a temporary data directory.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { SYNC_SUBPROTOCOL } from '../core/access/index.ts';
import { Addresses } from './addresses.ts';
import { loadHelpLines } from './help-lines.ts';
import { TokenSigner } from './auth.ts';
import { resolveConfig, type ServerOptions } from './config.ts';
import type { Context } from './context.ts';
import { createApi } from './http/api.ts';
import { sendJoinPage } from './http/join.ts';
import { sendJson } from './http/util.ts';
import { createLogger, errorName } from './log.ts';
import { Metrics } from './metrics.ts';
import { StorageQuota } from './quota.ts';
import { openSqliteStorage } from './storage/sqlite.ts';
import { Rooms } from './sync/rooms.ts';
import { FAIR_SLICE_MS, FairQueue } from './sync/fair-queue.ts';
import { warmUp } from './sync/warm-up.ts';
import { handleUpgrade, socketAddresses } from './sync/upgrade.ts';

/** The fair queue's key for the warm-up after a start. */
const WARM_UP_TURNS = '(warm-up)';

/** A started server: where it listens, and how to stop it without losing a write. */
export interface RunningServer {
  port: number;
  /** `http://host:port`; the sync endpoint is the same with `ws://`. */
  url: string;
  /** Closes connections (1001), finishes pending writes, closes the database. */
  close(): Promise<void>;
}

/**
 * The event loop's delay, the measure of "no input stalls the server" (docs/reliability.md):
 * the largest delay since the last scrape of `/metrics`, and since the start.
 */
function watchEventLoop(metrics: Metrics): () => void {
  const recent = monitorEventLoopDelay({ resolution: 10 });
  const overall = monitorEventLoopDelay({ resolution: 10 });
  recent.enable();
  overall.enable();
  metrics.gauge('varde_event_loop_delay_max_ms', 'Largest event-loop delay since the last scrape', () => {
    const ms = recent.max / 1e6;
    recent.reset();
    return Math.round(ms);
  });
  metrics.gauge('varde_event_loop_delay_max_ever_ms', 'Largest event-loop delay since the start', () =>
    Math.round(overall.max / 1e6),
  );
  return () => {
    recent.disable();
    overall.disable();
  };
}

function declareMetrics(metrics: Metrics, rooms: Rooms, fair: FairQueue): void {
  metrics.counter('varde_http_requests_total', 'HTTP requests by route and status');
  metrics.counter('varde_ws_connections_total', 'WebSocket connections accepted');
  metrics.counter('varde_ws_closed_total', 'WebSocket connections closed by the server, by reason');
  metrics.counter('varde_bad_frames_total', 'Malformed frames received');
  metrics.counter('varde_updates_stored_total', 'Updates made durable');
  metrics.counter('varde_update_bytes_total', 'Bytes of updates made durable');
  metrics.counter('varde_store_commit_ms_total', 'Milliseconds from receiving to committing updates, summed');
  metrics.counter('varde_updates_denied_total', 'Updates dropped for lack of write access');
  metrics.counter('varde_compactions_total', 'Update-log compactions');
  metrics.counter(
    'varde_guard_rebuilds_total',
    "Rebuilds of a doc's write-guard copy (an update that threw, a refused try, a failed store)",
  );
  metrics.counter('varde_handler_failures_total', 'Message handling steps that threw, by step');
  metrics.counter('varde_frame_rule_total', 'Connections cut for a frame rule, by reason');
  metrics.counter('varde_sockets_refused_total', 'Sockets refused: too many from one client address');
  metrics.gauge('varde_ws_connections', 'Open WebSocket connections', () => rooms.connectionCount);
  metrics.gauge('varde_docs_loaded', 'Docs loaded in memory', () => rooms.loadedCount);
  metrics.gauge('varde_fair_queue_waiting', 'Costly jobs waiting for their turn', () => fair.waiting);
  metrics.gauge('varde_uptime_seconds', 'Seconds since start', () => Math.round(process.uptime()));
}

/**
 * Starts the sync server: opens storage (SQLite in `dataDir` unless given), listens for the API,
 * health, metrics, `/join` and `/sync` WebSockets, and resolves once it accepts connections.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const config = resolveConfig(options);
  // Before anything is opened: a file that is not a list stops the start (HelpLinesError).
  const helpLines = loadHelpLines(config.helpLinesFile);
  const log = options.logger ?? createLogger(config.logLevel);
  const storage = options.storage ?? openSqliteStorage(config.dataDir, config);
  const metrics = new Metrics();
  // Rooms reaches the context lazily: the context holds the rooms too.
  const rooms: Rooms = new Rooms(() => ctx, config.auditFlushMs);
  const addresses = new Addresses(config);
  const quota = new StorageQuota(storage, config.maxStoredBytes, log);
  await quota.start();
  const ctx: Context = {
    config,
    storage,
    log,
    metrics,
    signer: TokenSigner.open(config.dataDir),
    rooms,
    addresses,
    quota,
    fair: new FairQueue(FAIR_SLICE_MS),
    helpLines,
  };
  declareMetrics(metrics, rooms, ctx.fair);
  const stopWatchingLoop = watchEventLoop(metrics);
  const api = createApi(ctx);
  let shuttingDown = false;

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let route = 'other';
    const started = performance.now();
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname.startsWith('/api/')) {
        route = await api.handle(req, res, url);
      } else if (url.pathname === '/healthz' && req.method === 'GET') {
        route = 'healthz';
        sendJson(res, 200, { ok: true });
      } else if (url.pathname === '/readyz' && req.method === 'GET') {
        route = 'readyz';
        let ready = !shuttingDown;
        if (ready) await storage.meta.ping().catch(() => (ready = false));
        sendJson(res, ready ? 200 : 503, { ready });
      } else if ((url.pathname === '/join' || url.pathname === '/join/') && req.method === 'GET') {
        route = 'join';
        sendJoinPage(res);
      } else if (url.pathname === '/metrics' && req.method === 'GET') {
        route = 'metrics';
        const text = metrics.render();
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(text);
      } else {
        sendJson(res, 404, { error: 'notFound', message: 'no such endpoint' });
      }
    } catch (error) {
      log.error('http.failed', { route, error: errorName(error) });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'internal error' });
    }
    metrics.inc('varde_http_requests_total', { route, status: res.statusCode });
    log.debug('http.request', {
      method: req.method,
      route,
      status: res.statusCode,
      ms: Math.round(performance.now() - started),
    });
  }

  // A request (or WebSocket upgrade) whose headers do not arrive within the auth timeout is
  // cut, checked every second: a slow handshake holds an address's socket slot that long only.
  const http = createServer(
    { connectionsCheckingInterval: 1000, headersTimeout: Math.min(15_000, config.authTimeoutMs) },
    (req, res) => void onRequest(req, res),
  );
  http.requestTimeout = 30_000;
  const wss = new WebSocketServer({
    noServer: true,
    // ws's own hard cap (close 1009) sits above our limit, so a client normally learns of an
    // oversized frame by the documented 4413 instead.
    maxPayload: config.maxFrameBytes * 2 + 1024,
    perMessageDeflate: false,
    // One message per turn of the event loop: ws otherwise handles every complete frame of a
    // TCP read in one go, and a client that writes many costly frames at once held the loop
    // for their sum (661 ms under the frame fuzz, each frame well under its own limit).
    allowSynchronousEvents: false,
    handleProtocols: (protocols) => (protocols.has(SYNC_SUBPROTOCOL) ? SYNC_SUBPROTOCOL : false),
  });
  http.on('upgrade', (req, socket, head) => {
    try {
      handleUpgrade(ctx, wss, () => shuttingDown, req, socket, head);
    } catch (error) {
      log.error('ws.upgradeFailed', { error: errorName(error) });
      socket.destroy();
    }
  });
  http.on('clientError', (_error, socket) => socket.destroy());
  // Without a proxy, every TCP connection counts against its address from its first moment:
  // a slow handshake holds a socket as surely as an open sync connection.
  if (!config.trustProxy) {
    http.on('connection', (socket) => {
      const usage = addresses.open(socket.remoteAddress ?? 'unknown');
      if (!usage) {
        metrics.inc('varde_sockets_refused_total');
        socket.destroy();
        return;
      }
      socketAddresses.set(socket, usage);
      socket.once('close', () => addresses.close(usage));
    });
  }

  const warming = options.warmUp ?? 'inTurns';
  if (warming === 'beforeListen') {
    await warmUp((job) => Promise.resolve(job()), config.maxUpdateStructs).catch((error: unknown) =>
      log.warn('server.warmUpFailed', { error: errorName(error) }),
    );
  }
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  log.info('server.started', {
    host: config.host,
    port,
    dataDir: config.dataDir,
    registration: config.registration,
  });
  // In turns of its own, so requests and frames are served meanwhile (warm-up.ts).
  if (warming === 'inTurns') {
    warmUp((job) => ctx.fair.runOnce(WARM_UP_TURNS, job), config.maxUpdateStructs).catch((error: unknown) =>
      log.warn('server.warmUpFailed', { error: errorName(error) }),
    );
  }

  let closing: Promise<void> | null = null;
  return {
    port,
    url: `http://${hostForUrl}:${port}`,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        rooms.closeAll('goingAway');
        const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections();
        await rooms.shutdown();
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        api.stop();
        quota.stop();
        stopWatchingLoop();
        await storage.close();
        http.closeAllConnections();
        await httpClosed;
        log.info('server.stopped', { port });
      })();
      return closing;
    },
  };
}
