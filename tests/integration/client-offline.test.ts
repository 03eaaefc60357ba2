/**
 * Offline through the client: the status says offline with the changes waiting while the
 * server is down, and synced after; three devices editing while the server is down converge
 * after it restarts, with nothing lost. The server restarts on the same port and data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addContact,
  addThread,
  readNotes,
  readServicePlan,
  setRichTextPlain,
} from '../../core/model/index.ts';
import {
  SyncApi,
  createPlan,
  inviteLink,
  joinPlan,
  readPlanSecret,
  sharePlan,
} from '../../core/sync/index.ts';
import type { PlanSession } from '../../core/sync/index.ts';
import type { PlanRemote } from '../../core/sync/remote.ts';
import { device, statusOf, waitForStatus, type Device } from './client-harness.ts';
import { removeDir, startTestServer, waitFor, type TestServer } from '../../harness/server.ts';

let server: TestServer | null = null;
const devices: Device[] = [];

afterEach(async () => {
  for (const d of devices.splice(0)) await d.close();
  await server?.close();
  if (server) removeDir(server.dataDir);
  server = null;
});

const nodeFetch = (u: string, i: Parameters<typeof fetch>[1]) => fetch(u, i);

interface Teammate {
  device: Device;
  session: PlanSession;
  remote: PlanRemote;
}

/** An owner and `relatives` relatives on one shared plan, all synced. */
async function team(t: TestServer, relatives: number): Promise<{ planId: string; members: Teammate[] }> {
  const owner = await device('owner');
  devices.push(owner);
  const created = await createPlan(owner.platform, owner.registry.doc, 'Kari');
  const planId = created.planId;
  await created.destroy();
  await sharePlan(nodeFetch, owner.registry.doc, planId, { server: t.url, ownerName: 'Kari' });
  const members: Teammate[] = [{ device: owner, ...(await owner.open(planId)) }];
  const api = new SyncApi(t.url, nodeFetch);
  for (let i = 0; i < relatives; i++) {
    const { code } = await api.createInvite(planId, readPlanSecret(owner.registry.doc, planId)!, {
      role: 'relative',
    });
    const d = await device(`relative${i}`);
    devices.push(d);
    await (
      await joinPlan(d.platform, nodeFetch, d.registry.doc, {
        invite: inviteLink(t.url, code),
        name: `R${i}`,
      })
    ).destroy();
    members.push({ device: d, ...(await d.open(planId)) });
  }
  for (const m of members) await waitForStatus(m.remote, 'synced');
  return { planId, members };
}

/** Stops the server and starts it again on the same port with the same data. */
async function restart(t: TestServer, whileDown: () => Promise<void> | void): Promise<TestServer> {
  const { port } = t.server;
  await t.close();
  await whileDown();
  return startTestServer({ dataDir: t.dataDir, port });
}

describe('the client while the server is away', () => {
  it('reports offline with the changes waiting while the server is down, and synced after', async () => {
    server = await startTestServer();
    const { members } = await team(server, 0);
    const owner = members[0]!;
    const before = statusOf(owner.remote);
    expect(before.kind).toBe('synced');

    server = await restart(server, async () => {
      await waitForStatus(owner.remote, 'offline');
      addContact(owner.session.docs.plan, { name: 'One' });
      addContact(owner.session.docs.plan, { name: 'Two' });
      addContact(owner.session.docs.plan, { name: 'Three' });
      expect(statusOf(owner.remote)).toEqual({ kind: 'offline', pending: 3 });
    });
    const after = await waitForStatus(owner.remote, 'synced');
    expect(after.kind === 'synced' && after.at >= (before.kind === 'synced' ? before.at : '')).toBe(true);

    // What was waiting reached the server: a fresh device that joins now receives it.
    const api = new SyncApi(server.url, nodeFetch);
    const { code } = await api.createInvite(
      owner.session.planId,
      readPlanSecret(owner.device.registry.doc, owner.session.planId)!,
      { role: 'network' },
    );
    const viewer = await device('viewer');
    devices.push(viewer);
    await (
      await joinPlan(viewer.platform, nodeFetch, viewer.registry.doc, {
        invite: inviteLink(server.url, code),
        name: 'V',
      })
    ).destroy();
    const seen = await viewer.open(owner.session.planId);
    await waitForStatus(seen.remote, 'synced');
    expect(
      readServicePlan(seen.session.docs.plan)
        .contacts.map((c) => c.name)
        .sort(),
    ).toEqual(['One', 'Three', 'Two']);
  });

  it('three devices edit while the server is down and converge after it restarts, with nothing lost', async () => {
    server = await startTestServer();
    const { members } = await team(server, 2);
    const sections = readServicePlan(members[0]!.session.docs.plan).sections;
    const warning = sections.find((s) => s.kind === 'warningSigns')!;
    const triggers = sections.find((s) => s.kind === 'triggers')!;

    server = await restart(server, async () => {
      for (const m of members) await waitForStatus(m.remote, 'offline');
      members.forEach((m, i) => {
        for (let k = 0; k < 5; k++) addContact(m.session.docs.plan, { name: `contact ${i}.${k}` });
        addThread(m.session.docs['plan-notes'], {
          target: { kind: 'section', id: warning.id },
          body: `note from ${i}`,
          by: m.remote.access.getSnapshot()!.memberId,
        });
      });
      // Two people write the same section body concurrently; one writes another section.
      const bodyOf = (m: Teammate, id: string) =>
        (m.session.docs.plan.getMap('sections').get(id) as Y.Map<unknown>).get('body') as Y.XmlFragment;
      setRichTextPlain(bodyOf(members[0]!, warning.id), 'Sleeping badly');
      setRichTextPlain(bodyOf(members[1]!, warning.id), 'Not answering the phone');
      setRichTextPlain(bodyOf(members[2]!, triggers.id), 'Crowds');
      for (const m of members) expect(statusOf(m.remote)).toMatchObject({ kind: 'offline' });
      for (const m of members) expect((statusOf(m.remote) as { pending: number }).pending).toBeGreaterThan(0);
    });

    for (const m of members) await waitForStatus(m.remote, 'synced', 15_000);
    await waitFor(() => members.every((m) => readServicePlan(m.session.docs.plan).contacts.length === 15), {
      what: 'every contact on every device',
      timeout: 10_000,
    });
    await waitFor(() => members.every((m) => readNotes(m.session.docs['plan-notes']).threads.length === 3), {
      what: 'every note on every device',
      timeout: 10_000,
    });
    const [a, ...rest] = members;
    for (const m of rest) {
      for (const doc of ['plan', 'plan-notes', 'goals', 'goals-notes'] as const) {
        expect(m.session.docs[doc].toJSON()).toEqual(a!.session.docs[doc].toJSON());
        expect(Y.encodeStateVector(m.session.docs[doc])).toEqual(Y.encodeStateVector(a!.session.docs[doc]));
      }
    }
    const plan = readServicePlan(a!.session.docs.plan);
    const text = (id: string) => JSON.stringify(plan.sections.find((s) => s.id === id)!.body?.toJSON());
    expect(text(warning.id)).toContain('Sleeping badly');
    expect(text(warning.id)).toContain('Not answering the phone');
    expect(text(triggers.id)).toContain('Crowds');
    for (const m of members) expect(statusOf(m.remote)).toMatchObject({ kind: 'synced' });
  });
});
