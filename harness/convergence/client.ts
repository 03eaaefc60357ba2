/**
 * A fuzzed device: its own fake IndexedDB scope and registry, a PlanSession opened from it and
 * a PlanRemote over real y-websocket, connected from the registry entry by core/sync's
 * `connectPlan` as a page is, with a network that the scenario can cut. Offline means what it
 * means to a browser: fetch rejects, new sockets fail, open sockets die.
 */
import WebSocket from 'ws';
import { nodePlatform } from '../node-platform.ts';
import {
  PlanSession,
  REGISTRY_DB,
  RegistrySession,
  readPlanSecret,
  readRegistry,
  type FetchLike,
  type Platform,
} from '../../core/sync/index.ts';
import { connectPlan } from '../../core/sync/connect.ts';
import type { PlanRemote, RemotePlatform } from '../../core/sync/remote.ts';
import type { MemberAccess } from '../../core/sync/status.ts';
import { DOC_NAMES, localDbName, type DocName } from '../../core/model/index.ts';
import { canRead, canWrite, type Levels } from '../../core/access/index.ts';
import type { Ledger } from './ledger.ts';

/** A port nothing listens on: a socket opened while offline fails at once, as in a browser. */
const DEAD_URL = 'ws://127.0.0.1:9/';

// y-websocket adds a process 'exit' listener per provider in Node; scenarios open hundreds.
process.setMaxListeners(0);

let scopes = 0;
const DEBUG = process.env.FUZZ_DEBUG === '1';

export interface Counters {
  /** Connections closed by the server with 4401 (token expired while away). */
  expiredTokens: number;
  reloads: number;
}

export class FuzzClient {
  online = true;
  /**
   * Refresh the token this long before it expires (the fuzz: half its life). The default, a
   * quarter of the life and at most a minute, leaves a minute at real lives; at the fuzz's 4 s
   * it would leave 1 s, less than the client's estimate can be off (it measures life against
   * the whole-second `Date` header) plus the event loop's lag when dozens of scenarios share it.
   */
  tokenMarginMs: number | undefined = undefined;
  session: PlanSession | null = null;
  remote: PlanRemote | null = null;
  planId = '';
  server = '';
  secret = '';
  access: MemberAccess | null = null;
  readonly platform: Platform;
  readonly registry: RegistrySession;
  private readonly sockets = new Set<WebSocket>();
  readonly fetch: FetchLike;
  private readonly remotePlatform: RemotePlatform;
  private readonly scope: string;

  constructor(
    readonly name: string,
    ledger: Ledger,
    private readonly counters: Counters,
    /** Notable events for the scenario's trace. */
    private readonly log: (line: string) => void = () => {},
  ) {
    this.scope = `fuzz-${process.pid}-${scopes++}-${name}:`;
    const base = nodePlatform(this.scope);
    this.platform = {
      // Every plan doc this device opens is watched: creation, seeding and migrations included.
      persist: (dbName, doc) => {
        const docName = /^varde:[^/]+\/(.+)$/.exec(dbName)?.[1] as DocName | undefined;
        if (docName && (DOC_NAMES as readonly string[]).includes(docName)) ledger.watch(docName, doc, name);
        return base.persist(dbName, doc);
      },
      // One page per device: no other page to link to.
      channel: () => null,
    };
    this.registry = new RegistrySession(this.platform);
    this.fetch = async (url, init) => {
      if (!this.online) throw new TypeError('fetch failed: offline');
      if (!DEBUG || !url.endsWith('/tokens')) return fetch(url, init);
      try {
        const res = await fetch(url, init);
        const text = await res.clone().text();
        this.log(
          `${this.name} token ${res.status} ${text.slice(text.indexOf('expiresAt'), text.indexOf('expiresAt') + 40)}`,
        );
        return res;
      } catch (error) {
        this.log(`${this.name} token request failed: ${String(error)}`);
        throw error;
      }
    };
    const sockets = this.sockets;
    const isOnline = () => this.online;
    class DeviceSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(isOnline() ? url : DEAD_URL, protocols);
        sockets.add(this);
        this.on('close', () => sockets.delete(this));
        this.on('error', () => {});
      }
    }
    this.remotePlatform = { WebSocket: DeviceSocket, fetch: this.fetch };
  }

  get levels(): Levels | null {
    return this.access?.levels ?? null;
  }

  canWrite(doc: DocName): boolean {
    const levels = this.levels;
    return !!levels && canWrite(levels, doc);
  }

  canRead(doc: DocName): boolean {
    const levels = this.levels;
    return !!levels && canRead(levels, doc);
  }

  /** Reads the membership `sharePlan` / `joinPlan` wrote into this device's registry. */
  adopt(planId: string): void {
    const entry = readRegistry(this.registry.doc).plans.find((p) => p.planId === planId);
    const secret = readPlanSecret(this.registry.doc, planId);
    if (!entry?.server || !entry.access || !secret)
      throw new Error(`${this.name}: plan is not shared on this device`);
    this.planId = planId;
    this.server = entry.server;
    this.secret = secret;
    this.access = entry.access;
  }

  async openSession(): Promise<void> {
    const session = new PlanSession(this.planId, this.platform);
    const state = await session.ready;
    if (state.status !== 'ready') throw new Error(`${this.name}: plan did not open`);
    this.session = session;
  }

  /** Connects the open session from the registry entry, as a page does (connectPlan). */
  connect(): void {
    if (!this.session || this.remote) return;
    const remote = connectPlan({
      registry: this.registry.doc,
      planId: this.planId,
      docs: this.session.docs,
      platform: this.remotePlatform,
      // The fuzz compresses days into seconds; y-websocket's retry back-off is capped to match.
      maxBackoffMs: 300,
      ...(this.tokenMarginMs !== undefined ? { refreshMarginMs: this.tokenMarginMs } : {}),
    });
    if (!remote) throw new Error(`${this.name}: plan is not shared on this device`);
    for (const doc of DOC_NAMES) {
      if (DEBUG) {
        remote
          .providerOf(doc)
          .on('sync', (synced: boolean) => this.log(`${this.name} ${doc}: sync ${synced}`));
        remote
          .providerOf(doc)
          .on('status', (e: { status: string }) => this.log(`${this.name} ${doc}: ${e.status}`));
      }
      remote.providerOf(doc).on('connection-close', (event: { code: number } | null) => {
        if (DEBUG) this.log(`${this.name} ${doc}: close ${event?.code}`);
        if (event?.code !== 4401) return;
        this.counters.expiredTokens += 1;
        this.log(`${this.name} ${doc}: 4401 (token expired)`);
      });
    }
    remote.status.subscribe(() => {
      const status = remote.status.getSnapshot();
      if (status.kind === 'refused') this.log(`${this.name} refused: ${status.reason}`);
    });
    this.remote = remote;
  }

  disconnect(): void {
    this.remote?.destroy();
    this.remote = null;
  }

  /** A page reload: everything closed, then opened again from this device's IndexedDB. */
  async reload(): Promise<void> {
    this.counters.reloads += 1;
    this.disconnect();
    await this.session?.destroy();
    this.session = null;
    await this.openSession();
    this.connect();
  }

  goOffline(): void {
    this.online = false;
    for (const s of this.sockets) s.terminate();
  }

  goOnline(): void {
    this.online = true;
  }

  /** Drops one live connection abruptly, as a flaky network does. */
  blip(doc: DocName): void {
    const ws = this.remote?.providerOf(doc).ws as WebSocket | null | undefined;
    ws?.terminate();
  }

  async close(): Promise<void> {
    this.disconnect();
    await this.session?.destroy();
    this.session = null;
    await this.registry.destroy();
    // fake-indexeddb keeps every database for the life of the process: a 10,000-run fuzz
    // would otherwise hold them all.
    const names = [REGISTRY_DB, ...(this.planId ? DOC_NAMES.map((d) => localDbName(this.planId, d)) : [])];
    await Promise.all(
      names.map(
        (n) =>
          new Promise<void>((resolve) => {
            const request = indexedDB.deleteDatabase(`${this.scope}${n}`);
            request.onsuccess = request.onerror = request.onblocked = () => resolve();
          }),
      ),
    );
  }
}
