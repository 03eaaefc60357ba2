// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES, PERMISSION_DENIED } from '../../core/access/index.ts';
import {
  call,
  connect,
  invitedMember,
  registerPlan,
  token,
  waitFor,
  type Client,
} from '../../harness/server.ts';
import { withServer } from './with-server.ts';

const t = withServer({}, 'each');
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
});

describe('access changes reach live connections', () => {
  it('closes every live connection of a revoked member within one second', async () => {
    const owner = await registerPlan(t.url);
    const relative = await invitedMember(t.url, owner, 'relative', 'Ola');
    const plan = await connect(t, relative, 'plan');
    const notes = await connect(t, relative, 'goals-notes');
    clients.push(plan, notes);
    await plan.synced();
    await notes.synced();

    const revokedAt = Date.now();
    const r = await call(t.url, 'DELETE', `/api/plans/${owner.planId}/members/${relative.memberId}`, {
      secret: owner.secret,
    });
    expect(r.status).toBe(204);
    await waitFor(() => plan.closes.length > 0 && notes.closes.length > 0, { timeout: 1000, what: 'closes' });
    for (const c of [plan, notes]) {
      expect(c.closes[0]!.code).toBe(CLOSE_CODES.revoked);
      expect(c.closes[0]!.at - revokedAt).toBeLessThan(1000);
      expect(c.provider.shouldConnect).toBe(false);
    }
  });

  it('refuses a revoked member a new token and a connection with an old one', async () => {
    const owner = await registerPlan(t.url);
    const relative = await invitedMember(t.url, owner, 'relative', 'Ola');
    const old = await token(t.url, relative);
    await call(t.url, 'DELETE', `/api/plans/${owner.planId}/members/${relative.memberId}`, {
      secret: owner.secret,
    });

    const r = await call(t.url, 'POST', `/api/plans/${owner.planId}/tokens`, { secret: relative.secret });
    expect(r.status).toBe(403);
    expect(r.json.error).toBe('revoked');
    const c = await connect(t, relative, 'plan', { tokenValue: old.token });
    clients.push(c);
    await waitFor(() => c.closes.length > 0, { what: 'refusal' });
    expect(c.closes[0]!.code).toBe(CLOSE_CODES.revoked);
    expect(c.provider.synced).toBe(false);
  });

  it('applies a downgrade from edit to comment to the very next write on a live connection', async () => {
    const owner = await registerPlan(t.url);
    const relative = await invitedMember(t.url, owner, 'relative', 'Ola');
    const ownerPlan = await connect(t, owner, 'plan');
    const rel = await connect(t, relative, 'plan');
    clients.push(ownerPlan, rel);
    await ownerPlan.synced();
    await rel.synced();
    rel.doc.getMap('m').set('before', 1);
    await waitFor(() => ownerPlan.doc.getMap('m').get('before') === 1, { what: 'write before' });

    const r = await call(t.url, 'PATCH', `/api/plans/${owner.planId}/members/${relative.memberId}`, {
      secret: owner.secret,
      body: { levels: { goals: 'comment', plan: 'comment' } },
    });
    expect(r.status).toBe(200);
    expect(r.json.levels).toEqual({ goals: 'comment', plan: 'comment' });
    rel.doc.getMap('m').set('after', 1);
    await waitFor(() => rel.denied.length > 0, { what: 'permission-denied' });
    expect(rel.denied[0]).toBe(PERMISSION_DENIED.writeDenied);
    expect(rel.closes).toEqual([]);
    expect(ownerPlan.doc.getMap('m').has('after')).toBe(false);

    // Comment still allows the notes doc.
    const notes = await connect(t, relative, 'plan-notes');
    const ownerNotes = await connect(t, owner, 'plan-notes');
    clients.push(notes, ownerNotes);
    await notes.synced();
    notes.doc.getMap('threads').set('t1', 'hello');
    await waitFor(() => ownerNotes.doc.getMap('threads').get('t1') === 'hello', { what: 'note' });
  });

  it('closes live connections within one second when a scope is downgraded to none', async () => {
    const owner = await registerPlan(t.url);
    const therapist = await invitedMember(t.url, owner, 'therapist', 'Dr. Berg');
    const goals = await connect(t, therapist, 'goals');
    const goalsNotes = await connect(t, therapist, 'goals-notes');
    const plan = await connect(t, therapist, 'plan');
    clients.push(goals, goalsNotes, plan);
    await Promise.all([goals.synced(), goalsNotes.synced(), plan.synced()]);

    const changedAt = Date.now();
    await call(t.url, 'PATCH', `/api/plans/${owner.planId}/members/${therapist.memberId}`, {
      secret: owner.secret,
      body: { levels: { goals: 'none', plan: 'edit' } },
    });
    await waitFor(() => goals.closes.length > 0 && goalsNotes.closes.length > 0, {
      timeout: 1000,
      what: 'closes',
    });
    expect(goals.closes[0]!.code).toBe(CLOSE_CODES.forbidden);
    expect(goalsNotes.closes[0]!.code).toBe(CLOSE_CODES.forbidden);
    expect(Math.max(goals.closes[0]!.at, goalsNotes.closes[0]!.at) - changedAt).toBeLessThan(1000);
    // The plan scope is untouched.
    expect(plan.closes).toEqual([]);
    expect(plan.provider.wsconnected).toBe(true);
  });

  it('takes the earlier refused changes too once a live connection is upgraded to edit', async () => {
    const owner = await registerPlan(t.url);
    const network = await invitedMember(t.url, owner, 'network', 'Nabo');
    const ownerPlan = await connect(t, owner, 'plan');
    const live = await connect(t, network, 'plan');
    clients.push(ownerPlan, live);
    await live.synced();
    live.doc.getMap('m').set('x', 1);
    await waitFor(() => live.denied.length > 0, { what: 'denied while view' });

    const r = await call(t.url, 'PATCH', `/api/plans/${owner.planId}/members/${network.memberId}`, {
      secret: owner.secret,
      body: { role: 'relative' },
    });
    expect(r.json.levels).toEqual({ goals: 'comment', plan: 'edit' });
    live.doc.getMap('m').set('y', 2);
    // y depends on x (same client, next clock): both arrive, on the same connection.
    await waitFor(
      () => ownerPlan.doc.getMap('m').get('y') === 2 && ownerPlan.doc.getMap('m').get('x') === 1,
      {
        what: 'writes after upgrade',
      },
    );
    expect(live.closes).toEqual([]);
  });
});
