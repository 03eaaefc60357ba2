import { IndexeddbPersistence } from 'y-indexeddb';
import type { ChannelLike, Platform } from '../core/sync/index.ts';
import type { RemotePlatform } from '../core/sync/remote.ts';

/**
 * The browser's side of core/sync: y-indexeddb for local persistence and BroadcastChannel
 * between the extension's pages (they share one origin, chrome-extension://<id>).
 */
export const browserPlatform: Platform = {
  persist: (name, doc) => new IndexeddbPersistence(name, doc),
  channel: (name) =>
    typeof BroadcastChannel === 'undefined' ? null : (new BroadcastChannel(name) as unknown as ChannelLike),
};

/**
 * What a page needs to connect a plan to its sync server: the browser's own WebSocket and
 * fetch (bound: an unbound `fetch` throws "Illegal invocation").
 */
export const browserRemote: RemotePlatform = {
  WebSocket: typeof WebSocket === 'undefined' ? null : WebSocket,
  fetch: (url, init) => fetch(url, init),
};
