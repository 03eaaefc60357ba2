import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { ChannelLike, Platform } from '../core/sync/index.ts';
import type { RemotePlatform } from '../core/sync/remote.ts';

/**
 * y-indexeddb, listening for the doc's updates only once it has loaded. While anything listens
 * for `update`, Yjs encodes every transaction as an update, and loading a stored plan is one
 * transaction as large as the plan (50 ms for two years of use, issue 5), which y-indexeddb
 * then skips as its own. Nothing is lost: a change made during the load (sessions wait for it,
 * so none is expected) is noticed and stored as the doc's state.
 */
export function persist(name: string, doc: Y.Doc): IndexeddbPersistence {
  const persistence = new IndexeddbPersistence(name, doc);
  let changedWhileLoading = false;
  const notice = (transaction: Y.Transaction) => {
    if (transaction.origin !== persistence) changedWhileLoading = true;
  };
  doc.off('update', persistence._storeUpdate);
  doc.on('afterTransaction', notice);
  void persistence.whenSynced.then(() => {
    doc.off('afterTransaction', notice);
    if (persistence._destroyed) return;
    doc.on('update', persistence._storeUpdate);
    if (changedWhileLoading) persistence._storeUpdate(Y.encodeStateAsUpdate(doc), null);
  });
  return persistence;
}

/**
 * The browser's side of core/sync: y-indexeddb for local persistence and BroadcastChannel
 * between the extension's pages (they share one origin, chrome-extension://<id>).
 */
export const browserPlatform: Platform = {
  persist,
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
