import { describe, expect, it } from 'vitest';
import { AuditLogReader, describeAuditEvent } from '../../core/sync/audit.ts';
import type { AuditEvent, Member } from '../../core/sync/api.ts';

const event = (over: Partial<AuditEvent>): AuditEvent => ({
  id: 1,
  at: '2026-03-12T10:00:00.000Z',
  memberId: 'm1',
  kind: 'doc.connected',
  doc: 'plan',
  target: null,
  count: null,
  ...over,
});

describe('the activity log reads audit events in plain terms', () => {
  it('names the part of the plan and the kind of access of doc events', () => {
    expect(describeAuditEvent(event({ kind: 'doc.connected', doc: 'goals-notes' }))).toMatchObject({
      part: 'goalNotes',
      action: 'connected',
    });
    expect(describeAuditEvent(event({ kind: 'doc.wrote', doc: 'plan', count: 3 }))).toMatchObject({
      part: 'plan',
      action: 'wrote',
      count: 3,
    });
    expect(describeAuditEvent(event({ kind: 'doc.writeDenied', doc: 'goals', count: 2 }))).toMatchObject({
      part: 'goals',
      action: 'writeRefused',
      count: 2,
    });
    expect(describeAuditEvent(event({ kind: 'doc.read', doc: 'plan-notes', count: 0 }))).toMatchObject({
      part: 'planNotes',
      action: 'read',
      count: null,
    });
  });

  it('tells a member who left from a member who was removed, and keeps who was changed', () => {
    expect(describeAuditEvent(event({ kind: 'member.revoked', doc: null, target: 'm1' }))).toMatchObject({
      part: 'membership',
      action: 'left',
    });
    expect(describeAuditEvent(event({ kind: 'member.revoked', doc: null, target: 'm2' }))).toMatchObject({
      action: 'memberRemoved',
      targetId: 'm2',
    });
    expect(describeAuditEvent(event({ kind: 'member.changed', doc: null, target: 'm2' }))).toMatchObject({
      action: 'memberChanged',
      targetId: 'm2',
    });
    // An invite id is not a member: it is never looked up as one.
    expect(describeAuditEvent(event({ kind: 'invite.created', doc: null, target: 'i1' }))).toMatchObject({
      action: 'inviteCreated',
      targetId: null,
    });
  });

  it('shows an event kind it does not know as other activity instead of hiding it', () => {
    expect(describeAuditEvent(event({ kind: 'doc.exported', doc: 'plan' }))).toMatchObject({
      part: 'plan',
      action: 'other',
    });
    expect(describeAuditEvent(event({ kind: 'plan.renamed', doc: null }))).toMatchObject({
      part: 'membership',
      action: 'other',
    });
  });
});

describe('AuditLogReader', () => {
  it('pages through the log until the server has nothing more, also after a full last page', async () => {
    const all = [1, 2, 3, 4].map((id) => event({ id }));
    const asked: number[] = [];
    const api = {
      audit: async (_plan: string, _secret: string, page: { after?: number; limit?: number } = {}) => {
        asked.push(page.after ?? 0);
        const events = all.filter((e) => e.id > (page.after ?? 0)).slice(0, page.limit);
        return { events, next: events.length === page.limit ? events.at(-1)!.id : null };
      },
      members: async (): Promise<Member[]> => [],
    };
    const reader = new AuditLogReader(api, 'plan', 'secret', 2);
    const first = await reader.next();
    expect(first.entries.map((e) => e.id)).toEqual([1, 2]);
    expect(first.more).toBe(true);
    const second = await reader.next();
    expect(second.entries.map((e) => e.id)).toEqual([3, 4]);
    expect(second.more).toBe(true);
    const third = await reader.next();
    expect(third).toEqual({ entries: [], more: false });
    expect(await reader.next()).toEqual({ entries: [], more: false });
    expect(asked).toEqual([0, 2, 4]);
  });
});
