/**
 * Opening the SQLite file: settings, the master-key check, and schema upgrades, in that order,
 * so that a server started with the wrong key stops before it writes anything.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { MasterKey } from '../crypto/cipher.ts';
import { loadMasterKey, MasterKeyError, type MasterKeySource } from '../crypto/master-key.ts';
import { chainExistingRows } from './audit-chain.ts';
import { PlanKeys } from './plan-keys.ts';
import { APPEND_ONLY_SQL, SCHEMA_SQL, SCHEMA_V1_SQL, SCHEMA_V2_SQL } from './sqlite-schema.ts';

export const DB_FILE = 'varde.sqlite';
const LATEST_VERSION = 2;

function configure(db: Database.Database): void {
  // Pages freed by compaction go back to the file system (Storage.compact runs
  // incremental_vacuum), not kept in the file. Set here only on a new, empty file (setting it
  // rewrites the header of any other); an older file is converted once after the key check
  // (useIncrementalVacuum).
  if (db.pragma('page_count', { simple: true }) === 0) db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  // The WAL is emptied by checkpoints but keeps its high-water size on disk unless limited.
  db.pragma('journal_size_limit = 4194304');
  // FULL: a commit is on disk (WAL fsynced) before the server broadcasts the update; the
  // group commit in WriteQueue keeps the fsync count low.
  db.pragma('synchronous = FULL');
  // Deleted rows (a deleted plan, an update log folded into a snapshot) are overwritten with
  // zeros rather than left in free pages.
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

const hasTable = (db: Database.Database, name: string) =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/** Reads the master key and checks it against the fingerprint in the database. Writes nothing. */
function checkMasterKey(db: Database.Database, dataDir: string, source: MasterKeySource): MasterKey {
  const stored = hasTable(db, 'server_keys')
    ? (db.prepare('SELECT master_key_id FROM server_keys WHERE id = 1').get() as
        { master_key_id: string } | undefined)
    : undefined;
  const hasPlanKeys =
    hasTable(db, 'plan_keys') && db.prepare('SELECT 1 FROM plan_keys LIMIT 1').get() !== undefined;
  const master = loadMasterKey(dataDir, source, stored === undefined && !hasPlanKeys);
  if (stored && stored.master_key_id !== master.id) {
    throw new MasterKeyError(
      'mismatch',
      `the master key given (id ${master.id}) is not the one this database was encrypted with ` +
        `(id ${stored.master_key_id}). Start with the right key (VARDE_MASTER_KEY or the file ` +
        '--master-key-file / <data-dir>/master.key). Nothing was changed.',
    );
  }
  return master;
}

/** Version 1: creates the key and chain tables, then encrypts and chains rows written before it. */
function upgradeTo1(db: Database.Database, master: MasterKey): number {
  db.exec(SCHEMA_V1_SQL);
  db.prepare('INSERT INTO server_keys (id, master_key_id, created_at) VALUES (1, ?, ?)').run(
    master.id,
    Date.now(),
  );
  const keys = new PlanKeys(db, master);
  for (const p of db.prepare('SELECT id FROM plans').all() as { id: string }[]) keys.create(p.id);
  let plaintext = 0;
  const setData = db.prepare('UPDATE doc_updates SET data = ? WHERE id = ?');
  for (const r of db.prepare('SELECT id, plan_id, doc, data FROM doc_updates').all() as {
    id: number;
    plan_id: string;
    doc: string;
    data: Buffer;
  }[]) {
    setData.run(keys.seal(r.plan_id, r.doc, 'update', r.data), r.id);
    plaintext++;
  }
  const setName = db.prepare('UPDATE members SET name = ? WHERE id = ?');
  for (const m of db.prepare('SELECT id, plan_id, name FROM members').all() as {
    id: string;
    plan_id: string;
    name: string;
  }[]) {
    setName.run(keys.sealName(m.plan_id, m.id, m.name), m.id);
    plaintext++;
  }
  chainExistingRows(db, master.auditHead);
  db.exec(APPEND_ONLY_SQL);
  return plaintext;
}

/** Brings the schema to the latest version in one transaction. */
function upgrade(db: Database.Database, master: MasterKey): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > LATEST_VERSION) {
    throw new Error(
      `the database is from a newer Varde (schema ${version}; this one knows ${LATEST_VERSION})`,
    );
  }
  if (version === LATEST_VERSION) return;
  let plaintext = 0;
  db.transaction(() => {
    if (version < 1) {
      db.exec(SCHEMA_SQL);
      plaintext += upgradeTo1(db, master);
    }
    if (version < 2) db.exec(SCHEMA_V2_SQL);
    db.pragma(`user_version = ${LATEST_VERSION}`);
  })();
  if (plaintext > 0) {
    // Rows that were stored in clear text before the upgrade: rebuild the file so no page
    // keeps an old copy, and empty the WAL that held the rewrite.
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

/**
 * The database file is readable by the server's user only (0600), whatever the umask: created
 * empty with that mode before SQLite opens it (SQLite gives its WAL and shared-memory files the
 * database file's mode), and tightened, with those, where an older version left them 0644.
 */
function restrictFiles(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path)) chmodSync(path, 0o600);
  }
}

/** AUTO_VACUUM_INCREMENTAL */
const INCREMENTAL = 2;

/**
 * A file created before auto_vacuum was set keeps every freed page; converting it takes one
 * VACUUM, which SQLite runs only outside WAL mode. Done once, after the key check.
 */
function useIncrementalVacuum(db: Database.Database): void {
  if (db.pragma('auto_vacuum', { simple: true }) === INCREMENTAL) return;
  db.pragma('journal_mode = DELETE');
  db.pragma('auto_vacuum = INCREMENTAL');
  db.exec('VACUUM');
  db.pragma('journal_mode = WAL');
}

/**
 * Opens (creating if needed) `<dataDir>/varde.sqlite`. Throws `MasterKeyError` (and leaves
 * the data untouched) when the master key is missing, malformed or not this database's.
 */
export function openDatabase(
  dataDir: string,
  source: MasterKeySource,
): { db: Database.Database; master: MasterKey } {
  // Only the server's user may read plans and the keys.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, DB_FILE);
  restrictFiles(file);
  const db = new Database(file);
  try {
    configure(db);
    const master = checkMasterKey(db, dataDir, source);
    upgrade(db, master);
    useIncrementalVacuum(db);
    restrictFiles(file);
    return { db, master };
  } catch (error) {
    db.close();
    throw error;
  }
}
