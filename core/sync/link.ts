/**
 * `DocLink`: one doc of an open plan linked to its sync server by one y-websocket provider,
 * and the state of that link. `PlanRemote` (remote.ts) holds one per doc and turns them into
 * the plan's status. Not exported from core/sync/index.ts (it loads y-websocket).
 */
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import type * as decoding from 'lib0/decoding';
import type * as Y from 'yjs';
import { CLOSE_CODES, isPermissionDeniedReason, type PermissionDeniedReason } from '../access/index.ts';
import type { DocName } from '../model/index.ts';
import { answerInPieces } from './answer-in-pieces.ts';
import type { LinkState, RefusedReason } from './status.ts';

/** Repeated 4401 right after a fresh token means the server does not accept this member. */
const MAX_UNAUTHENTICATED = 3;

/** What a close that ended y-websocket's retries (4400–4499) asks of the plan. */
export type StopOutcome =
  /** 4401: the token expired or was signed by another key; a new one, then on. */
  | { readonly kind: 'refreshToken' }
  /** The device is not let in (revoked, plan deleted, too many 4401 in a row). */
  | { readonly kind: 'refuse'; readonly reason: RefusedReason }
  /** 4403: this doc stays closed until access has been re-read (`unblock`). */
  | { readonly kind: 'recheckAccess' }
  /** 4400 / 4413: one side has a bug; keep the local copy and `retry` later. */
  | { readonly kind: 'retryLater' };

/** What a link tells the plan it belongs to. */
export interface DocLinkEvents {
  /** The link's state changed: the plan's status may have. */
  changed(): void;
  /** An update came from the server (`received`), or a local one went to it on a synced link. */
  exchanged(received: boolean): void;
  /** Synced again after the connection had failed: access may have changed meanwhile. */
  resynced(): void;
  /** The connection dropped while it should be open; y-websocket retries with the protocols it has. */
  dropped(): void;
  /** y-websocket has stopped retrying this doc. */
  stopped(outcome: StopOutcome): void;
  /** The server dropped a write (y-protocols auth `permission-denied`), and why. */
  writeDenied(reason: PermissionDeniedReason): void;
  /** Someone's presence on this doc changed. */
  presence(): void;
}

export interface DocLinkOptions {
  /** `<ws(s) of server>/sync/<planId>`; the room is the doc's name. */
  readonly base: string;
  /** A WebSocket constructor; typed loosely because core/ has no DOM types. */
  readonly WebSocket: unknown;
  /** Cap of y-websocket's reconnect back-off. */
  readonly maxBackoffMs: number;
}

/**
 * One doc's connection and its state machine: connecting, synced, failed (offline or a bad
 * message), blocked (4403 until access is re-read), with the count of local changes made
 * while not synced. It decides what each close code means for this doc and reports to the
 * plan (`DocLinkEvents`), which holds the token, the access and the status across docs.
 */
export class DocLink {
  readonly provider: WebsocketProvider;
  private synced = false;
  private failed = false;
  private pending = 0;
  /** Closed with 4403 since the last token: not reconnected until access is re-read. */
  private blocked = false;
  private unauthenticated = 0;
  private destroyed = false;
  private readonly onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === this.provider) return this.events.exchanged(true);
    if (this.synced) return this.events.exchanged(false);
    this.pending += 1;
    this.events.changed();
  };

  constructor(
    readonly doc: DocName,
    private readonly ydoc: Y.Doc,
    options: DocLinkOptions,
    private readonly events: DocLinkEvents,
  ) {
    const provider = new WebsocketProvider(options.base, doc, ydoc, {
      connect: false,
      // The extension links its pages itself (BroadcastLink).
      disableBc: true,
      WebSocketPolyfill: options.WebSocket as never,
      maxBackoffTime: options.maxBackoffMs,
    });
    this.provider = provider;
    // What the server lacks goes in pieces when one message could not hold it.
    answerInPieces(provider as never, ydoc);
    // y-websocket only logs permission-denied; the person should know.
    provider.messageHandlers[2] = (_encoder: unknown, decoder: decoding.Decoder) => {
      authProtocol.readAuthMessage(decoder, ydoc, (_doc: unknown, reason: string) =>
        events.writeDenied(isPermissionDeniedReason(reason) ? reason : 'writeDenied'),
      );
    };
    provider.on('sync', (synced: boolean) => this.onSync(synced));
    provider.on('connection-close', (event: { code: number } | null) => this.onConnectionClose(event));
    provider.on('connection-error', () => {
      this.failed = true;
      events.changed();
    });
    provider.on('closed', (event: { code: number }) => this.onClosed(event.code));
    provider.awareness.on('change', () => events.presence());
    ydoc.on('update', this.onUpdate);
  }

  get awareness(): Awareness {
    return this.provider.awareness;
  }

  get isSynced(): boolean {
    return this.synced;
  }

  /** Counts in the plan's status: readable with the current access and not blocked. */
  active(readable: boolean): boolean {
    return readable && !this.blocked;
  }

  state(): LinkState {
    return { doc: this.doc, synced: this.synced, failed: this.failed, pending: this.pending };
  }

  /** A new token: a doc closed with 4403 may be tried again. */
  unblock(): void {
    this.blocked = false;
  }

  /** Connects with `protocols` when `readable` and not blocked; disconnects otherwise. */
  reconcile(protocols: string[], readable: boolean): void {
    const { provider } = this;
    provider.protocols = protocols;
    if (this.active(readable)) {
      if (!provider.shouldConnect) provider.connect();
    } else if (provider.shouldConnect || provider.ws) {
      provider.disconnect();
      this.synced = false;
    }
  }

  /** After `retryLater`: connects again. */
  retry(): void {
    this.provider.connect();
  }

  /** The plan refused this device: closes for good. */
  stop(): void {
    this.provider.disconnect();
    this.synced = false;
  }

  /** Sets this device's user in the doc's awareness, when it differs (for carets). */
  setUser(user: { memberId: string; name: string; role: string; color: string }): void {
    const current = this.awareness.getLocalState()?.user as unknown;
    if (JSON.stringify(current) !== JSON.stringify(user)) this.awareness.setLocalStateField('user', user);
  }

  /** The awareness states of everyone else on this doc. */
  peers(): unknown[] {
    const states: unknown[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      if (clientId !== this.awareness.clientID) states.push(state);
    }
    return states;
  }

  /** Closes the connection; the doc stays open and untouched. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.ydoc.off('update', this.onUpdate);
    this.provider.destroy();
    this.provider.awareness.destroy();
  }

  private onSync(synced: boolean): void {
    const wasFailed = this.failed;
    this.synced = synced;
    if (synced) {
      this.failed = false;
      this.pending = 0;
      this.unauthenticated = 0;
      this.events.exchanged(true);
      if (wasFailed) this.events.resynced();
    }
    this.events.changed();
  }

  private onConnectionClose(event: { code: number } | null): void {
    if (this.destroyed) return;
    const ours = event === null && !this.provider.shouldConnect;
    if (!ours && event?.code !== CLOSE_CODES.unauthenticated) this.failed = true;
    this.synced = false;
    if (!ours && this.provider.shouldConnect) this.events.dropped();
    this.events.changed();
  }

  private onClosed(code: number): void {
    if (this.destroyed) return;
    switch (code) {
      case CLOSE_CODES.unauthenticated:
        this.unauthenticated += 1;
        return this.events.stopped(
          this.unauthenticated > MAX_UNAUTHENTICATED
            ? { kind: 'refuse', reason: 'signInFailed' }
            : { kind: 'refreshToken' },
        );
      case CLOSE_CODES.revoked:
        return this.events.stopped({ kind: 'refuse', reason: 'revoked' });
      case CLOSE_CODES.notFound:
        return this.events.stopped({ kind: 'refuse', reason: 'planDeleted' });
      case CLOSE_CODES.forbidden:
        this.blocked = true;
        return this.events.stopped({ kind: 'recheckAccess' });
      default:
        this.failed = true;
        return this.events.stopped({ kind: 'retryLater' });
    }
  }
}
