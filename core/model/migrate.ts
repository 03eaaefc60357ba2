import * as Y from 'yjs';
import { metaRoot } from './read.ts';
import { SCHEMA_VERSION } from './schema.ts';

/**
 * The one place where a doc moves forward to the current schema (DESIGN.md). v1 is the
 * first version, so migrating means stamping `meta.schemaVersion`; a later version adds its
 * step here. A doc written by a newer Varde is left untouched and reported, so the UI can
 * open it read-only rather than damage what it does not understand.
 */
export type MigrationResult =
  | { readonly status: 'current' }
  | { readonly status: 'migrated'; readonly from: number | null }
  | { readonly status: 'newer'; readonly version: number };

export function migrate(doc: Y.Doc): MigrationResult {
  const meta = metaRoot(doc);
  const raw = meta.get('schemaVersion');
  const version = typeof raw === 'number' && Number.isInteger(raw) && raw > 0 ? raw : null;
  if (version === SCHEMA_VERSION) return { status: 'current' };
  if (version !== null && version > SCHEMA_VERSION) return { status: 'newer', version };
  doc.transact(() => meta.set('schemaVersion', SCHEMA_VERSION), 'migration');
  return { status: 'migrated', from: version };
}
