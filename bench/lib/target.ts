/**
 * A server under test: its child process, its memory and CPU as the kernel sees them, and the
 * addresses of documents on it (for Varde: registered plans and connection tokens).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPlanId } from '../../core/model/index.ts';
import { syncProtocols } from '../../core/access/index.ts';
import type { ChildOptions, MemSample, ServerKind } from '../servers/child.ts';
import { pool } from './stats.ts';

export type { ServerKind, MemSample };

export const LABELS: Record<ServerKind, string> = {
  varde: 'Varde',
  yws: 'y-websocket (ref.)',
  hocus: 'Hocuspocus',
};

export const HOST = '127.0.0.1';
const ROOT = new URL('../..', import.meta.url).pathname;
const CHILD = join(ROOT, 'bench/servers/child.ts');

/** One document on one server, addressable directly or through a proxy on another port. */
export interface DocRef {
  kind: ServerKind;
  /** y-websocket `serverUrl` (without the room), for a given port. */
  base(port: number): string;
  /** y-websocket room / Hocuspocus document name. */
  room: string;
  /** The WebSocket URL a raw client opens. */
  url(port: number): string;
  /** Sec-WebSocket-Protocol values (Varde's token); empty for the peers. */
  protocols: string[];
  /** Varde only: the registered plan. */
  planId?: string;
}

/**
 * Settings every Varde instance gets here: the HTTP rate limits are lifted because the bench
 * registers hundreds of plans from one address; sync limits stay at their defaults unless a
 * scenario says otherwise.
 */
const VARDE_BENCH = { registerPerMinute: 1_000_000, apiPerMinute: 1_000_000, redeemPerMinute: 1_000_000 };

export class Target {
  private nextId = 1;
  private waiting = new Map<number, (m: MemSample) => void>();
  private docCount = 0;
  private exited: Promise<void>;
  private stopping = false;
  /** Rejects if the server process dies before `stop()`: a scenario races against it. */
  readonly crashed: Promise<never>;
  stderr = '';

  private constructor(
    readonly kind: ServerKind,
    readonly child: ChildProcess,
    readonly port: number,
    readonly dataDir: string,
  ) {
    child.on('message', (raw) => {
      const m = raw as { type: string; id?: number; mem?: MemSample };
      if (m.type === 'mem' && m.id !== undefined) {
        this.waiting.get(m.id)?.(m.mem!);
        this.waiting.delete(m.id);
      }
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.crashed = new Promise<never>((_resolve, reject) => {
      child.once('exit', (code, signal) => {
        if (!this.stopping)
          reject(new Error(`${kind} server died (${code ?? signal}): ${this.stderr.slice(-1500)}`));
      });
    });
    this.crashed.catch(() => {});
  }

  get label(): string {
    return LABELS[this.kind];
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start(kind: ServerKind, varde: Record<string, unknown> = {}): Promise<Target> {
    const dataDir = mkdtempSync(join(tmpdir(), `varde-bench-${kind}-`));
    const options: ChildOptions = { dataDir, varde: { ...VARDE_BENCH, ...varde } };
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', CHILD, kind, JSON.stringify(options)],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < 20_000) stderr += d.toString();
    });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind} did not start: ${stderr}`)), 30_000);
      child.on('message', (m: { type: string; port?: number }) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          resolve(m.port!);
        }
      });
      child.once('exit', (code) => reject(new Error(`${kind} exited (${code}): ${stderr}`)));
    });
    const target = new Target(kind, child, port, dataDir);
    child.stderr!.on('data', (d: Buffer) => {
      if (target.stderr.length < 20_000) target.stderr += d.toString();
    });
    return target;
  }

  /** Memory as the server process reports it, after two full GCs when `gc`. */
  mem(gc = true): Promise<MemSample> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.kind}: no memory answer`)), 30_000);
      this.waiting.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.child.send({ type: 'mem', id, gc });
    });
  }

  /** Current RSS from /proc without disturbing the process (for sampling peaks). */
  rssNow(): number {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  }

  /** Samples RSS every `everyMs` until the returned function is called; it returns the peak. */
  samplePeakRss(everyMs = 20): () => number {
    let peak = this.rssNow();
    const timer = setInterval(() => (peak = Math.max(peak, this.rssNow())), everyMs);
    return () => {
      clearInterval(timer);
      return Math.max(peak, this.rssNow());
    };
  }

  /** `n` fresh documents. On Varde each is the service plan (`plan` doc) of a registered plan. */
  async docs(n: number): Promise<DocRef[]> {
    const first = this.docCount;
    this.docCount += n;
    const ids = Array.from({ length: n }, (_, i) => first + i);
    if (this.kind !== 'varde') return ids.map((i) => this.peerDoc(`bench-doc-${i}`));
    return pool(
      16,
      ids.map(() => () => this.vardeDoc()),
    );
  }

  private peerDoc(room: string): DocRef {
    const kind = this.kind;
    return {
      kind,
      room,
      base: (port) => `ws://${HOST}:${port}`,
      // Hocuspocus multiplexes documents over one socket and names them in every message.
      url: (port) => (kind === 'hocus' ? `ws://${HOST}:${port}` : `ws://${HOST}:${port}/${room}`),
      protocols: [],
    };
  }

  private async vardeDoc(): Promise<DocRef> {
    const http = `http://${HOST}:${this.port}`;
    const planId = newPlanId();
    const reg = await post(`${http}/api/plans`, { planId, name: 'Bench' });
    const secret = reg.memberSecret as string;
    const ref = await this.vardeRef(planId, secret);
    this.ownerSecrets.set(planId, secret);
    return ref;
  }

  private ownerSecrets = new Map<string, string>();

  private async vardeRef(planId: string, secret: string): Promise<DocRef> {
    const tok = await post(`http://${HOST}:${this.port}/api/plans/${planId}/tokens`, undefined, secret);
    return {
      kind: 'varde',
      room: 'plan',
      planId,
      base: (port) => `ws://${HOST}:${port}/sync/${planId}`,
      url: (port) => `ws://${HOST}:${port}/sync/${planId}/plan`,
      protocols: syncProtocols(tok.token as string),
    };
  }

  /**
   * `n` addresses of the same doc for `n` different people: on Varde the owner and members
   * invited as relatives (who may edit the service plan), each with their own token, as many
   * people joining one plan would be (Varde also caps connections per member). The peers
   * know no people: the same address `n` times.
   */
  async members(ref: DocRef, n: number): Promise<DocRef[]> {
    if (this.kind !== 'varde') return Array.from({ length: n }, () => ref);
    const http = `http://${HOST}:${this.port}`;
    const planId = ref.planId!;
    const owner = this.ownerSecrets.get(planId)!;
    const others = await pool(
      16,
      Array.from({ length: n - 1 }, (_, i) => async () => {
        const invite = await post(`${http}/api/plans/${planId}/invites`, { role: 'relative' }, owner);
        const member = await post(`${http}/api/invites/redeem`, {
          code: invite.code,
          name: `Relative ${i + 1}`,
        });
        return this.vardeRef(planId, member.memberSecret as string);
      }),
    );
    return [ref, ...others];
  }

  /** Bytes of the server's database files (main file, WAL, shared memory). */
  dataFiles(): string[] {
    return this.kind === 'varde'
      ? ['varde.sqlite', 'varde.sqlite-wal', 'varde.sqlite-shm'].map((f) => join(this.dataDir, f))
      : [join(this.dataDir, 'hocuspocus.sqlite'), join(this.dataDir, 'hocuspocus.sqlite-journal')];
  }

  /** Graceful stop (finishes writes), then the data directory is removed unless `keep`. */
  async stop({ keep = false } = {}): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode === null) {
      this.child.send({ type: 'stop' });
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
    if (!keep) this.removeData();
  }

  removeData(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

async function post(url: string, body?: unknown, secret?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(secret ? { Authorization: `Bearer ${secret}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
