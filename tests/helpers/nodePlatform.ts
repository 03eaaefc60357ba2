import 'fake-indexeddb/auto';
import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';
import type { ChannelLike, Platform } from '../../core/sync/index.ts';

/**
 * The browser platform's twin for Node tests: real y-indexeddb over fake-indexeddb, and
 * Node's own BroadcastChannel, so two "pages" in one test talk as pages in Chromium do.
 * `scope` keeps parallel tests apart (channel names include it).
 */
export function nodePlatform(scope = ''): Platform {
  return {
    persist: (name: string, doc: Y.Doc) => new IndexeddbPersistence(`${scope}${name}`, doc),
    channel: (name: string) => new BroadcastChannel(`${scope}${name}`) as unknown as ChannelLike,
  };
}
