/**
 * The sync server of one fuzz scenario: in this process (fast; stopped gracefully) or as a
 * child process (slow to start; stopped with SIGKILL or SIGTERM). Either way it restarts on
 * the same port and data directory, so clients reconnect to the same address and find what
 * the server had made durable.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../sync-server/server.ts';
import { createLogger } from '../../sync-server/log.ts';
import { removeDir, spawnServer, type ChildServer } from '../server.ts';

export type HostMode = 'inprocess' | 'child';
export type StopHow = 'graceful' | 'kill';

/**
 * Ports come from 20000–31999, below Linux's ephemeral range (32768+), so no port the kernel
 * picks (another test's server on port 0, an outgoing socket) can take one a scenario's
 * server gave up during a restart. The range is cut into blocks of 500; a process claims a
 * block for its life with a lock file, so two processes (a vitest run and `npm run fuzz`, or
 * its workers) never share one: if they did, a client whose server is down would reach the
 * other process's server, be refused with 4401 (another token key), and give up.
 */
const PORT_FLOOR = 20_000;
const BLOCK = 500;
const BLOCKS = 24;
const LOCKS = join(tmpdir(), 'varde-fuzz-ports');
let block: number | null = null;
const taken = new Set<number>();
let cursor = 0;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Claims a free block (or one whose owner has died) for this process. */
function claimBlock(): number {
  mkdirSync(LOCKS, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    for (let b = 0; b < BLOCKS; b++) {
      const path = join(LOCKS, `block-${b}`);
      try {
        writeFileSync(path, String(process.pid), { flag: 'wx' });
        process.once('exit', () => rmSync(path, { force: true }));
        return b;
      } catch {
        const owner = Number(readFileSync(path, 'utf8'));
        if (attempt === 0 && owner && !alive(owner)) rmSync(path, { force: true });
      }
    }
  }
  throw new Error(`no free port block for a fuzz server (${LOCKS})`);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function reservePort(): Promise<number> {
  block ??= claimBlock();
  for (let tries = 0; tries < BLOCK; tries++) {
    const port = PORT_FLOOR + block * BLOCK + (cursor++ % BLOCK);
    if (taken.has(port)) continue;
    taken.add(port);
    if (await portFree(port)) return port;
    taken.delete(port);
  }
  throw new Error('no free port for a fuzz server');
}

/**
 * Data directories in memory when the machine has /dev/shm: the server still fsyncs every
 * commit, which costs nothing there, so thousands of scenarios do not wait on the disk.
 * SIGKILL keeps what reached the page cache either way: only a power cut would differ.
 */
const DATA_ROOT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

/** `tokenTtlSeconds` is short (2 s in the fuzz), so tokens expire during offline stretches. */
export interface HostOptions {
  readonly mode: HostMode;
  readonly tokenTtlSeconds: number;
}

/** Limits raised so that only the fuzz decides when clients fail: 5 devices share 127.0.0.1. */
const LIMITS = {
  registerPerMinute: 100_000,
  redeemPerMinute: 100_000,
  apiPerMinute: 1_000_000,
  messagesPerSecond: 10_000,
  messageBurst: 10_000,
} as const;

export class FuzzHost {
  url = '';
  up = false;
  /** Server log lines at warn and above (in-process), or the child's output: printed on failure. */
  readonly logs: string[] = [];
  private running: RunningServer | null = null;
  private child: ChildServer | null = null;
  private childLogs = '';

  private constructor(
    readonly options: HostOptions,
    readonly port: number,
    readonly dataDir: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(options: HostOptions): Promise<FuzzHost> {
    const host = new FuzzHost(options, await reservePort(), mkdtempSync(join(DATA_ROOT, 'varde-fuzz-')));
    await host.start();
    return host;
  }

  async start(): Promise<void> {
    if (this.up) return;
    // A restart can race the old socket's release for a moment; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        if (this.options.mode === 'inprocess') await this.startInProcess();
        else await this.startChild();
        this.up = true;
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  private async startInProcess(): Promise<void> {
    this.running = await startServer({
      port: this.port,
      dataDir: this.dataDir,
      tokenTtlSeconds: this.options.tokenTtlSeconds,
      ...LIMITS,
      logger: createLogger('warn', (line) => {
        if (this.logs.length < 200) this.logs.push(line.trimEnd());
      }),
    });
  }

  private async startChild(): Promise<void> {
    const child = await spawnServer({
      PORT: String(this.port),
      VARDE_DATA_DIR: this.dataDir,
      VARDE_TOKEN_TTL_SECONDS: String(this.options.tokenTtlSeconds),
      VARDE_LOG_LEVEL: 'warn',
      VARDE_REGISTER_PER_MINUTE: String(LIMITS.registerPerMinute),
      VARDE_REDEEM_PER_MINUTE: String(LIMITS.redeemPerMinute),
      VARDE_API_PER_MINUTE: String(LIMITS.apiPerMinute),
      VARDE_MESSAGES_PER_SECOND: String(LIMITS.messagesPerSecond),
      VARDE_MESSAGE_BURST: String(LIMITS.messageBurst),
    });
    this.child = child;
  }

  /** Stops the server: `kill` is SIGKILL for a child; in this process both are a graceful close. */
  async stop(how: StopHow): Promise<void> {
    if (!this.up) return;
    this.up = false;
    if (this.running) {
      const running = this.running;
      this.running = null;
      await running.close();
    }
    if (this.child) {
      const child = this.child;
      this.child = null;
      child.child.kill(how === 'kill' ? 'SIGKILL' : 'SIGTERM');
      await child.exited;
      this.childLogs += child.output().slice(-4000);
    }
  }

  /** What the server said, for a failure report. */
  output(): string {
    return [...this.logs, this.childLogs, this.child?.output().slice(-4000) ?? ''].filter(Boolean).join('\n');
  }

  async dispose(): Promise<void> {
    await this.stop('kill');
    taken.delete(this.port);
    removeDir(this.dataDir);
  }
}
