import * as Y from 'yjs';
import { metaRoot } from './read.ts';
import { SCHEMA_VERSION } from './schema.ts';
import { ORIGIN } from './origins.ts';

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

/**
 * Brings a doc to `SCHEMA_VERSION`, stamping `meta.schemaVersion` in one transaction with origin
 * `migration` unless it is current or newer. Only the device that creates a plan calls it (see
 * `schemaVersionOf`); a newer doc is left untouched and reported as `newer`.
 */
export function migrate(doc: Y.Doc): MigrationResult {
  const meta = metaRoot(doc);
  const raw = meta.get('schemaVersion');
  const version = typeof raw === 'number' && Number.isInteger(raw) && raw > 0 ? raw : null;
  if (version === SCHEMA_VERSION) return { status: 'current' };
  if (version !== null && version > SCHEMA_VERSION) return { status: 'newer', version };
  doc.transact(() => meta.set('schemaVersion', SCHEMA_VERSION), ORIGIN.migration);
  return { status: 'migrated', from: version };
}

/**
 * The schema version a doc says it has, without writing anything: null when unstamped (a new
 * doc, or one written by a client that follows DESIGN.md loosely). Opening a plan only reads
 * this; writing a stamp there would be a write that a member without write access makes on
 * their own replica and the server refuses forever, so their replica could never converge.
 */
export function schemaVersionOf(doc: Y.Doc): number | null {
  const raw = metaRoot(doc).get('schemaVersion');
  return typeof raw === 'number' && Number.isInteger(raw) && raw > 0 ? raw : null;
}
