import * as Y from 'yjs';
import { SCHEMA_VERSION, localDbName, schemaVersionOf, type DocName } from '../model/index.ts';
import { BroadcastLink } from './broadcast.ts';
import type { LocalPersistence, Platform } from './session.ts';

/** One doc opened by a `PlanReader`: usable once `ready` resolves with `status: 'ready'`. */
export interface ReadDoc {
  readonly doc: Y.Doc;
  readonly ready: Promise<ReadDocState>;
}

/** A doc written by a newer Varde is shown as it is (the reader never changes a doc). */
export type ReadDocState =
  | { readonly status: 'ready'; readonly newerSchema: boolean }
  | { readonly status: 'error'; readonly error: Error };

/**
 * Some of a plan's docs, each opened from this device on request and on its own, for a page
 * that only shows them (the popup's crisis card). A `PlanSession` opens all four docs and is
 * ready when the slowest has loaded; a page that needs only the service plan to show who to
 * call opens `plan` first, shows it, and opens `goals` afterwards, and never opens the notes.
 *
 * It writes nothing to the docs: no migration, no stamp (see `PlanSession`). Like every page,
 * it links each doc to the other open pages once loaded, so it follows their edits live, and
 * the local persistence keeps what arrives that way, as in any other page.
 */
export class PlanReader {
  private readonly opened = new Map<DocName, ReadDoc>();
  private readonly persistence: LocalPersistence[] = [];
  private readonly links: BroadcastLink[] = [];
  private destroyed = false;
  /** Settles every pending `ready`: y-indexeddb never resolves a load it was closed during. */
  private readonly closed: Promise<ReadDocState>;
  private close = () => {};

  constructor(
    readonly planId: string,
    private readonly platform: Platform,
  ) {
    this.closed = new Promise((resolve) => {
      this.close = () => resolve({ status: 'error', error: new Error('reader closed') });
    });
  }

  /** Opens `name` from this device, once; later calls return the same doc and promise. */
  open(name: DocName): ReadDoc {
    const known = this.opened.get(name);
    if (known) return known;
    if (this.destroyed) throw new Error('reader closed');
    const doc = new Y.Doc({ guid: `${this.planId}/${name}` });
    const dbName = localDbName(this.planId, name);
    const persistence = this.platform.persist(dbName, doc);
    this.persistence.push(persistence);
    const loaded = persistence.whenSynced.then(
      (): ReadDocState => {
        if (this.destroyed) return { status: 'error', error: new Error('reader closed') };
        // Linked only once loaded, for the reason `PlanSession.link` gives.
        const channel = this.platform.channel(dbName);
        if (channel) this.links.push(new BroadcastLink(doc, channel));
        return { status: 'ready', newerSchema: (schemaVersionOf(doc) ?? 0) > SCHEMA_VERSION };
      },
      (error: unknown): ReadDocState => ({
        status: 'error',
        error: error instanceof Error ? error : new Error('could not open local storage'),
      }),
    );
    const opened = { doc, ready: Promise.race([loaded, this.closed]) };
    this.opened.set(name, opened);
    return opened;
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.close();
    for (const link of this.links) link.destroy();
    await Promise.all(this.persistence.map((p) => p.destroy()));
    for (const { doc } of this.opened.values()) doc.destroy();
  }
}
