/**
 * The connection token of one plan on one page: fetched, kept in memory only, refreshed
 * before it expires, retried with back-off while no server answers. docs/sync-client.md.
 */
import type { SyncApi, Token } from './api.ts';
import { ClientError } from './errors.ts';

type Timer = ReturnType<typeof setTimeout>;

/** Token retries while no server answers: 1 s doubling to this. */
const MAX_RETRY_MS = 30_000;

export interface TokenEvents {
  /** A fresh token (and the member's access as of now). */
  onToken(token: Token): void;
  /** A request failed. Return true to stop (a refusal); else it is retried with back-off. */
  onError(error: unknown): boolean;
}

/**
 * Keeps one plan's connection token in memory: `refresh` fetches it, a timer renews it a margin before it
 * expires, and failed requests retry from 1 s doubling to 30 s unless `onError` returns true. `stop` ends all
 * timers.
 */
export class TokenKeeper {
  private token: Token | null = null;
  private fetchedAt = 0;
  private inFlight: Promise<void> | null = null;
  private timer: Timer | undefined = undefined;
  private retryMs = 1_000;
  private stopped = false;
  /** The last request found no server (network down, server stopped). */
  unreachable = false;

  constructor(
    private readonly api: SyncApi,
    private readonly planId: string,
    private readonly secret: string,
    private readonly events: TokenEvents,
    /** Refresh this long before expiry (default: a minute, at most a quarter of its life). */
    private readonly marginMs?: number,
  ) {}

  get current(): string | null {
    return this.token?.token ?? null;
  }

  /** Fetches a token now (one request at a time). */
  refresh(): Promise<void> {
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Near expiry by the server's clock (measured here), so a reconnect needs a new one first. */
  stale(): boolean {
    if (!this.token) return true;
    return Date.now() - this.fetchedAt > this.token.ttlMs - this.margin(this.token);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private margin(token: Token): number {
    return this.marginMs ?? Math.min(60_000, token.ttlMs / 4);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), ms);
  }

  private async fetch(): Promise<void> {
    if (this.stopped) return;
    clearTimeout(this.timer);
    let token: Token;
    try {
      token = await this.api.token(this.planId, this.secret);
    } catch (error) {
      if (this.stopped) return;
      this.unreachable = error instanceof ClientError && error.reason === 'offline';
      if (this.events.onError(error)) return;
      // No server, or a passing server fault: try again with back-off (and at once on a 4401).
      this.schedule(this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
      return;
    }
    if (this.stopped) return;
    this.token = token;
    this.fetchedAt = Date.now();
    this.unreachable = false;
    this.retryMs = 1_000;
    this.schedule(Math.max(1_000, token.ttlMs - this.margin(token)));
    this.events.onToken(token);
  }
}
