import * as Y from 'yjs';
import { BroadcastLink, type ChannelLike } from './broadcast.ts';

/** A local store for one doc (y-indexeddb in the browser, fake-indexeddb in Node tests). */
export interface LocalPersistence {
  readonly whenSynced: Promise<unknown>;
  destroy(): Promise<void> | void;
  clearData(): Promise<void>;
}

/**
 * What opening a doc needs from its host, injected so core/ stays free of browser APIs
 * (automerge-repo's adapters are the model).
 */
export interface Platform {
  /** Opens local persistence for `doc` under the database `name`. */
  persist(name: string, doc: Y.Doc): LocalPersistence;
  /** A channel to the other open pages of this extension, or null where there are none. */
  channel(name: string): ChannelLike | null;
}

/** How opening a doc from this device ended; `error` also when it was closed before it loaded. */
export type LocalDocState =
  { readonly status: 'ready' } | { readonly status: 'error'; readonly error: Error };

/**
 * One Y.Doc opened from this device's local persistence (usable at once, online or not) and,
 * once loaded, linked live to the same doc in the other open pages. Plan sessions, the
 * popup's reader and the registry all open their docs through it.
 */
export class LocalDoc {
  readonly doc: Y.Doc;
  /** Settles once the doc has loaded from this device, failed to, or was closed first. */
  readonly ready: Promise<LocalDocState>;
  private readonly persistence: LocalPersistence;
  private link: BroadcastLink | null = null;
  private destroyed = false;
  /** y-indexeddb never resolves a load it was closed during: `destroy` settles `ready` itself. */
  private settleClosed = () => {};

  /** Opens the database `name` into a new doc with the given `guid`. */
  constructor(
    readonly name: string,
    guid: string,
    platform: Platform,
  ) {
    this.doc = new Y.Doc({ guid });
    this.persistence = platform.persist(name, this.doc);
    const closed = new Promise<LocalDocState>((resolve) => {
      this.settleClosed = () => resolve({ status: 'error', error: new Error(`${name} closed`) });
    });
    const loaded = this.persistence.whenSynced.then(
      (): LocalDocState => {
        if (this.destroyed) return { status: 'error', error: new Error(`${name} closed`) };
        this.linkPages(platform.channel(name));
        return { status: 'ready' };
      },
      (error: unknown): LocalDocState => ({
        status: 'error',
        error: error instanceof Error ? error : new Error('could not open local storage'),
      }),
    );
    this.ready = Promise.race([loaded, closed]);
  }

  /**
   * Links the doc to the other open pages once it has loaded from this device. Linked earlier,
   * its first state vector is empty, so every other page answers with its whole doc; that
   * copy arrives before the local load, is decoded, and y-indexeddb stores it as one more
   * update, so each open added a full copy to the database and the next open decoded them
   * all (issue 5). Linked after, the pages exchange only what this device has not stored.
   */
  private linkPages(channel: ChannelLike | null): void {
    if (channel) this.link = new BroadcastLink(this.doc, channel);
  }

  /** Deletes this doc's data from this device. The doc is unusable afterwards. */
  async clearData(): Promise<void> {
    await this.persistence.clearData();
    await this.destroy();
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.settleClosed();
    this.link?.destroy();
    await this.persistence.destroy();
    this.doc.destroy();
  }
}
