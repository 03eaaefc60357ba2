/**
 * The audit log as one hash chain per plan (docs/reliability.md, "Audit log").
 *
 * Row n of a plan holds `seq = n`, `prev_hash` (row n−1's hash, 32 zero bytes for n = 1) and
 * `hash = SHA-256(prev_hash ‖ canonical fields)`. Changing, deleting, inserting or reordering a
 * row breaks the chain at that row. One chain per plan, not one for the server, because
 * deleting a plan deletes its log (the participant's right), which must not break other plans.
 *
 * A chain alone cannot show that its newest rows were cut off, or that all of it was
 * recomputed by someone with write access to the file. So `audit_heads` keeps each plan's last
 * `(seq, hash)` with an HMAC under a key derived from the master key: the verifier, holding the
 * master key, detects truncation and rewriting; a copy of the database alone cannot forge it.
 */
import type Database from 'better-sqlite3';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { NewAuditEvent } from './types.ts';

const ZERO_HASH: Buffer = Buffer.alloc(32);

interface ChainFields {
  planId: string;
  seq: number;
  at: number;
  memberId: string;
  kind: string;
  doc: string | null;
  target: string | null;
  count: number;
}

/** The fields a row's hash covers, in a fixed order; JSON of strings, numbers and null is unambiguous. */
export function canonical(f: ChainFields): string {
  return JSON.stringify([f.planId, f.seq, f.at, f.memberId, f.kind, f.doc, f.target, f.count]);
}

/** A row's hash: SHA-256 of the previous row's hash followed by the row's `canonical` fields. */
export function chainHash(prevHash: Uint8Array, f: ChainFields): Buffer {
  return createHash('sha256').update(prevHash).update(canonical(f), 'utf8').digest();
}

/** The HMAC-SHA256 under `key` (the master key's audit-head key) that authenticates a plan's chain head. */
export function headMac(key: Uint8Array, planId: string, seq: number, hash: Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${planId}\0${seq}\0`).update(hash).digest();
}

/** Appends events to their plans' chains; call inside a write transaction. */
export class AuditAppender {
  private readonly last: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly head: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly headKey: Uint8Array,
  ) {
    this.last = db.prepare('SELECT seq, hash FROM audit WHERE plan_id = ? ORDER BY id DESC LIMIT 1');
    this.insert = db.prepare(
      `INSERT INTO audit (plan_id, at, member_id, kind, doc, target, count, seq, prev_hash, hash)
       VALUES (@planId, @at, @memberId, @kind, @doc, @target, @count, @seq, @prevHash, @hash)`,
    );
    this.head = db.prepare(
      `INSERT INTO audit_heads (plan_id, seq, hash, mac) VALUES (?, ?, ?, ?)
       ON CONFLICT (plan_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac`,
    );
  }

  append(e: NewAuditEvent): void {
    const prev = this.last.get(e.planId) as { seq: number; hash: Buffer } | undefined;
    const f: ChainFields = {
      planId: e.planId,
      seq: (prev?.seq ?? 0) + 1,
      at: e.at,
      memberId: e.memberId,
      kind: e.kind,
      doc: e.doc ?? null,
      target: e.target ?? null,
      count: e.count ?? 1,
    };
    const prevHash = prev?.hash ?? ZERO_HASH;
    const hash = chainHash(prevHash, f);
    this.insert.run({ ...f, prevHash, hash });
    this.head.run(f.planId, f.seq, hash, headMac(this.headKey, f.planId, f.seq, hash));
  }
}

/** Chains every row already in the table (upgrading a database from before the chain). */
export function chainExistingRows(db: Database.Database, headKey: Uint8Array): number {
  const rows = db.prepare('SELECT * FROM audit ORDER BY plan_id, id').all() as Record<string, unknown>[];
  const update = db.prepare('UPDATE audit SET seq = ?, prev_hash = ?, hash = ? WHERE id = ?');
  const head = db.prepare('INSERT OR REPLACE INTO audit_heads (plan_id, seq, hash, mac) VALUES (?, ?, ?, ?)');
  let planId = '';
  let prev: Buffer = ZERO_HASH;
  let seq = 0;
  const finish = () => {
    if (seq > 0) head.run(planId, seq, prev, headMac(headKey, planId, seq, prev));
  };
  for (const r of rows) {
    if (r.plan_id !== planId) {
      finish();
      planId = r.plan_id as string;
      prev = ZERO_HASH;
      seq = 0;
    }
    seq++;
    const hash = chainHash(prev, fieldsOf({ ...r, seq }));
    update.run(seq, prev, hash, r.id);
    prev = hash;
  }
  finish();
  return rows.length;
}

function fieldsOf(r: Record<string, unknown>): ChainFields {
  return {
    planId: r.plan_id as string,
    seq: r.seq as number,
    at: r.at as number,
    memberId: r.member_id as string,
    kind: r.kind as string,
    doc: (r.doc as string | null) ?? null,
    target: (r.target as string | null) ?? null,
    count: r.count as number,
  };
}

export interface AuditBreak {
  planId: string;
  /** The audit row id where the chain breaks (null when the break is after the last row). */
  rowId: number | null;
  problem: string;
}

export interface AuditReport {
  plans: number;
  rows: number;
  /** The first break of each broken plan, in row order. Empty when the log verifies. */
  breaks: AuditBreak[];
  /** Whether the heads' HMACs were checked (needs the master key). */
  headsChecked: boolean;
  /** Each plan's last hash (hex), to record elsewhere: a later rollback to an older state shows. */
  heads: { planId: string; seq: number; hash: string }[];
}

const same = (a: unknown, b: Uint8Array) =>
  a instanceof Uint8Array && a.length === b.length && timingSafeEqual(a, b);

/** Walks every plan's chain; reports the first broken link of each. Reads only. */
export function verifyAuditChain(db: Database.Database, headKey: Uint8Array | null): AuditReport {
  const heads = new Map(
    (
      db.prepare('SELECT * FROM audit_heads').all() as {
        plan_id: string;
        seq: number;
        hash: Buffer;
        mac: Buffer;
      }[]
    ).map((h) => [h.plan_id, h]),
  );
  const report: AuditReport = { plans: 0, rows: 0, breaks: [], headsChecked: headKey !== null, heads: [] };
  const walk = db.prepare('SELECT * FROM audit ORDER BY plan_id, id').iterate() as Iterable<
    Record<string, unknown>
  >;
  let planId: string | null = null;
  let prev: Buffer = ZERO_HASH;
  let prevId: number | null = null;
  let seq = 0;
  let broken = false;

  const endPlan = () => {
    if (planId === null) return;
    const head = heads.get(planId);
    heads.delete(planId);
    if (broken) return;
    report.heads.push({ planId, seq, hash: prev.toString('hex') });
    const at = (problem: string) => report.breaks.push({ planId: planId!, rowId: null, problem });
    if (!head) return at(`the head record is missing (last row ${prevId})`);
    if (headKey && !same(head.mac, headMac(headKey, planId, head.seq, head.hash)))
      return at('the head record does not authenticate with this master key (forged or rewritten)');
    if (head.seq !== seq || !same(head.hash, prev))
      return at(
        `rows after row ${prevId} (seq ${seq}) are missing: the head says the chain ends at seq ${head.seq}`,
      );
  };

  for (const r of walk) {
    const rowPlan = r.plan_id as string;
    if (rowPlan !== planId) {
      endPlan();
      planId = rowPlan;
      prev = ZERO_HASH;
      prevId = null;
      seq = 0;
      broken = false;
      report.plans++;
    }
    report.rows++;
    if (broken) continue;
    const id = r.id as number;
    const f = fieldsOf(r);
    const fail = (problem: string) => {
      broken = true;
      report.breaks.push({ planId: rowPlan, rowId: id, problem });
    };
    const after = prevId === null ? 'at the start of the chain' : `after row ${prevId}`;
    if (f.seq !== seq + 1) {
      fail(
        f.seq > seq + 1
          ? `row ${id} has seq ${f.seq} ${after}, which has seq ${seq}: rows were deleted or moved`
          : `row ${id} has seq ${f.seq} ${after}, which has seq ${seq}: rows were reordered or duplicated`,
      );
    } else if (!same(r.prev_hash, prev)) {
      fail(`row ${id} does not link to the row before it (${after}): a row was changed, removed or inserted`);
    } else if (!same(r.hash, chainHash(prev, f))) {
      fail(`row ${id} was changed: its hash does not match its fields`);
    }
    prev = Buffer.isBuffer(r.hash) ? r.hash : ZERO_HASH;
    prevId = id;
    seq = f.seq;
  }
  endPlan();
  for (const [orphan, h] of heads) {
    report.breaks.push({
      planId: orphan,
      rowId: null,
      problem: `all ${h.seq} rows of this plan's chain were deleted, but its head remains`,
    });
  }
  report.breaks.sort((a, b) => (a.rowId ?? Infinity) - (b.rowId ?? Infinity));
  return report;
}
