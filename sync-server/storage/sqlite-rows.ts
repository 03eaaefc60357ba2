/** Rows of the SQLite store to records, checked: a damaged row throws instead of granting access. */
import type { DocName } from '../../core/model/schema.ts';
import { isRole, parseLevels } from '../../core/access/index.ts';
import type { AuditEvent, AuditKind, InviteRecord, MemberRecord } from './types.ts';

export type Row = Record<string, unknown>;

/** A `members` row as a record; throws on a row no version of Varde writes. */
export function toMember(row: Row): MemberRecord {
  const levels = parseLevels({ goals: row.goals, plan: row.plan });
  const role = row.role;
  if (!levels || !isRole(role)) throw new Error('corrupt member row');
  return {
    id: row.id as string,
    planId: row.plan_id as string,
    name: row.name as string,
    role,
    levels,
    color: row.color as string,
    isOwner: row.is_owner === 1,
    createdAt: row.created_at as number,
    revokedAt: (row.revoked_at as number | null) ?? null,
  };
}

/** An `invites` row as a record; throws on a row whose role or levels no version of Varde writes. */
export function toInvite(row: Row): InviteRecord {
  const levels = parseLevels({ goals: row.goals, plan: row.plan });
  const role = row.role;
  if (!levels || !isRole(role)) throw new Error('corrupt invite row');
  return {
    id: row.id as string,
    planId: row.plan_id as string,
    role,
    levels,
    createdBy: row.created_by as string,
    createdAt: row.created_at as number,
    expiresAt: row.expires_at as number,
    usedAt: (row.used_at as number | null) ?? null,
    usedBy: (row.used_by as string | null) ?? null,
    revokedAt: (row.revoked_at as number | null) ?? null,
  };
}

/** An `audit` row as a record; its fields are taken as stored, without checks. */
export function toAudit(row: Row): AuditEvent {
  return {
    id: row.id as number,
    planId: row.plan_id as string,
    at: row.at as number,
    memberId: row.member_id as string,
    kind: row.kind as AuditKind,
    doc: (row.doc as DocName | null) ?? null,
    target: (row.target as string | null) ?? null,
    count: row.count as number,
  };
}
