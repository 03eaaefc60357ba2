import 'fake-indexeddb/auto';
import type * as Y from 'yjs';
import type { ChannelLike, Platform } from '../core/sync/index.ts';
import { persist } from '../hooks/platform.ts';

/**
 * The browser platform's twin for Node tests: its own y-indexeddb persistence over fake-indexeddb, and
 * Node's own BroadcastChannel, so two "pages" in one test talk as pages in Chromium do.
 * `scope` keeps parallel tests apart (channel names include it).
 */
export function nodePlatform(scope = ''): Platform {
  return {
    persist: (name: string, doc: Y.Doc) => persist(`${scope}${name}`, doc),
    channel: (name: string) => new BroadcastChannel(`${scope}${name}`) as unknown as ChannelLike,
  };
}

/** Bytes and number of updates a doc's IndexedDB database holds (y-indexeddb's `updates` store). */
export function storedUpdates(name: string): Promise<{ bytes: number; count: number }> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const all = db.transaction('updates').objectStore('updates').getAll();
      all.onsuccess = () => {
        db.close();
        const updates = all.result as Uint8Array[];
        resolve({ bytes: updates.reduce((n, u) => n + u.byteLength, 0), count: updates.length });
      };
      all.onerror = () => reject(all.error);
    };
  });
}
