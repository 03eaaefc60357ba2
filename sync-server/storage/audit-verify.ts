/** Verifying the audit log of a data directory, read-only, while the server runs or not. */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadMasterKey, masterKeyPath, type MasterKeySource } from '../crypto/master-key.ts';
import { verifyAuditChain, type AuditReport } from './audit-chain.ts';
import { DB_FILE } from './sqlite-open.ts';

export interface VerifyResult extends AuditReport {
  /** Why the heads could not be checked, if they were not. */
  headsNote: string | null;
}

/**
 * Walks every plan's audit chain in `<dataDir>/varde.sqlite`. With the master key (from
 * `source`, or `<dataDir>/master.key` when present) it also authenticates each chain's head.
 * Throws for a missing database, a database without a chained log, or a wrong master key.
 */
export function verifyDataDir(dataDir: string, source: MasterKeySource = {}): VerifyResult {
  const path = join(dataDir, DB_FILE);
  if (!existsSync(path)) throw new Error(`no database at ${path}`);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const columns = (db.prepare('PRAGMA table_info(audit)').all() as { name: string }[]).map((c) => c.name);
    if (!columns.includes('hash')) {
      throw new Error('this database has no chained audit log yet: start the server once to upgrade it');
    }
    let headKey: Buffer | null = null;
    let headsNote: string | null = null;
    if (source.masterKey || existsSync(masterKeyPath(dataDir, source))) {
      const master = loadMasterKey(dataDir, source, false);
      const stored = db.prepare('SELECT master_key_id FROM server_keys WHERE id = 1').get() as
        { master_key_id: string } | undefined;
      if (stored && stored.master_key_id !== master.id) {
        throw new Error(
          `the master key given (id ${master.id}) is not this database's (id ${stored.master_key_id})`,
        );
      }
      headKey = master.auditHead;
    } else {
      headsNote =
        'no master key available: chain links checked, heads not authenticated (truncation undetectable)';
    }
    return { ...verifyAuditChain(db, headKey), headsNote };
  } finally {
    db.close();
  }
}
