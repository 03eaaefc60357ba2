/**
 * The owner's activity log: the server's audit events (docs/protocol.md, `GET
 * /api/plans/{planId}/audit`) read as plain facts — who, which part of the plan, what kind of
 * access, when — and paged. The server never stores content; neither does anything here.
 */
import type { AuditEvent, Member, SyncApi } from './api.ts';

/** The part of a plan an event is about; `membership` for sharing and member changes. */
export const AUDIT_PARTS = ['goals', 'goalNotes', 'plan', 'planNotes', 'membership'] as const;
export type AuditPart = (typeof AUDIT_PARTS)[number];

/** What kind of access, in the words the extension shows (one message per action). */
export const AUDIT_ACTIONS = [
  'connected',
  'read',
  'wrote',
  'writeRefused',
  'disconnected',
  'shared',
  'inviteCreated',
  'inviteRevoked',
  'joined',
  'memberChanged',
  'memberRemoved',
  'left',
  'other',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  readonly id: number;
  /** ISO-8601, as the server recorded it. */
  readonly at: string;
  /** Who acted; null when the server did not say. */
  readonly memberId: string | null;
  /** The member acted upon (member changes and removals), else null. */
  readonly targetId: string | null;
  readonly part: AuditPart;
  readonly action: AuditAction;
  /** How many updates a coalesced `wrote` / `writeRefused` event stands for. */
  readonly count: number | null;
}

const DOC_PARTS: Readonly<Record<string, AuditPart>> = {
  goals: 'goals',
  'goals-notes': 'goalNotes',
  plan: 'plan',
  'plan-notes': 'planNotes',
};

const DOC_ACTIONS: Readonly<Record<string, AuditAction>> = {
  'doc.connected': 'connected',
  'doc.read': 'read',
  'doc.wrote': 'wrote',
  'doc.writeDenied': 'writeRefused',
  'doc.disconnected': 'disconnected',
};

const MEMBERSHIP_ACTIONS: Readonly<Record<string, AuditAction>> = {
  'plan.registered': 'shared',
  'invite.created': 'inviteCreated',
  'invite.revoked': 'inviteRevoked',
  'invite.redeemed': 'joined',
  'member.changed': 'memberChanged',
  'member.revoked': 'memberRemoved',
};

/**
 * One server event as an entry. A kind this version does not know (a newer server) becomes
 * `other` rather than being hidden: the owner should see that something happened.
 */
export function describeAuditEvent(event: AuditEvent): AuditEntry {
  const docAction = DOC_ACTIONS[event.kind];
  const docPart = event.doc === null ? undefined : DOC_PARTS[event.doc];
  let part: AuditPart = 'membership';
  let action: AuditAction = 'other';
  if (docAction && docPart) {
    part = docPart;
    action = docAction;
  } else if (MEMBERSHIP_ACTIONS[event.kind]) {
    action = MEMBERSHIP_ACTIONS[event.kind]!;
    // A member removing themself is leaving the plan.
    if (action === 'memberRemoved' && event.target !== null && event.target === event.memberId)
      action = 'left';
  } else if (docPart) {
    part = docPart;
  }
  const memberTarget = action === 'memberChanged' || action === 'memberRemoved';
  return {
    id: event.id,
    at: event.at,
    memberId: event.memberId,
    targetId: memberTarget ? event.target : null,
    part,
    action,
    count: action === 'wrote' || action === 'writeRefused' ? event.count : null,
  };
}

/** Events per request: a screenful or two, so the first page arrives quickly. */
export const AUDIT_PAGE_SIZE = 100;

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  /** False once the last event has been read. */
  readonly more: boolean;
}

/**
 * Reads a plan's log page by page, oldest first (the order the server keeps it). The owner's
 * secret stays inside; callers see entries only.
 */
export class AuditLogReader {
  private after = 0;
  private done = false;

  constructor(
    private readonly api: Pick<SyncApi, 'audit' | 'members'>,
    private readonly planId: string,
    private readonly secret: string,
    private readonly pageSize = AUDIT_PAGE_SIZE,
  ) {}

  /** The next page; an empty page with `more: false` once everything is read. */
  async next(): Promise<AuditPage> {
    if (this.done) return { entries: [], more: false };
    const page = await this.api.audit(this.planId, this.secret, { after: this.after, limit: this.pageSize });
    const last = page.events.at(-1);
    if (last) this.after = last.id;
    // `next` is null on the last page; a full page may still be the last (then the next is empty).
    this.done = page.next === null || page.events.length === 0;
    return { entries: page.events.map(describeAuditEvent), more: !this.done };
  }

  /** Everyone who was ever a member, removed ones included, by member id (for names). */
  async members(): Promise<ReadonlyMap<string, Member>> {
    const list = await this.api.members(this.planId, this.secret);
    return new Map(list.map((m) => [m.memberId, m]));
  }
}
