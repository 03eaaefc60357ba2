import type * as Y from 'yjs';
import { SCHEMA_VERSION, schemaVersionOf, type DocName } from '../model/index.ts';
import type { LocalDoc, Platform } from './local.ts';
import { openPlanDoc } from './session.ts';

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
 * it links each doc to the other open pages once loaded (`LocalDoc`), so it follows their
 * edits live, and the local persistence keeps what arrives that way, as in any other page.
 */
export class PlanReader {
  private readonly opened = new Map<DocName, { local: LocalDoc; read: ReadDoc }>();
  private destroyed = false;

  constructor(
    readonly planId: string,
    private readonly platform: Platform,
  ) {}

  /** Opens `name` from this device, once; later calls return the same doc and promise. */
  open(name: DocName): ReadDoc {
    const known = this.opened.get(name);
    if (known) return known.read;
    if (this.destroyed) throw new Error('reader closed');
    const local = openPlanDoc(this.planId, name, this.platform);
    const ready = local.ready.then((state): ReadDocState =>
      state.status === 'error'
        ? state
        : { status: 'ready', newerSchema: (schemaVersionOf(local.doc) ?? 0) > SCHEMA_VERSION },
    );
    const read = { doc: local.doc, ready };
    this.opened.set(name, { local, read });
    return read;
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await Promise.all([...this.opened.values()].map(({ local }) => local.destroy()));
  }
}
