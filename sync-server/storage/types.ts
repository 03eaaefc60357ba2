/**
 * Storage interfaces of the sync server. Small on purpose (automerge-repo's storage adapter is
 * the model): the embedded SQLite store implements them today, a Postgres store can later.
 * Every method is async so a networked database fits the same shape.
 */
import type { DocName } from '../../core/model/schema.ts';
import type { Levels, Role } from '../../core/access/index.ts';

/** The Yjs update log of every doc. */
export interface DocStore {
  /**
   * Every stored update of one doc, in order: the snapshot's pieces first (after a
   * compaction), then the updates stored since.
   */
  loadUpdates(planId: string, doc: DocName): Promise<Uint8Array[]>;
  /**
   * Makes one update durable. The promise resolves only after the update is committed (the
   * server broadcasts it only then). Implementations may batch concurrent calls into one
   * commit; resolution order equals call order.
   */
  appendUpdate(planId: string, doc: DocName, update: Uint8Array): Promise<void>;
  /**
   * Replaces the doc's log with a snapshot made by `merge` from the whole log: one or more
   * updates (pieces, applied in the order given), atomically: a crash leaves either the old
   * log or the new snapshot. `merge` may take its time (the server merges in turns of its fair
   * queue): updates appended meanwhile stay after the snapshot (`loadUpdates` gives them after
   * its pieces), and if the log was replaced or the plan deleted meanwhile, nothing is written.
   */
  compact(
    planId: string,
    doc: DocName,
    merge: (updates: Uint8Array[]) => Uint8Array[] | Promise<Uint8Array[]>,
  ): Promise<void>;
}

export interface PlanRecord {
  id: string;
  createdAt: number;
}

export interface MemberRecord {
  id: string;
  planId: string;
  name: string;
  role: Role;
  levels: Levels;
  color: string;
  isOwner: boolean;
  createdAt: number;
  revokedAt: number | null;
}

export interface InviteRecord {
  id: string;
  planId: string;
  role: Role;
  levels: Levels;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  usedBy: string | null;
  revokedAt: number | null;
}

export const AUDIT_KINDS = [
  'plan.registered',
  'invite.created',
  'invite.revoked',
  'invite.redeemed',
  'member.changed',
  'member.revoked',
  'doc.connected',
  'doc.read',
  'doc.wrote',
  'doc.writeDenied',
  'doc.disconnected',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** One audit event: who did what to which doc or member, when. Never content. */
export interface AuditEvent {
  id: number;
  planId: string;
  at: number;
  /** The member who acted. */
  memberId: string;
  kind: AuditKind;
  doc: DocName | null;
  /** The member or invite acted upon, if any. */
  target: string | null;
  /** For coalesced events (`doc.wrote`, `doc.writeDenied`): how many updates. */
  count: number;
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'count'> & { count?: number };

export type RedeemResult =
  | { ok: true; member: MemberRecord }
  | { ok: false; reason: 'inviteNotFound' | 'inviteUsed' | 'inviteExpired' };

/**
 * What a new plan must satisfy, checked in the same transaction that creates it so that two
 * registrations at once cannot both take the last place.
 */
export interface RegistrationRules {
  /** The client address it comes from (its counting key); stored only as a keyed MAC. */
  address: string;
  /** A registration code's hash, spent by this plan; null when the server takes plans without. */
  codeHash: Uint8Array | null;
  /** Most plans in all, and from one address (0: no bound). Deleted plans do not count. */
  maxPlans: number;
  maxPlansPerAddress: number;
}

export type CreatePlanResult =
  | 'created'
  | 'exists'
  /** The id belonged to a plan that was deleted: ids are never registered twice. */
  | 'deleted'
  | 'codeInvalid'
  | 'planLimit'
  | 'addressLimit';

/** A code the operator hands out to let plans be registered (`npm run registration-code`). */
export interface RegistrationCodeRecord {
  id: string;
  createdAt: number;
  expiresAt: number;
  /** Plans it may still register. */
  usesLeft: number;
  revokedAt: number | null;
}

/** Plans, members, invites and the audit log. */
export interface MetaStore {
  /**
   * Creates the plan and its owner in one step, if the id is free (never used, never deleted)
   * and the rules allow it; a registration code is spent only when the plan is created.
   */
  createPlan(
    plan: PlanRecord,
    owner: MemberRecord,
    ownerSecretHash: Uint8Array,
    rules: RegistrationRules,
  ): Promise<CreatePlanResult>;
  getPlan(planId: string): Promise<PlanRecord | null>;
  /**
   * Deletes the plan with its docs, members, invites and audit log, and keeps a tombstone
   * (a hash of its id) so the id cannot be registered again.
   */
  deletePlan(planId: string): Promise<void>;
  /** True when a plan with this id was registered and deleted. */
  wasDeleted(planId: string): Promise<boolean>;

  createRegistrationCode(code: RegistrationCodeRecord, codeHash: Uint8Array): Promise<void>;
  listRegistrationCodes(): Promise<RegistrationCodeRecord[]>;
  revokeRegistrationCode(id: string, at: number): Promise<boolean>;

  getMember(planId: string, memberId: string): Promise<MemberRecord | null>;
  memberBySecretHash(secretHash: Uint8Array): Promise<MemberRecord | null>;
  listMembers(planId: string): Promise<MemberRecord[]>;
  updateMember(
    planId: string,
    memberId: string,
    change: Partial<Pick<MemberRecord, 'name' | 'role' | 'levels' | 'revokedAt'>>,
  ): Promise<MemberRecord | null>;

  createInvite(invite: InviteRecord, codeHash: Uint8Array): Promise<void>;
  listInvites(planId: string): Promise<InviteRecord[]>;
  revokeInvite(planId: string, inviteId: string, at: number): Promise<boolean>;
  /** Marks the invite used and creates the member, atomically; an invite is used once. */
  redeemInvite(
    codeHash: Uint8Array,
    now: number,
    makeMember: (invite: InviteRecord, takenColors: string[]) => MemberRecord,
    secretHash: Uint8Array,
  ): Promise<RedeemResult>;

  appendAudit(events: NewAuditEvent[]): Promise<void>;
  listAudit(planId: string, afterId: number, limit: number): Promise<AuditEvent[]>;

  /** Throws when the store cannot serve (for `/readyz`). */
  ping(): Promise<void>;
  /** Bytes the store occupies (for the operator's stored-bytes quota). */
  storedBytes(): Promise<number>;
}

/** What the server stores, behind one interface; tests/storage/contract.ts is its contract. */
export interface Storage {
  docs: DocStore;
  meta: MetaStore;
  /** Finishes pending writes, then releases the database. */
  close(): Promise<void>;
}
