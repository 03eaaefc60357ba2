import 'fake-indexeddb/auto';
import type * as Y from 'yjs';
import type { ChannelLike, Platform } from '../../core/sync/index.ts';
import { persist } from '../../hooks/platform.ts';

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
