import type * as Y from 'yjs';
import { DOC_NAMES, SCHEMA_VERSION, localDbName, schemaVersionOf, type DocName } from '../model/index.ts';
import { LocalDoc, type Platform } from './local.ts';

export type PlanDocs = Readonly<Record<DocName, Y.Doc>>;

/** A doc written by a newer Varde is shown but not changed, so nothing is damaged. */
export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly newerSchema: readonly DocName[] }
  | { readonly status: 'error'; readonly error: Error };

/** One doc of a plan, opened from this device (`LocalDoc`) under its own database. */
export function openPlanDoc(planId: string, name: DocName, platform: Platform): LocalDoc {
  return new LocalDoc(localDbName(planId, name), `${planId}/${name}`, platform);
}

/**
 * The four docs of one plan, each opened from local persistence first (usable at once,
 * online or not) and linked live to the same plan in the extension's other open pages.
 */
export class PlanSession {
  readonly docs: PlanDocs;
  /** Resolves once every doc has loaded from this device and been migrated. */
  readonly ready: Promise<SessionState>;
  private readonly opened: readonly LocalDoc[];
  private destroyed = false;

  constructor(
    readonly planId: string,
    platform: Platform,
  ) {
    const docs = {} as Record<DocName, Y.Doc>;
    const opened: LocalDoc[] = [];
    for (const name of DOC_NAMES) {
      const local = openPlanDoc(planId, name, platform);
      opened.push(local);
      docs[name] = local.doc;
    }
    this.docs = docs;
    this.opened = opened;
    this.ready = Promise.all(opened.map((d) => d.ready)).then((states): SessionState => {
      if (this.destroyed) return { status: 'error', error: new Error('session closed') };
      const failed = states.find((s) => s.status === 'error');
      if (failed) return failed;
      // Opening only reads the schema version. The device that creates a plan stamps it
      // (createPlan); a stamp written here would be a write that a member who may not write
      // the doc (a joiner's `goals` at `comment`) makes locally and the server refuses
      // forever, so that replica would never converge (found by the server fuzz, seed 10).
      return {
        status: 'ready',
        newerSchema: DOC_NAMES.filter((name) => (schemaVersionOf(docs[name]) ?? 0) > SCHEMA_VERSION),
      };
    });
  }

  /** Deletes this plan's data from this device. The session is unusable afterwards. */
  async clearLocalData(): Promise<void> {
    this.destroyed = true;
    await Promise.all(this.opened.map((d) => d.clearData()));
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await Promise.all(this.opened.map((d) => d.destroy()));
  }
}
