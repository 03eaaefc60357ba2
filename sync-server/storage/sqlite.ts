/**
 * The embedded default store: one SQLite file (better-sqlite3, WAL) holding the update log of
 * every doc, plans, members, invites and the audit log. No set-up; see docs/operations.md.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Levels } from '../../core/access/index.ts';
import type { DocStore, MemberRecord, MetaStore, NewAuditEvent, RedeemResult, Storage } from './types.ts';
import { SCHEMA_SQL } from './sqlite-schema.ts';
import { toAudit, toInvite, toMember, type Row } from './sqlite-rows.ts';
import { WriteQueue } from './write-queue.ts';

/** Opens (creating if needed) `<dataDir>/varde.sqlite`. */
export function openSqliteStorage(dataDir: string): Storage {
  // Only the server's user may read plans and the token key.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, 'varde.sqlite'));
  db.pragma('journal_mode = WAL');
  // FULL: a commit is on disk (WAL fsynced) before the server broadcasts the update; the
  // group commit in WriteQueue keeps the fsync count low.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA_SQL);

  const queue = new WriteQueue(db);
  const q = {
    insertUpdate: db.prepare('INSERT INTO doc_updates (plan_id, doc, data) VALUES (?, ?, ?)'),
    loadUpdates: db.prepare('SELECT id, data FROM doc_updates WHERE plan_id = ? AND doc = ? ORDER BY id'),
    deleteUpdatesUpTo: db.prepare('DELETE FROM doc_updates WHERE plan_id = ? AND doc = ? AND id <= ?'),
    insertPlan: db.prepare('INSERT OR IGNORE INTO plans (id, created_at) VALUES (?, ?)'),
    getPlan: db.prepare('SELECT id, created_at FROM plans WHERE id = ?'),
    deletePlan: db.prepare('DELETE FROM plans WHERE id = ?'),
    insertMember: db.prepare(
      `INSERT INTO members (id, plan_id, secret_hash, name, role, goals, plan, color, is_owner, created_at)
       VALUES (@id, @planId, @secretHash, @name, @role, @goals, @plan, @color, @isOwner, @createdAt)`,
    ),
    getMember: db.prepare('SELECT * FROM members WHERE plan_id = ? AND id = ?'),
    memberBySecret: db.prepare('SELECT * FROM members WHERE secret_hash = ?'),
    listMembers: db.prepare('SELECT * FROM members WHERE plan_id = ? ORDER BY created_at, id'),
    updateMember: db.prepare(
      `UPDATE members SET name = @name, role = @role, goals = @goals, plan = @plan, revoked_at = @revokedAt
       WHERE plan_id = @planId AND id = @id`,
    ),
    insertInvite: db.prepare(
      `INSERT INTO invites (id, plan_id, code_hash, role, goals, plan, created_by, created_at, expires_at)
       VALUES (@id, @planId, @codeHash, @role, @goals, @plan, @createdBy, @createdAt, @expiresAt)`,
    ),
    listInvites: db.prepare('SELECT * FROM invites WHERE plan_id = ? ORDER BY created_at, id'),
    revokeInvite: db.prepare(
      'UPDATE invites SET revoked_at = ? WHERE plan_id = ? AND id = ? AND revoked_at IS NULL AND used_at IS NULL',
    ),
    inviteByCode: db.prepare('SELECT * FROM invites WHERE code_hash = ?'),
    useInvite: db.prepare('UPDATE invites SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL'),
    memberColors: db.prepare('SELECT color FROM members WHERE plan_id = ? AND revoked_at IS NULL'),
    insertAudit: db.prepare(
      `INSERT INTO audit (plan_id, at, member_id, kind, doc, target, count)
       VALUES (@planId, @at, @memberId, @kind, @doc, @target, @count)`,
    ),
    listAudit: db.prepare('SELECT * FROM audit WHERE plan_id = ? AND id > ? ORDER BY id LIMIT ?'),
  };

  const docs: DocStore = {
    async loadUpdates(planId, doc) {
      const rows = q.loadUpdates.all(planId, doc) as { data: Buffer }[];
      return rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength));
    },
    appendUpdate(planId, doc, update) {
      return queue.enqueue(() => {
        q.insertUpdate.run(planId, doc, update);
      });
    },
    async compact(planId, doc, merge) {
      db.transaction(() => {
        const rows = q.loadUpdates.all(planId, doc) as { id: number; data: Buffer }[];
        if (rows.length < 2) return;
        const merged = merge(rows.map((r) => new Uint8Array(r.data)));
        q.deleteUpdatesUpTo.run(planId, doc, rows[rows.length - 1]!.id);
        q.insertUpdate.run(planId, doc, merged);
      })();
    },
  };

  const memberParams = (m: MemberRecord, secretHash: Uint8Array) => ({
    id: m.id,
    planId: m.planId,
    secretHash,
    name: m.name,
    role: m.role,
    goals: m.levels.goals,
    plan: m.levels.plan,
    color: m.color,
    isOwner: m.isOwner ? 1 : 0,
    createdAt: m.createdAt,
  });

  const getMember = (planId: string, memberId: string): MemberRecord | null => {
    const row = q.getMember.get(planId, memberId) as Row | undefined;
    return row ? toMember(row) : null;
  };

  const meta: MetaStore = {
    async createPlan(plan, owner, ownerSecretHash) {
      return db.transaction(() => {
        if (q.insertPlan.run(plan.id, plan.createdAt).changes === 0) return false;
        q.insertMember.run(memberParams(owner, ownerSecretHash));
        return true;
      })();
    },
    async getPlan(planId) {
      const row = q.getPlan.get(planId) as Row | undefined;
      return row ? { id: row.id as string, createdAt: row.created_at as number } : null;
    },
    async deletePlan(planId) {
      queue.flush();
      q.deletePlan.run(planId);
    },
    async getMember(planId, memberId) {
      return getMember(planId, memberId);
    },
    async memberBySecretHash(secretHash) {
      const row = q.memberBySecret.get(secretHash) as Row | undefined;
      return row ? toMember(row) : null;
    },
    async listMembers(planId) {
      return (q.listMembers.all(planId) as Row[]).map(toMember);
    },
    async updateMember(planId, memberId, change) {
      return db.transaction(() => {
        const current = getMember(planId, memberId);
        if (!current) return null;
        const next: MemberRecord = { ...current, ...change };
        const levels: Levels = next.levels;
        q.updateMember.run({
          planId,
          id: memberId,
          name: next.name,
          role: next.role,
          goals: levels.goals,
          plan: levels.plan,
          revokedAt: next.revokedAt,
        });
        return next;
      })();
    },
    async createInvite(invite, codeHash) {
      q.insertInvite.run({
        id: invite.id,
        planId: invite.planId,
        codeHash,
        role: invite.role,
        goals: invite.levels.goals,
        plan: invite.levels.plan,
        createdBy: invite.createdBy,
        createdAt: invite.createdAt,
        expiresAt: invite.expiresAt,
      });
    },
    async listInvites(planId) {
      return (q.listInvites.all(planId) as Row[]).map(toInvite);
    },
    async revokeInvite(planId, inviteId, at) {
      return q.revokeInvite.run(at, planId, inviteId).changes > 0;
    },
    async redeemInvite(codeHash, now, makeMember, secretHash): Promise<RedeemResult> {
      return db.transaction((): RedeemResult => {
        const row = q.inviteByCode.get(codeHash) as Row | undefined;
        if (!row) return { ok: false, reason: 'inviteNotFound' };
        const invite = toInvite(row);
        if (invite.revokedAt !== null) return { ok: false, reason: 'inviteNotFound' };
        if (invite.usedAt !== null) return { ok: false, reason: 'inviteUsed' };
        if (invite.expiresAt <= now) return { ok: false, reason: 'inviteExpired' };
        const colors = (q.memberColors.all(invite.planId) as { color: string }[]).map((r) => r.color);
        const member = makeMember(invite, colors);
        q.insertMember.run(memberParams(member, secretHash));
        q.useInvite.run(now, member.id, invite.id);
        return { ok: true, member };
      })();
    },
    appendAudit(events: NewAuditEvent[]) {
      return queue.enqueue(() => {
        for (const e of events) {
          q.insertAudit.run({ ...e, doc: e.doc ?? null, target: e.target ?? null, count: e.count ?? 1 });
        }
      });
    },
    async listAudit(planId, afterId, limit) {
      return (q.listAudit.all(planId, afterId, limit) as Row[]).map(toAudit);
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
  };

  return {
    docs,
    meta,
    async close() {
      queue.flush();
      db.close();
    },
  };
}
