/**
 * `PlanRemote`: connects an open plan's four docs to its sync server, one `DocLink` per doc
 * (link.ts), holds the token and the member's access for all of them, and tells the person
 * honestly how it goes (docs/sync-client.md). Not exported from core/sync/index.ts, so pages
 * that never connect (the popup) do not load y-websocket.
 */
import type { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import {
  ApiError,
  SYNC_PATH_PREFIX,
  canRead,
  sameLevels,
  syncProtocols,
  type HelpLine,
  type Levels,
  type PermissionDeniedReason,
} from '../access/index.ts';
import { DOC_NAMES, type DocName } from '../model/index.ts';
import { SyncApi, type FetchLike, type Token } from './api.ts';
import { DocLink, type StopOutcome } from './link.ts';
import { wsBaseOf } from './url.ts';
import type { PlanDocs } from './session.ts';
import { TokenKeeper } from './token.ts';
import {
  ValueStore,
  aggregatePresence,
  aggregateStatus,
  type MemberAccess,
  type Peer,
  type RefusedReason,
  type SyncStatus,
} from './status.ts';

/** What connecting needs from the host: a WebSocket class (the browser's, or `ws`) and fetch. */
export interface RemotePlatform {
  /** A WebSocket constructor; typed loosely because core/ has no DOM types. */
  readonly WebSocket: unknown;
  readonly fetch: FetchLike;
}

export interface PlanRemoteOptions {
  readonly planId: string;
  /** Normalised server URL (`normalizeServerUrl`). */
  readonly server: string;
  readonly secret: string;
  readonly docs: PlanDocs;
  readonly platform: RemotePlatform;
  /** What this device last knew (its registry), so the UI follows access before any answer. */
  readonly access?: MemberAccess | null;
  /** The server told a different access (or name, colour): keep it in the registry. */
  readonly onAccess?: (access: MemberAccess) => void;
  /** The server said which help lines its operator offers (every token answer): keep them. */
  readonly onHelpLines?: (lines: readonly HelpLine[]) => void;
  /** Cap of y-websocket's reconnect back-off. */
  readonly maxBackoffMs?: number;
  /** Refresh the token this long before it expires (default: a minute, at most a quarter of its life). */
  readonly refreshMarginMs?: number;
}

/** y-websocket retries at most this often per doc; offline for days costs nothing more. */
const DEFAULT_MAX_BACKOFF_MS = 5_000;
/** A doc closed with 4400/4413 (a bug on one side) is tried again after this long. */
const BAD_MESSAGE_RETRY_MS = 30_000;

type Timer = ReturnType<typeof setTimeout>;

/**
 * The plan-level side of a connected plan: one token and one access for its four docs, the
 * decision which docs connect, refusal, and the aggregate status and presence people see.
 * Each doc's connection and its state are a `DocLink`.
 */
export class PlanRemote {
  readonly status = new ValueStore<SyncStatus>({ kind: 'connecting', pending: 0 });
  readonly access: ValueStore<MemberAccess | null>;
  /**
   * Why the server last dropped a write (permission-denied), or null: `writeDenied` (access
   * changed; cleared when access is re-read and differs), `docTooLarge` or `storageFull`
   * (the server is full; cleared by the next sync that goes through).
   */
  readonly writeDenied = new ValueStore<PermissionDeniedReason | null>(null);
  readonly presence = new ValueStore<readonly Peer[]>([]);

  private readonly api: SyncApi;
  private readonly links = new Map<DocName, DocLink>();
  private readonly tokens: TokenKeeper;
  private terminal: RefusedReason | null = null;
  private syncedAt: string | null = null;
  private checking: Promise<void> | null = null;
  private destroyed = false;
  private readonly timers = new Set<Timer>();

  constructor(private readonly options: PlanRemoteOptions) {
    this.api = new SyncApi(options.server, options.platform.fetch);
    this.tokens = new TokenKeeper(
      this.api,
      options.planId,
      options.secret,
      { onToken: (t) => this.onToken(t), onError: (e) => this.onTokenError(e) },
      options.refreshMarginMs,
    );
    this.access = new ValueStore<MemberAccess | null>(options.access ?? null);
    const linkOptions = {
      base: `${wsBaseOf(this.api.server)}${SYNC_PATH_PREFIX}${options.planId}`,
      WebSocket: options.platform.WebSocket,
      maxBackoffMs: options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS,
    };
    for (const doc of DOC_NAMES) {
      const link: DocLink = new DocLink(doc, options.docs[doc], linkOptions, {
        changed: () => this.emit(),
        exchanged: (received) => {
          if (!received || this.allSynced()) this.touch();
        },
        resynced: () => this.recheck(),
        dropped: () => {
          // y-websocket retries with the protocols it has; make them fresh first when they are not.
          if (this.tokens.stale()) void this.tokens.refresh();
        },
        stopped: (outcome) => this.onStopped(link, outcome),
        writeDenied: (reason) => this.onWriteDenied(reason),
        presence: () => this.emitPresence(),
      });
      this.links.set(doc, link);
    }
    this.setLocalUser(this.access.getSnapshot());
    this.emit();
    this.emitPresence();
    void this.tokens.refresh();
  }

  /** The awareness of one doc (for Tiptap carets); it exists for the remote's whole life. */
  awarenessOf(doc: DocName): Awareness {
    return this.links.get(doc)!.awareness;
  }

  /** The provider of one doc: tests use it to drop a connection. */
  providerOf(doc: DocName): WebsocketProvider {
    return this.links.get(doc)!.provider;
  }

  /** Closes every connection and stops every timer; the docs stay open and untouched. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.tokens.stop();
    for (const link of this.links.values()) link.destroy();
    this.status.clear();
    this.access.clear();
    this.writeDenied.clear();
    this.presence.clear();
  }

  // ---- token ----

  private onToken(token: Token): void {
    for (const link of this.links.values()) link.unblock();
    if (token.helpLines) this.options.onHelpLines?.(token.helpLines);
    this.applyAccess({
      memberId: token.memberId,
      role: token.role,
      levels: token.levels,
      name: token.name,
      color: token.color,
      isOwner: token.isOwner,
    });
  }

  private onTokenError(error: unknown): boolean {
    if (this.destroyed) return true;
    const refused = this.refuseFor(error);
    // Not refused: the providers keep trying on their own; the status shows offline.
    if (!refused) this.emit();
    return refused;
  }

  // ---- access ----

  /** Re-reads the member's access (`GET /me`) after a reconnect, a close or a denied write. */
  private recheck(): void {
    if (this.checking || this.stopped()) return;
    this.checking = (async () => {
      try {
        const me = await this.api.me(this.options.planId, this.options.secret);
        if (!this.destroyed) this.applyAccess({ ...me });
      } catch (error) {
        if (!this.destroyed) this.refuseFor(error);
      } finally {
        this.checking = null;
      }
    })();
  }

  private applyAccess(access: MemberAccess): void {
    if (this.stopped()) return;
    const before = this.access.getSnapshot();
    const next: MemberAccess = {
      memberId: access.memberId,
      role: access.role,
      levels: access.levels,
      name: access.name,
      color: access.color,
      isOwner: access.isOwner,
    };
    if (!before || !sameLevels(before.levels, next.levels)) this.writeDenied.set(null);
    this.access.set(next);
    if (JSON.stringify(before) !== JSON.stringify(next)) this.options.onAccess?.(next);
    this.setLocalUser(next);
    this.emitPresence();
    this.reconcile();
  }

  /** Connects the docs the member may read with the current token; disconnects the others. */
  private reconcile(): void {
    const token = this.tokens.current;
    if (this.stopped() || !token) return this.emit();
    const protocols = syncProtocols(token);
    for (const link of this.links.values()) link.reconcile(protocols, this.readable(link.doc));
    this.emit();
  }

  private readable(doc: DocName): boolean {
    const levels: Levels | undefined = this.access.getSnapshot()?.levels;
    return levels ? canRead(levels, doc) : true;
  }

  private setLocalUser(access: MemberAccess | null): void {
    if (!access) return;
    // The server stamps the same into what it relays; set here so carets show at once.
    const user = { memberId: access.memberId, name: access.name, role: access.role, color: access.color };
    for (const link of this.links.values()) link.setUser(user);
  }

  // ---- connection events ----

  /** y-websocket has stopped retrying one doc; `outcome` is what its close code asks for. */
  private onStopped(link: DocLink, outcome: StopOutcome): void {
    switch (outcome.kind) {
      case 'refreshToken':
        // Token expired (offline for long) or signed by another server key: a new one, then on.
        void this.tokens.refresh();
        return;
      case 'refuse':
        return this.refuse(outcome.reason);
      case 'recheckAccess':
        this.recheck();
        return this.emit();
      case 'retryLater':
        this.later(() => {
          if (!this.stopped() && this.readable(link.doc)) link.retry();
        }, BAD_MESSAGE_RETRY_MS);
        return this.emit();
    }
  }

  private onWriteDenied(reason: PermissionDeniedReason): void {
    this.writeDenied.set(reason);
    // Only a lowered access is news about the member; a full server is not.
    if (reason === 'writeDenied') this.recheck();
  }

  // ---- refusal ----

  /** Handles an API error that means "this device is not let in"; true when it was one. */
  private refuseFor(error: unknown): boolean {
    if (!(error instanceof ApiError)) return false;
    if (error.reason === 'revoked') this.refuse('revoked');
    else if (error.reason === 'unauthenticated') this.refuse('signInFailed');
    else if (error.reason === 'notFound') this.refuse('planDeleted');
    else return false;
    return true;
  }

  private refuse(reason: RefusedReason): void {
    if (this.terminal) return;
    this.terminal = reason;
    this.tokens.stop();
    for (const link of this.links.values()) link.stop();
    this.emit();
  }

  private stopped(): boolean {
    return this.destroyed || this.terminal !== null;
  }

  // ---- what the person sees ----

  private linked(): DocLink[] {
    return [...this.links.values()].filter((l) => l.active(this.readable(l.doc)));
  }

  private allSynced(): boolean {
    const linked = this.linked();
    return linked.length > 0 && linked.every((l) => l.isSynced);
  }

  /** Marks an exchange with the server now (to the second). */
  private touch(): void {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    if (at !== this.syncedAt) {
      this.syncedAt = at;
      this.emit();
    }
  }

  private emit(): void {
    if (this.destroyed) return;
    const access = this.access.getSnapshot();
    const readableDocs = access ? DOC_NAMES.filter((d) => canRead(access.levels, d)) : DOC_NAMES;
    const refused: RefusedReason | null =
      this.terminal ?? (access && this.tokens.current && readableDocs.length === 0 ? 'noAccess' : null);
    const links = this.linked().map((l) => l.state());
    this.status.set(
      aggregateStatus({ refused, unreachable: this.tokens.unreachable, links, syncedAt: this.syncedAt }),
    );
  }

  private emitPresence(): void {
    if (this.destroyed) return;
    const states = [...this.links.values()].flatMap((l) => l.peers());
    this.presence.set(aggregatePresence(states, this.access.getSnapshot()));
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}
