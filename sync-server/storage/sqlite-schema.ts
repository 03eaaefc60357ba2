/**
 * Schema of the embedded SQLite store. Secrets are stored only as SHA-256 hashes: a copy of
 * the file does not let anyone connect as a member or redeem a pending invite.
 *
 * `SCHEMA_SQL` is version 0, the first release; every later change is a numbered step run once
 * (sqlite-migrate.ts), so a new database and an upgraded one take the
 * same path and end identical. `PRAGMA user_version` records the last step applied.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS plans (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  secret_hash BLOB NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  goals TEXT NOT NULL,
  plan TEXT NOT NULL,
  color TEXT NOT NULL,
  is_owner INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS members_plan ON members (plan_id);
CREATE TABLE IF NOT EXISTS invites (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  code_hash BLOB NOT NULL UNIQUE,
  role TEXT NOT NULL,
  goals TEXT NOT NULL,
  plan TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  used_by TEXT,
  revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS invites_plan ON invites (plan_id);
CREATE TABLE IF NOT EXISTS doc_updates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  doc TEXT NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_updates_doc ON doc_updates (plan_id, doc, id);
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  member_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  doc TEXT,
  target TEXT,
  count INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS audit_plan ON audit (plan_id, id);
`;

/**
 * Version 1: encryption at rest and the hash-chained audit log.
 * - `server_keys`: the fingerprint of the master key, to refuse a wrong one before any write.
 * - `plan_keys`: each plan's data key, wrapped by the master key; gone with the plan.
 * - `doc_updates.kind` (`update`|`snapshot`) is part of each record's associated data;
 *   `data` and `members.name` hold sealed records from now on.
 * - `audit.seq/prev_hash/hash` chain each plan's log; `audit_heads` authenticate its end.
 *   Triggers make the log append-only (a plan's deletion still removes its log).
 */
export const SCHEMA_V1_SQL = `
CREATE TABLE server_keys (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  master_key_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE plan_keys (
  plan_id TEXT PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
  wrapped BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
ALTER TABLE doc_updates ADD COLUMN kind TEXT NOT NULL DEFAULT 'update';
ALTER TABLE audit ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit ADD COLUMN prev_hash BLOB;
ALTER TABLE audit ADD COLUMN hash BLOB;
CREATE TABLE audit_heads (
  plan_id TEXT PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  hash BLOB NOT NULL,
  mac BLOB NOT NULL
);
`;

/** Created after existing rows are encrypted and chained, so the upgrade itself may write them. */
export const APPEND_ONLY_SQL = `
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
WHEN EXISTS (SELECT 1 FROM plans WHERE id = OLD.plan_id)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

/**
 * Version 2: who may register plans (issue 9, defect 7).
 * - `deleted_plans`: a tombstone (SHA-256 of the id, not the id) of every deleted plan, so a
 *   deleted plan's id is never registered again by someone who knew it.
 * - `plans.origin`: a MAC (key derived from the master key) of the address that registered the
 *   plan, for the plans-per-address quota; never the address itself.
 * - `registration_codes`: codes the operator hands out (`npm run registration-code`), stored
 *   as SHA-256 hashes, each good for a number of plans until it expires.
 */
export const SCHEMA_V2_SQL = `
CREATE TABLE deleted_plans (
  id_hash BLOB PRIMARY KEY,
  deleted_at INTEGER NOT NULL
);
ALTER TABLE plans ADD COLUMN origin BLOB;
CREATE INDEX plans_origin ON plans (origin);
CREATE TABLE registration_codes (
  id TEXT PRIMARY KEY,
  code_hash BLOB NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  uses_left INTEGER NOT NULL,
  revoked_at INTEGER
);
`;
