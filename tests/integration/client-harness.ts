/**
 * Devices for the client integration tests: each has its own IndexedDB scope (fake-indexeddb)
 * and registry, opens plans as a page does (PlanSession, then core/sync's `connectPlan` on the
 * registry entry), and closes everything it opened.
 */
import WebSocket from 'ws';
import { nodePlatform } from '../../harness/node-platform.ts';
import { PlanSession, RegistrySession, type FetchLike, type Platform } from '../../core/sync/index.ts';
import { connectPlan } from '../../core/sync/connect.ts';
import type { PlanRemote, PlanRemoteOptions, RemotePlatform } from '../../core/sync/remote.ts';
import type { SyncStatus } from '../../core/sync/status.ts';
import { waitFor } from '../../harness/server.ts';

/** Counts token requests, so tests can tell that a refresh happened. */
export function countingFetch(): { fetch: FetchLike; tokenRequests: () => number } {
  let tokens = 0;
  return {
    fetch: (url, init) => {
      if (url.endsWith('/tokens')) tokens += 1;
      return fetch(url, init);
    },
    tokenRequests: () => tokens,
  };
}

export interface Device {
  readonly name: string;
  readonly platform: Platform;
  readonly registry: RegistrySession;
  readonly remotePlatform: RemotePlatform;
  /** Opens a plan of this device's registry and connects it like a page would. */
  open(
    planId: string,
    options?: Partial<Pick<PlanRemoteOptions, 'refreshMarginMs' | 'maxBackoffMs'>>,
  ): Promise<{ session: PlanSession; remote: PlanRemote }>;
  close(): Promise<void>;
}

// y-websocket adds a process 'exit' listener per provider in Node; tests open many.
process.setMaxListeners(100);

let counter = 0;

export async function device(name: string, fetchLike: FetchLike = (u, i) => fetch(u, i)): Promise<Device> {
  const platform = nodePlatform(`${name}-${process.pid}-${counter++}:`);
  const registry = new RegistrySession(platform);
  await registry.ready;
  const remotePlatform: RemotePlatform = { WebSocket, fetch: fetchLike };
  const opened: { session: PlanSession; remote: PlanRemote }[] = [];
  return {
    name,
    platform,
    registry,
    remotePlatform,
    async open(planId, options = {}) {
      const session = new PlanSession(planId, platform);
      const state = await session.ready;
      if (state.status !== 'ready') throw new Error('plan did not open');
      const remote = connectPlan({
        registry: registry.doc,
        planId,
        docs: session.docs,
        platform: remotePlatform,
        maxBackoffMs: 300,
        ...options,
      });
      if (!remote) throw new Error('plan is not shared on this device');
      opened.push({ session, remote });
      return { session, remote };
    },
    async close() {
      for (const { session, remote } of opened) {
        remote.destroy();
        await session.destroy();
      }
      await registry.destroy();
    },
  };
}

export function statusOf(remote: PlanRemote): SyncStatus {
  return remote.status.getSnapshot();
}

export async function waitForStatus(
  remote: PlanRemote,
  kind: SyncStatus['kind'],
  timeout = 10_000,
): Promise<SyncStatus> {
  await waitFor(() => statusOf(remote).kind === kind, {
    timeout,
    what: `status ${kind} (is ${JSON.stringify(statusOf(remote))})`,
  });
  return statusOf(remote);
}
