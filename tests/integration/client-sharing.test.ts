/**
 * Sharing through the client: an owner shares a plan made on the device, a relative joins by
 * invite link, both edit and converge; access levels shape what goes through. Real server on
 * port 0, real y-websocket providers (PlanRemote), y-indexeddb over fake-indexeddb.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addContact,
  addGoal,
  addThread,
  readGoalBoard,
  readNotes,
  readServicePlan,
} from '../../core/model/index.ts';
import {
  SyncApi,
  createPlan,
  inviteLink,
  joinPlan,
  readPlanSecret,
  readRegistry,
  sharePlan,
} from '../../core/sync/index.ts';
import type { InviteRole, Levels } from '../../core/access/index.ts';
import { device, waitForStatus, type Device } from './client-harness.ts';
import { removeDir, startTestServer, waitFor, type TestServer } from '../../harness/server.ts';

let server: TestServer | null = null;
const devices: Device[] = [];

afterEach(async () => {
  for (const d of devices.splice(0)) await d.close();
  await server?.close();
  if (server) removeDir(server.dataDir);
  server = null;
});

async function newDevice(name: string): Promise<Device> {
  const d = await device(name);
  devices.push(d);
  return d;
}

/** An owner device with a local plan (sections seeded, one goal, one contact), then shared. */
async function sharedPlan(t: TestServer) {
  const owner = await newDevice('owner');
  const created = await createPlan(owner.platform, owner.registry.doc, 'Kari');
  const planId = created.planId;
  addGoal(created.docs.goals, { title: 'Walk every morning', createdBy: 'local' });
  addContact(created.docs.plan, { name: 'Mum', phone: '12345678' });
  await created.destroy();
  await sharePlan((u, i) => fetch(u, i), owner.registry.doc, planId, {
    server: ` ${t.url}/ `,
    ownerName: 'Kari',
  });
  const opened = await owner.open(planId);
  return { owner, planId, ...opened };
}

async function join(
  t: TestServer,
  owner: Device,
  planId: string,
  role: InviteRole,
  name: string,
  levels?: Levels,
) {
  const secret = readPlanSecret(owner.registry.doc, planId)!;
  const api = new SyncApi(t.url, (u, i) => fetch(u, i));
  const { code } = await api.createInvite(planId, secret, { role, ...(levels ? { levels } : {}) });
  const d = await newDevice(name);
  const joined = await joinPlan(d.platform, (u, i) => fetch(u, i), d.registry.doc, {
    invite: inviteLink(api.server, code),
    name,
  });
  expect(joined.planId).toBe(planId);
  await joined.destroy();
  return { device: d, ...(await d.open(planId)) };
}

describe('sharing from the client', () => {
  it('an owner shares a local plan and a relative joins by invite, receives it without duplicate sections, and both edits converge', async () => {
    server = await startTestServer();
    const t = server;
    const { owner, planId, session: ownerSession, remote: ownerRemote } = await sharedPlan(t);
    const entry = readRegistry(owner.registry.doc).plans.find((p) => p.planId === planId)!;
    // Ownership is what the server said, kept in the registry, not guessed from the role.
    expect(entry).toMatchObject({
      server: t.url,
      access: { role: 'participant', name: 'Kari', isOwner: true },
    });
    // The secret is kept beside the entry but never in the read model components see.
    expect(JSON.stringify(readRegistry(owner.registry.doc))).not.toContain(
      readPlanSecret(owner.registry.doc, planId)!,
    );
    await waitForStatus(ownerRemote, 'synced');

    const relative = await join(t, owner, planId, 'relative', 'Ola');
    const relEntry = readRegistry(relative.device.registry.doc);
    expect(relEntry.currentPlanId).toBe(planId);
    expect(relEntry.plans[0]).toMatchObject({
      planId,
      access: { isOwner: false, role: 'relative', levels: { goals: 'comment', plan: 'edit' } },
    });
    await waitForStatus(relative.remote, 'synced');
    expect(ownerRemote.access.getSnapshot()?.isOwner).toBe(true);
    expect(relative.remote.access.getSnapshot()?.isOwner).toBe(false);

    const ownerPlan = readServicePlan(ownerSession.docs.plan);
    const relPlan = readServicePlan(relative.session.docs.plan);
    expect(ownerPlan.sections).toHaveLength(12);
    expect(relPlan.sections.map((s) => s.id)).toEqual(ownerPlan.sections.map((s) => s.id));
    expect(relPlan.contacts.map((c) => c.name)).toEqual(['Mum']);
    expect(readGoalBoard(relative.session.docs.goals).goals.map((g) => g.title)).toEqual([
      'Walk every morning',
    ]);

    // Both edit the service plan at once; each sees the other's change.
    addContact(relative.session.docs.plan, { name: 'Dr. Berg', role: 'clinician' });
    addContact(ownerSession.docs.plan, { name: 'Aunt Liv' });
    await waitFor(
      () =>
        readServicePlan(ownerSession.docs.plan).contacts.length === 3 &&
        readServicePlan(relative.session.docs.plan).contacts.length === 3,
      { what: 'both contacts on both devices' },
    );
    expect(Y.encodeStateVector(ownerSession.docs.plan)).toEqual(
      Y.encodeStateVector(relative.session.docs.plan),
    );
    expect(ownerSession.docs.plan.toJSON()).toEqual(relative.session.docs.plan.toJSON());

    // Presence: each sees the other, stamped by the server, once.
    await waitFor(() => ownerRemote.presence.getSnapshot().length === 2, { what: 'owner sees the relative' });
    expect(ownerRemote.presence.getSnapshot()).toMatchObject([
      { name: 'Kari', role: 'participant', self: true },
      { name: 'Ola', role: 'relative', self: false },
    ]);
  });

  it('tells the person why a write was refused when the plan is full on the server, and keeps it on the device', async () => {
    server = await startTestServer({ maxDocBytes: 32 * 1024 });
    const t = server;
    const { remote, session } = await sharedPlan(t);
    await waitForStatus(remote, 'synced');
    expect(remote.writeDenied.getSnapshot()).toBeNull();
    // More than the server's cap for this doc, in one change.
    session.docs.plan.getMap('notes-of-the-owner').set('long', 'x'.repeat(64 * 1024));
    await waitFor(() => remote.writeDenied.getSnapshot() === 'docTooLarge', { what: 'docTooLarge' });
    // Not an access problem: the member's access is as it was, and the change is still here.
    expect(remote.access.getSnapshot()?.levels).toEqual({ goals: 'edit', plan: 'edit' });
    expect((session.docs.plan.getMap('notes-of-the-owner').get('long') as string).length).toBe(64 * 1024);
  });

  it('a comment-level member has a goal write denied (flag set, owner unchanged) while their notes go through', async () => {
    server = await startTestServer();
    const t = server;
    const { owner, planId, session: ownerSession } = await sharedPlan(t);
    const therapist = await join(t, owner, planId, 'therapist', 'Dr. Berg');
    await waitForStatus(therapist.remote, 'synced');
    expect(therapist.remote.access.getSnapshot()?.levels).toEqual({ goals: 'comment', plan: 'edit' });
    expect(therapist.remote.writeDenied.getSnapshot()).toBeNull();

    const goalId = readGoalBoard(therapist.session.docs.goals).goals[0]!.id;
    addGoal(therapist.session.docs.goals, {
      title: 'Therapist rewrote this',
      createdBy: therapist.remote.access.getSnapshot()!.memberId,
    });
    await waitFor(() => therapist.remote.writeDenied.getSnapshot() === 'writeDenied', {
      what: 'write denied',
    });

    addThread(therapist.session.docs['goals-notes'], {
      target: { kind: 'goal', id: goalId },
      body: 'How did the walks go?',
      by: therapist.remote.access.getSnapshot()!.memberId,
    });
    await waitFor(() => readNotes(ownerSession.docs['goals-notes']).threads.length === 1, {
      what: 'the note reaches the owner',
    });
    expect(readGoalBoard(ownerSession.docs.goals).goals.map((g) => g.title)).toEqual(['Walk every morning']);
  });

  it('a network member connects only the service plan docs and is synced without the goals', async () => {
    server = await startTestServer();
    const t = server;
    const { owner, planId } = await sharedPlan(t);
    const network = await join(t, owner, planId, 'network', 'Neighbour');
    await waitForStatus(network.remote, 'synced');
    expect(readServicePlan(network.session.docs.plan).contacts.map((c) => c.name)).toEqual(['Mum']);
    expect(readGoalBoard(network.session.docs.goals).goals).toEqual([]);
    expect(network.remote.providerOf('goals').shouldConnect).toBe(false);
    expect(network.remote.providerOf('goals-notes').shouldConnect).toBe(false);
    // Nothing was written to the unreadable docs, so nothing waits to be refused.
    expect(network.session.docs.goals.store.clients.size).toBe(0);
  });

  it('an owner who lowers a member to no access leaves them refused with noAccess, keeping the local copy', async () => {
    server = await startTestServer();
    const t = server;
    const { owner, planId } = await sharedPlan(t);
    const relative = await join(t, owner, planId, 'relative', 'Ola');
    await waitForStatus(relative.remote, 'synced');
    const api = new SyncApi(t.url, (u, i) => fetch(u, i));
    const memberId = relative.remote.access.getSnapshot()!.memberId;
    await api.updateMember(planId, readPlanSecret(owner.registry.doc, planId)!, memberId, {
      role: 'other',
      levels: { goals: 'none', plan: 'none' },
    });
    const status = await waitForStatus(relative.remote, 'refused', 3000);
    expect(status).toEqual({ kind: 'refused', reason: 'noAccess' });
    expect(readServicePlan(relative.session.docs.plan).contacts).toHaveLength(1);
    // The registry follows what the server said.
    await waitFor(() => readRegistry(relative.device.registry.doc).plans[0]?.access?.levels.plan === 'none');
  });

  it('serves the page an invite link opens, which tells what to do and never sees the code', async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/join`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('Join');
    expect(html).toContain('Bli med');
    expect(html).toContain('Gå med');
    expect(html).not.toContain('<script');
  });
});
