/**
 * The embedded default store: one SQLite file (better-sqlite3, WAL) holding the update log of
 * every doc, plans, members, invites and the audit log. No set-up; see docs/operations.md.
 * Doc updates and member names are sealed with their plan's key (docs/reliability.md).
 */
import { createHash, createHmac } from 'node:crypto';
import type { Levels } from '../../core/access/index.ts';
import { DecryptError } from '../crypto/cipher.ts';
import type { MasterKeySource } from '../crypto/master-key.ts';
import type {
  CreatePlanResult,
  DocStore,
  MemberRecord,
  MetaStore,
  NewAuditEvent,
  RedeemResult,
  RegistrationCodeRecord,
  Storage,
} from './types.ts';
import { AuditAppender } from './audit-chain.ts';
import { PlanKeys } from './plan-keys.ts';
import { openDatabase } from './sqlite-open.ts';
import { toAudit, toInvite, toMember, type Row } from './sqlite-rows.ts';
import { WriteQueue } from './write-queue.ts';

/**
 * Opens (creating if needed) `<dataDir>/varde.sqlite` with the master key from `keys` (default
 * `<dataDir>/master.key`, created on first start). Throws `MasterKeyError` for a wrong key.
 */
export function openSqliteStorage(dataDir: string, keys: MasterKeySource = {}): Storage {
  const { db, master } = openDatabase(dataDir, keys);
  const planKeys = new PlanKeys(db, master);
  const auditLog = new AuditAppender(db, master.auditHead);

  const queue = new WriteQueue(db);
  const q = {
    insertUpdate: db.prepare('INSERT INTO doc_updates (plan_id, doc, kind, data) VALUES (?, ?, ?, ?)'),
    // A snapshot's pieces are written after the updates stored while it was made: first.
    loadUpdates: db.prepare(
      "SELECT id, kind, data FROM doc_updates WHERE plan_id = ? AND doc = ? ORDER BY kind = 'snapshot' DESC, id",
    ),
    deleteUpdatesUpTo: db.prepare('DELETE FROM doc_updates WHERE plan_id = ? AND doc = ? AND id <= ?'),
    countUpdatesBetween: db.prepare(
      'SELECT COUNT(*) AS n FROM doc_updates WHERE plan_id = ? AND doc = ? AND id BETWEEN ? AND ?',
    ),
    insertPlan: db.prepare('INSERT OR IGNORE INTO plans (id, created_at, origin) VALUES (?, ?, ?)'),
    getPlan: db.prepare('SELECT id, created_at FROM plans WHERE id = ?'),
    deletePlan: db.prepare('DELETE FROM plans WHERE id = ?'),
    countPlans: db.prepare('SELECT COUNT(*) AS n FROM plans'),
    countPlansFrom: db.prepare('SELECT COUNT(*) AS n FROM plans WHERE origin = ?'),
    insertTombstone: db.prepare('INSERT OR IGNORE INTO deleted_plans (id_hash, deleted_at) VALUES (?, ?)'),
    tombstone: db.prepare('SELECT 1 FROM deleted_plans WHERE id_hash = ?'),
    insertCode: db.prepare(
      `INSERT INTO registration_codes (id, code_hash, created_at, expires_at, uses_left)
       VALUES (@id, @codeHash, @createdAt, @expiresAt, @usesLeft)`,
    ),
    listCodes: db.prepare('SELECT * FROM registration_codes ORDER BY created_at, id'),
    spendCode: db.prepare(
      `UPDATE registration_codes SET uses_left = uses_left - 1
       WHERE code_hash = ? AND uses_left > 0 AND revoked_at IS NULL AND expires_at > ?`,
    ),
    revokeCode: db.prepare(
      'UPDATE registration_codes SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    ),
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
    listAudit: db.prepare('SELECT * FROM audit WHERE plan_id = ? AND id > ? ORDER BY id LIMIT ?'),
  };

  type UpdateRow = { id: number; kind: 'update' | 'snapshot'; data: Buffer };
  const openUpdate = (planId: string, doc: string, r: UpdateRow) => {
    const plain = planKeys.open(planId, doc, r.kind, r.data);
    return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
  };

  const docs: DocStore = {
    async loadUpdates(planId, doc) {
      const rows = q.loadUpdates.all(planId, doc) as UpdateRow[];
      return rows.map((r) => {
        try {
          return openUpdate(planId, doc, r);
        } catch (error) {
          if (!(error instanceof DecryptError)) throw error;
          // A row that does not authenticate (damaged, or moved from another plan or doc) is
          // handed over empty: the room skips it as a damaged update and logs the count.
          return new Uint8Array(0);
        }
      });
    },
    appendUpdate(planId, doc, update) {
      let sealed: Buffer;
      try {
        // Sealed here, outside the commit, so the group transaction stays short.
        sealed = planKeys.seal(planId, doc, 'update', update);
      } catch (error) {
        return Promise.reject(error);
      }
      return queue.enqueue(() => {
        q.insertUpdate.run(planId, doc, 'update', sealed);
      });
    },
    async compact(planId, doc, merge) {
      const rows = q.loadUpdates.all(planId, doc) as UpdateRow[];
      if (rows.length < 2) return;
      // Here a row that does not decrypt throws: folding it away would destroy the evidence.
      const merged = await merge(rows.map((r) => openUpdate(planId, doc, r)));
      // Not in id order (a snapshot's pieces come first), so the ids' range.
      const ids = rows.map((r) => r.id);
      const first = Math.min(...ids);
      const last = Math.max(...ids);
      db.transaction(() => {
        // Only the rows merged are replaced, and only while they are all still there: a plan
        // deleted meanwhile (its key shredded) or a log folded meanwhile is left as it is.
        if (!q.getPlan.get(planId)) return;
        const { n } = q.countUpdatesBetween.get(planId, doc, first, last) as { n: number };
        if (n !== rows.length) return;
        q.deleteUpdatesUpTo.run(planId, doc, last);
        for (const piece of merged) {
          q.insertUpdate.run(planId, doc, 'snapshot', planKeys.seal(planId, doc, 'snapshot', piece));
        }
      })();
      // The folded rows' pages (zeroed by secure_delete) leave the file instead of piling up.
      db.pragma('incremental_vacuum');
    },
  };

  const memberParams = (m: MemberRecord, secretHash: Uint8Array) => ({
    id: m.id,
    planId: m.planId,
    secretHash,
    name: planKeys.sealName(m.planId, m.id, m.name),
    role: m.role,
    goals: m.levels.goals,
    plan: m.levels.plan,
    color: m.color,
    isOwner: m.isOwner ? 1 : 0,
    createdAt: m.createdAt,
  });

  /** A member row with its name opened; a row that does not decrypt throws like a damaged one. */
  const readMember = (row: Row): MemberRecord =>
    toMember({
      ...row,
      name: planKeys.openName(row.plan_id as string, row.id as string, row.name as Buffer),
    });

  const getMember = (planId: string, memberId: string): MemberRecord | null => {
    const row = q.getMember.get(planId, memberId) as Row | undefined;
    return row ? readMember(row) : null;
  };

  const idHash = (planId: string) => createHash('sha256').update(`plan:${planId}`).digest();
  const originMac = (address: string) => createHmac('sha256', master.addressMac).update(address).digest();
  const count = (statement: { get(...args: unknown[]): unknown }, ...args: unknown[]) =>
    (statement.get(...args) as { n: number }).n;

  const meta: MetaStore = {
    async createPlan(plan, owner, ownerSecretHash, rules) {
      const origin = originMac(rules.address);
      return db.transaction((): CreatePlanResult => {
        if (q.getPlan.get(plan.id)) return 'exists';
        if (q.tombstone.get(idHash(plan.id))) return 'deleted';
        if (rules.maxPlans > 0 && count(q.countPlans) >= rules.maxPlans) return 'planLimit';
        if (rules.maxPlansPerAddress > 0 && count(q.countPlansFrom, origin) >= rules.maxPlansPerAddress) {
          return 'addressLimit';
        }
        if (rules.codeHash && q.spendCode.run(rules.codeHash, plan.createdAt).changes === 0) {
          return 'codeInvalid';
        }
        if (q.insertPlan.run(plan.id, plan.createdAt, origin).changes === 0) return 'exists';
        planKeys.create(plan.id);
        q.insertMember.run(memberParams(owner, ownerSecretHash));
        return 'created';
      })();
    },
    async getPlan(planId) {
      const row = q.getPlan.get(planId) as Row | undefined;
      return row ? { id: row.id as string, createdAt: row.created_at as number } : null;
    },
    async deletePlan(planId) {
      queue.flush();
      // The wrapped key goes with the plan (ON DELETE CASCADE): any copy of its rows is now
      // unreadable. secure_delete zeroes the rows; the checkpoint copies the zeroed pages into
      // the file and empties the WAL, which still held older copies of them.
      db.transaction(() => {
        if (q.deletePlan.run(planId).changes > 0) q.insertTombstone.run(idHash(planId), Date.now());
      })();
      planKeys.forget(planId);
      checkpoint();
    },
    async wasDeleted(planId) {
      return q.tombstone.get(idHash(planId)) !== undefined;
    },
    async createRegistrationCode(code, codeHash) {
      q.insertCode.run({
        id: code.id,
        codeHash,
        createdAt: code.createdAt,
        expiresAt: code.expiresAt,
        usesLeft: code.usesLeft,
      });
    },
    async listRegistrationCodes() {
      return (q.listCodes.all() as Row[]).map((r): RegistrationCodeRecord => ({
        id: r.id as string,
        createdAt: r.created_at as number,
        expiresAt: r.expires_at as number,
        usesLeft: r.uses_left as number,
        revokedAt: (r.revoked_at as number | null) ?? null,
      }));
    },
    async revokeRegistrationCode(id, at) {
      return q.revokeCode.run(at, id).changes > 0;
    },
    async getMember(planId, memberId) {
      return getMember(planId, memberId);
    },
    async memberBySecretHash(secretHash) {
      const row = q.memberBySecret.get(secretHash) as Row | undefined;
      return row ? readMember(row) : null;
    },
    async listMembers(planId) {
      return (q.listMembers.all(planId) as Row[]).map(readMember);
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
          name: planKeys.sealName(planId, memberId, next.name),
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
        for (const e of events) auditLog.append(e);
      });
    },
    async listAudit(planId, afterId, limit) {
      return (q.listAudit.all(planId, afterId, limit) as Row[]).map(toAudit);
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async storedBytes() {
      const pages = db.pragma('page_count', { simple: true }) as number;
      const free = db.pragma('freelist_count', { simple: true }) as number;
      return (pages - free) * (db.pragma('page_size', { simple: true }) as number);
    },
  };

  /** TRUNCATE fails only while another connection reads (a backup, `audit:verify`): retry. */
  let checkpointRetry: ReturnType<typeof setTimeout> | null = null;
  const checkpoint = (attempt = 0) => {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (result?.busy && attempt < 30 && !checkpointRetry) {
      checkpointRetry = setTimeout(() => {
        checkpointRetry = null;
        if (db.open) checkpoint(attempt + 1);
      }, 1000);
      checkpointRetry.unref();
    }
  };

  return {
    docs,
    meta,
    async close() {
      queue.flush();
      if (checkpointRetry) clearTimeout(checkpointRetry);
      db.close();
    },
  };
}
