import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addPlanEntry,
  clearPlanMembership,
  readPlanSecret,
  readRegistry,
  setPlanMembership,
  updatePlanAccess,
} from '../../core/sync/registry.ts';
import { newPlanId } from '../../core/model/index.ts';

const membership = {
  server: 'http://localhost:1234',
  memberId: 'member-1',
  memberSecret: 'secret-xyz',
  role: 'relative' as const,
  levels: { goals: 'comment' as const, plan: 'edit' as const },
  name: 'Ola',
  color: '#336699',
  isOwner: false,
};

describe('the registry keeps a plan membership', () => {
  it('reads an entry from before sharing existed as a local plan', () => {
    const doc = new Y.Doc();
    const planId = newPlanId();
    addPlanEntry(doc, { planId, name: 'Kari' });
    const [entry] = readRegistry(doc).plans;
    expect(entry).toEqual({ planId, name: 'Kari', createdAt: expect.any(String) });
    expect(readPlanSecret(doc, planId)).toBeNull();
  });

  it('stores the membership, keeps the secret out of the read model, and creates the entry for a joiner', () => {
    const doc = new Y.Doc();
    const planId = newPlanId();
    setPlanMembership(doc, planId, membership, 'Kari');
    const registry = readRegistry(doc);
    expect(registry.plans[0]).toEqual({
      planId,
      name: 'Kari',
      createdAt: expect.any(String),
      server: membership.server,
      access: {
        memberId: 'member-1',
        role: 'relative',
        levels: { goals: 'comment', plan: 'edit' },
        name: 'Ola',
        color: '#336699',
        isOwner: false,
      },
    });
    expect(JSON.stringify(registry)).not.toContain('secret-xyz');
    expect(readPlanSecret(doc, planId)).toBe('secret-xyz');
  });

  it('updates access only when it changed, and forgets the membership on request', () => {
    const doc = new Y.Doc();
    const planId = newPlanId();
    setPlanMembership(doc, planId, membership, 'Kari');
    let updates = 0;
    doc.on('update', () => updates++);
    updatePlanAccess(doc, planId, {
      memberId: 'member-1',
      role: 'relative',
      levels: membership.levels,
      name: 'Ola',
      color: '#336699',
      isOwner: false,
    });
    expect(updates).toBe(0);
    updatePlanAccess(doc, planId, {
      memberId: 'member-1',
      role: 'network',
      levels: { goals: 'none', plan: 'view' },
      name: 'Ola',
      color: '#336699',
      isOwner: false,
    });
    expect(readRegistry(doc).plans[0]?.access).toMatchObject({
      role: 'network',
      levels: { goals: 'none', plan: 'view' },
    });
    clearPlanMembership(doc, planId);
    expect(readRegistry(doc).plans[0]).toEqual({ planId, name: 'Kari', createdAt: expect.any(String) });
    expect(readPlanSecret(doc, planId)).toBeNull();
  });

  it('ignores malformed membership fields instead of trusting them', () => {
    const doc = new Y.Doc();
    const planId = newPlanId();
    setPlanMembership(doc, planId, membership, 'Kari');
    const entry = doc.getMap('plans').get(planId) as Y.Map<unknown>;
    entry.set('levels', { goals: 'admin', plan: 'edit' });
    entry.set('role', 'owner');
    const [read] = readRegistry(doc).plans;
    // Still shared (the server and the secret stay), but no access is trusted until the server says.
    expect(read).toMatchObject({ server: membership.server, access: null });
  });

  it('reads an entry kept before the device stored colour and ownership with a fallback colour, an owner only as participant', () => {
    const doc = new Y.Doc();
    const planId = newPlanId();
    setPlanMembership(doc, planId, membership, 'Kari');
    const entry = doc.getMap('plans').get(planId) as Y.Map<unknown>;
    entry.delete('color');
    entry.delete('isOwner');
    expect(readRegistry(doc).plans[0]?.access).toMatchObject({ color: '#666666', isOwner: false });
    entry.set('role', 'participant');
    expect(readRegistry(doc).plans[0]?.access).toMatchObject({ isOwner: true });
    // The server's word is then written, though it reads the same as the guess.
    let updates = 0;
    doc.on('update', () => updates++);
    updatePlanAccess(doc, planId, { ...membership, role: 'participant', color: '#666666', isOwner: true });
    expect(updates).toBe(1);
    expect(entry.get('isOwner')).toBe(true);
  });
});
