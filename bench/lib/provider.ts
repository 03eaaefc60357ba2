/**
 * Real clients, as the products ship them: the y-websocket `WebsocketProvider` (Varde's and
 * the reference server's client) and `HocuspocusProvider`. Presence is off in every client so
 * the scenarios compare document sync alone.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { Awareness } from 'y-protocols/awareness';
import { HocuspocusProvider } from '@hocuspocus/provider';
import type { DocRef } from './target.ts';

export interface SyncClient {
  readonly doc: Y.Doc;
  /** Resolves when the provider reports its first full sync. */
  synced(timeoutMs?: number): Promise<void>;
  disconnect(): void;
  connect(): void;
  destroy(): void;
}

const Polyfill = WebSocket as unknown as typeof globalThis.WebSocket;

function waitSynced(
  isSynced: () => boolean,
  subscribe: (f: () => void) => void,
  what: string,
  timeoutMs: number,
) {
  if (isSynced()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: not synced in ${timeoutMs} ms`)), timeoutMs);
    subscribe(() => {
      if (!isSynced()) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

export function openClient(
  ref: DocRef,
  port: number,
  doc = new Y.Doc(),
  { connect = true } = {},
): SyncClient {
  if (ref.kind === 'hocus') {
    const provider = new HocuspocusProvider({
      url: ref.base(port),
      name: ref.room,
      document: doc,
      awareness: null,
      token: 'bench',
      WebSocketPolyfill: Polyfill,
      connect,
    } as ConstructorParameters<typeof HocuspocusProvider>[0]);
    return {
      doc,
      synced: (timeoutMs = 60_000) =>
        waitSynced(
          () => provider.isSynced,
          (f) => provider.on('synced', f),
          'hocuspocus',
          timeoutMs,
        ),
      disconnect: () => provider.disconnect(),
      connect: () => void provider.connect(),
      destroy: () => provider.destroy(),
    };
  }
  const awareness = new Awareness(doc);
  awareness.setLocalState(null);
  const provider = new WebsocketProvider(ref.base(port), ref.room, doc, {
    WebSocketPolyfill: Polyfill,
    protocols: ref.protocols,
    disableBc: true,
    awareness,
    connect,
    maxBackoffTime: 1000,
  });
  return {
    doc,
    synced: (timeoutMs = 60_000) =>
      waitSynced(
        () => provider.synced,
        (f) => provider.on('sync', f),
        ref.kind,
        timeoutMs,
      ),
    disconnect: () => provider.disconnect(),
    connect: () => provider.connect(),
    destroy: () => {
      provider.destroy();
      awareness.destroy();
    },
  };
}
