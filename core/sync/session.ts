import * as Y from 'yjs';
import { DOC_NAMES, SCHEMA_VERSION, localDbName, schemaVersionOf, type DocName } from '../model/index.ts';
import { BroadcastLink, type ChannelLike } from './broadcast.ts';

/** A local store for one doc (y-indexeddb in the browser, fake-indexeddb in Node tests). */
export interface LocalPersistence {
  readonly whenSynced: Promise<unknown>;
  destroy(): Promise<void> | void;
  clearData(): Promise<void>;
}

/**
 * What a session needs from its host, injected so core/ stays free of browser APIs
 * (automerge-repo's adapters are the model).
 */
export interface Platform {
  /** Opens local persistence for `doc` under the database `name`. */
  persist(name: string, doc: Y.Doc): LocalPersistence;
  /** A channel to the other open pages of this extension, or null where there are none. */
  channel(name: string): ChannelLike | null;
}

export type PlanDocs = Readonly<Record<DocName, Y.Doc>>;

/** A doc written by a newer Varde is shown but not changed, so nothing is damaged. */
export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly newerSchema: readonly DocName[] }
  | { readonly status: 'error'; readonly error: Error };

/**
 * The four docs of one plan, each opened from local persistence first (usable at once,
 * online or not) and linked live to the same plan in the extension's other open pages.
 */
export class PlanSession {
  readonly docs: PlanDocs;
  /** Resolves once every doc has loaded from this device and been migrated. */
  readonly ready: Promise<SessionState>;
  private readonly persistence: LocalPersistence[] = [];
  private readonly links: BroadcastLink[] = [];
  private destroyed = false;

  constructor(
    readonly planId: string,
    platform: Platform,
  ) {
    const docs = {} as Record<DocName, Y.Doc>;
    for (const name of DOC_NAMES) {
      const doc = new Y.Doc({ guid: `${planId}/${name}` });
      docs[name] = doc;
      const dbName = localDbName(planId, name);
      const persistence = platform.persist(dbName, doc);
      this.persistence.push(persistence);
      void persistence.whenSynced.then(() => this.link(doc, platform.channel(dbName)));
    }
    this.docs = docs;
    this.ready = Promise.all(this.persistence.map((p) => p.whenSynced)).then(
      (): SessionState => {
        if (this.destroyed) return { status: 'error', error: new Error('session closed') };
        // Opening only reads the schema version. The device that creates a plan stamps it
        // (createPlan); a stamp written here would be a write that a member who may not write
        // the doc (a joiner's `goals` at `comment`) makes locally and the server refuses
        // forever, so that replica would never converge (found by the server fuzz, seed 10).
        return {
          status: 'ready',
          newerSchema: DOC_NAMES.filter((name) => (schemaVersionOf(docs[name]) ?? 0) > SCHEMA_VERSION),
        };
      },
      (error: unknown): SessionState => ({
        status: 'error',
        error: error instanceof Error ? error : new Error('could not open local storage'),
      }),
    );
  }

  /**
   * Links a doc to the other open pages once it has loaded from this device. Linked earlier,
   * its first state vector is empty, so every other page answers with its whole doc; that
   * copy arrives before the local load, is decoded, and y-indexeddb stores it as one more
   * update, so each open added a full copy to the database and the next open decoded them
   * all (issue 5). Linked after, the pages exchange only what this device has not stored.
   */
  private link(doc: Y.Doc, channel: ChannelLike | null): void {
    if (!channel) return;
    if (this.destroyed) channel.close();
    else this.links.push(new BroadcastLink(doc, channel));
  }

  /** Deletes this plan's data from this device. The session is unusable afterwards. */
  async clearLocalData(): Promise<void> {
    await Promise.all(this.persistence.map((p) => p.clearData()));
    await this.destroy();
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const link of this.links) link.destroy();
    await Promise.all(this.persistence.map((p) => p.destroy()));
    for (const doc of Object.values(this.docs)) doc.destroy();
  }
}
