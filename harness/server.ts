/**
 * Integration helpers: a real server on port 0 with a temporary data directory, a tiny API
 * client, and real y-websocket providers in Node (WebSocketPolyfill: ws). Servers are closed
 * and directories removed in `afterEach`/`afterAll` by the tests that start them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { answerInPieces } from '../core/sync/answer-in-pieces.ts';
import * as authProtocol from 'y-protocols/auth';
import type * as decoding from 'lib0/decoding';
import { startServer, type RunningServer } from '../sync-server/server.ts';
import type { ServerOptions } from '../sync-server/config.ts';
import { createLogger } from '../sync-server/log.ts';
import { newPlanId } from '../core/model/ids.ts';
import { syncProtocols, type InviteRole, type Levels, type TokenResponse } from '../core/access/index.ts';
import type { DocName } from '../core/model/schema.ts';
import type { MemberAccess } from '../core/sync/status.ts';

export const ROOT = new URL('..', import.meta.url).pathname;

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'varde-test-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  { timeout = 5000, what = 'condition' }: { timeout?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TestServer {
  server: RunningServer;
  url: string;
  wsUrl: string;
  dataDir: string;
  logs: string[];
  close(): Promise<void>;
}

/** Generous limits by default: tests create many plans from one address. */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const logs: string[] = [];
  const server = await startServer({
    port: 0,
    registerPerMinute: 10_000,
    redeemPerMinute: 10_000,
    apiPerMinute: 100_000,
    // Tests register plans freely, also behind a (simulated) proxy; registration.test.ts
    // checks the modes and their defaults.
    registration: 'open',
    // Hundreds of servers start in one test process: none warms up (tests/unit/warm-up.test.ts
    // runs the warm-up; child servers warm up before listening, as `npm run server` does).
    warmUp: 'off',
    logger: createLogger('debug', (line) => logs.push(line)),
    ...options,
    dataDir,
  });
  return {
    server,
    url: server.url,
    wsUrl: server.url.replace(/^http/, 'ws') + '/sync',
    dataDir,
    logs,
    close: () => server.close(),
  };
}

/** A member as a test holds it: the product's membership, with the plan and the secret to ask as. */
export interface Member extends Pick<MemberAccess, 'memberId' | 'role' | 'levels'> {
  planId: string;
  secret: string;
}

export async function call(
  base: string,
  method: string,
  path: string,
  { secret, body, headers = {} }: { secret?: string; body?: unknown; headers?: Record<string, string> } = {},
  // Answers are checked field by field in the tests; a loose type keeps them short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(secret ? { Authorization: `Bearer ${secret}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

export async function registerPlan(base: string, name = 'Kari'): Promise<Member> {
  const planId = newPlanId();
  const r = await call(base, 'POST', '/api/plans', { body: { planId, name } });
  if (r.status !== 201) throw new Error(`register failed: ${r.status} ${JSON.stringify(r.json)}`);
  return {
    planId,
    memberId: r.json.memberId,
    secret: r.json.memberSecret,
    role: r.json.role,
    levels: r.json.levels,
  };
}

export async function createInvite(
  base: string,
  owner: Member,
  role: InviteRole,
  levels?: Levels,
): Promise<string> {
  const r = await call(base, 'POST', `/api/plans/${owner.planId}/invites`, {
    secret: owner.secret,
    body: { role, ...(levels ? { levels } : {}) },
  });
  if (r.status !== 201) throw new Error(`invite failed: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.code;
}

export async function redeem(base: string, code: string, name: string): Promise<Member> {
  const r = await call(base, 'POST', '/api/invites/redeem', { body: { code, name } });
  if (r.status !== 201) throw new Error(`redeem failed: ${r.status} ${JSON.stringify(r.json)}`);
  return {
    planId: r.json.planId,
    memberId: r.json.memberId,
    secret: r.json.memberSecret,
    role: r.json.role,
    levels: r.json.levels,
  };
}

export async function invitedMember(
  base: string,
  owner: Member,
  role: InviteRole,
  name: string,
  levels?: Levels,
): Promise<Member> {
  return redeem(base, await createInvite(base, owner, role, levels), name);
}

export async function token(base: string, m: Member): Promise<TokenResponse> {
  const r = await call(base, 'POST', `/api/plans/${m.planId}/tokens`, { secret: m.secret });
  if (r.status !== 200) throw new Error(`token failed: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Reasons of permission-denied messages received. */
  denied: string[];
  /** Close codes the server sent. */
  closes: { code: number; reason: string; at: number }[];
  synced(): Promise<void>;
  destroy(): void;
}

/** A real y-websocket provider for one doc of a plan, authenticated with a fresh token. */
export async function connect(
  t: { url: string; wsUrl: string },
  m: Member,
  docName: DocName,
  {
    doc = new Y.Doc(),
    tokenValue,
    connect: shouldConnect = true,
  }: { doc?: Y.Doc; tokenValue?: string; connect?: boolean } = {},
): Promise<Client> {
  const tok = tokenValue ?? (await token(t.url, m)).token;
  const provider = new WebsocketProvider(`${t.wsUrl}/${m.planId}`, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    protocols: syncProtocols(tok),
    disableBc: true,
    connect: shouldConnect,
    maxBackoffTime: 300,
  });
  const denied: string[] = [];
  const closes: Client['closes'] = [];
  // As Varde's own client (core/sync/link.ts): what the server lacks goes in pieces when large.
  answerInPieces(provider as never, doc);
  // How a client learns of a dropped write: y-websocket only logs it by default.
  provider.messageHandlers[2] = (_encoder: unknown, decoder: decoding.Decoder) => {
    authProtocol.readAuthMessage(decoder, doc, (_y: unknown, reason: string) => denied.push(reason));
  };
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason, at: Date.now() });
  });
  return {
    doc,
    provider,
    denied,
    closes,
    synced: () => waitFor(() => provider.synced, { what: `${docName} synced` }),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/**
 * The one way tests, fuzzers, benches and scripts start the server as a child process
 * (`node --import tsx sync-server/main.ts`, or a bundle of it): for SIGKILL tests, for a
 * crash that must be an exit, and for memory that is the server's own.
 */
export interface ChildServer {
  child: ChildProcess;
  url: string;
  wsUrl: string;
  port: number;
  /** The last 256 KiB of stdout and stderr, interleaved. */
  output: () => string;
  exited: Promise<number | null>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnOptions {
  /** Modules loaded with `--import` before the server (fault injection fixtures). */
  preload?: string[];
  /** Node flags before everything else (`--expose-gc`, `--max-old-space-size=…`). */
  nodeArgs?: string[];
  /** A bundled server to run instead of `sync-server/main.ts` through tsx. */
  bundle?: string;
  /** Each whole line the server writes, as it comes. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

const OUTPUT_KEPT = 256 * 1024;

export async function spawnServer(
  env: Record<string, string>,
  { preload = [], nodeArgs = [], bundle, onLine }: SpawnOptions = {},
): Promise<ChildServer> {
  const entry = bundle
    ? [bundle]
    : ['--import', 'tsx', ...preload.flatMap((p) => ['--import', p]), 'sync-server/main.ts'];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let url = '';
  const reader = (stream: 'stdout' | 'stderr') => {
    let partial = '';
    return (d: Buffer) => {
      const text = d.toString();
      out = (out + text).slice(-OUTPUT_KEPT);
      partial += text;
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        url ||= /listening on (http:\/\/\S+)/.exec(line)?.[1] ?? '';
        onLine?.(line, stream);
      }
    };
  };
  child.stdout!.on('data', reader('stdout'));
  child.stderr!.on('data', reader('stderr'));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await waitFor(() => url !== '' || child.exitCode !== null || child.signalCode !== null, {
    timeout: 30_000,
    what: 'child server start',
  });
  if (!url) throw new Error(`server did not start:\n${out}`);
  return {
    child,
    url,
    wsUrl: url.replace(/^http/, 'ws') + '/sync',
    port: Number(new URL(url).port),
    output: () => out,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface RawSocket {
  ws: WebSocket;
  messages: Uint8Array[];
  opened: Promise<boolean>;
  closed: Promise<{ code: number; reason: string }>;
  /** HTTP status when the handshake was refused. */
  refused: Promise<number | null>;
}

/** A bare `ws` socket to a sync URL, for frames the y-websocket provider would never send. */
export function rawSocket(
  wsUrl: string,
  path: string,
  { protocols, origin }: { protocols?: string[]; origin?: string } = {},
): RawSocket {
  const ws = new WebSocket(`${wsUrl}${path}`, protocols, origin ? { origin } : {});
  const messages: Uint8Array[] = [];
  ws.on('message', (d: Buffer) => messages.push(new Uint8Array(d)));
  let refusedResolve: (s: number | null) => void = () => {};
  const refused = new Promise<number | null>((r) => (refusedResolve = r));
  ws.on('unexpected-response', (_req, res) => {
    refusedResolve(res.statusCode ?? 0);
    ws.terminate();
  });
  ws.on('error', () => {});
  const opened = new Promise<boolean>((resolve) => {
    ws.on('open', () => {
      refusedResolve(null);
      resolve(true);
    });
    ws.on('close', () => resolve(false));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return { ws, messages, opened, closed, refused };
}
