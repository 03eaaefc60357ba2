/**
 * Tokens and refusals through the client: tokens are refreshed before they expire, an expired
 * one (4401) is replaced and the connection comes back by itself; revocation and deletion
 * turn the status into "refused" at once and stop the retries.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addContact, readServicePlan } from '../../core/model/index.ts';
import { CLOSE_CODES } from '../../core/access/index.ts';
import {
  SyncApi,
  createPlan,
  inviteLink,
  joinPlan,
  readPlanSecret,
  sharePlan,
} from '../../core/sync/index.ts';
import { countingFetch, device, statusOf, waitForStatus, type Device } from './client-harness.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  removeDir,
  sleep,
  spawnServer,
  startTestServer,
  tempDir,
  waitFor,
  type TestServer,
} from '../../harness/server.ts';
import { readRegistry } from '../../core/sync/index.ts';
import { HelpLinesError } from '../../sync-server/help-lines.ts';
import type { ServerOptions } from '../../sync-server/config.ts';

let server: TestServer | null = null;
const devices: Device[] = [];

afterEach(async () => {
  for (const d of devices.splice(0)) await d.close();
  await server?.close();
  if (server) removeDir(server.dataDir);
  server = null;
});

const nodeFetch = (u: string, i: Parameters<typeof fetch>[1]) => fetch(u, i);

/** A shared plan with an owner and a relative; the relative's device counts token requests. */
async function pair(options: ServerOptions = {}) {
  server = await startTestServer(options);
  const t = server;
  const owner = await device('owner');
  devices.push(owner);
  const created = await createPlan(owner.platform, owner.registry.doc, 'Kari');
  const planId = created.planId;
  await created.destroy();
  await sharePlan(nodeFetch, owner.registry.doc, planId, { server: t.url, ownerName: 'Kari' });
  const ownerSecret = readPlanSecret(owner.registry.doc, planId)!;
  const api = new SyncApi(t.url, nodeFetch);
  const { code } = await api.createInvite(planId, ownerSecret, { role: 'relative' });
  const counting = countingFetch();
  const relative = await device('relative', counting.fetch);
  devices.push(relative);
  await (
    await joinPlan(relative.platform, nodeFetch, relative.registry.doc, {
      invite: inviteLink(t.url, code),
      name: 'Ola',
    })
  ).destroy();
  return { t, api, owner, ownerSecret, relative, planId, tokenRequests: counting.tokenRequests };
}

describe('tokens and refusals in the client', () => {
  it('refreshes the token before it expires, so a dropped connection comes back without a 4401', async () => {
    const { relative, planId, tokenRequests } = await pair({ tokenTtlSeconds: 2 });
    const { session, remote } = await relative.open(planId);
    await waitForStatus(remote, 'synced');
    const closes: number[] = [];
    remote.providerOf('plan').on('connection-close', (e) => e && closes.push(e.code));
    await sleep(3_500);
    expect(tokenRequests()).toBeGreaterThanOrEqual(2);
    remote.providerOf('plan').ws!.close();
    await waitFor(() => !remote.providerOf('plan').synced);
    await waitForStatus(remote, 'synced');
    expect(closes).not.toContain(CLOSE_CODES.unauthenticated);
    addContact(session.docs.plan, { name: 'After refresh' });
    await waitFor(() => statusOf(remote).kind === 'synced');
  });

  it('replaces an expired token after a 4401 and reconnects without any user action', async () => {
    const { t, owner, relative, planId, tokenRequests } = await pair({ tokenTtlSeconds: 1 });
    // No early refresh: the token is left to expire while the connection stays up.
    const { session, remote } = await relative.open(planId, { refreshMarginMs: -600_000 });
    const ownerSide = await owner.open(planId);
    await waitForStatus(remote, 'synced');
    await waitForStatus(ownerSide.remote, 'synced');
    const fetchesBefore = tokenRequests();
    const closes: number[] = [];
    remote.providerOf('plan').on('connection-close', (e) => e && closes.push(e.code));
    await sleep(2_200);
    // A network blip: the provider reconnects on its own with the token it has.
    remote.providerOf('plan').ws!.close();
    await waitFor(() => closes.includes(CLOSE_CODES.unauthenticated), { what: '4401' });
    await waitForStatus(remote, 'synced');
    expect(tokenRequests()).toBeGreaterThan(fetchesBefore);
    addContact(session.docs.plan, { name: 'After 4401' });
    await waitFor(() => readServicePlan(ownerSide.session.docs.plan).contacts.length === 1, {
      what: 'the edit reaches the owner',
    });
    expect(t.logs.join('\n')).not.toContain(readPlanSecret(relative.registry.doc, planId)!);
  });

  it('turns the status into refused (revoked) within a second of the owner removing the member, and stops retrying', async () => {
    const { api, ownerSecret, relative, planId, tokenRequests } = await pair();
    const { remote } = await relative.open(planId);
    await waitForStatus(remote, 'synced');
    const memberId = remote.access.getSnapshot()!.memberId;
    const started = Date.now();
    await api.revokeMember(planId, ownerSecret, memberId);
    await waitForStatus(remote, 'refused', 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(statusOf(remote)).toEqual({ kind: 'refused', reason: 'revoked' });
    const requests = tokenRequests();
    await sleep(1_000);
    expect(tokenRequests()).toBe(requests);
    for (const doc of ['goals', 'goals-notes', 'plan', 'plan-notes'] as const)
      expect(remote.providerOf(doc).shouldConnect).toBe(false);
  });

  it('a member revoked while away is told so on opening the plan', async () => {
    const { api, ownerSecret, relative, planId } = await pair();
    const first = await relative.open(planId);
    await waitForStatus(first.remote, 'synced');
    const memberId = first.remote.access.getSnapshot()!.memberId;
    first.remote.destroy();
    await api.revokeMember(planId, ownerSecret, memberId);
    const { remote } = await relative.open(planId);
    expect(await waitForStatus(remote, 'refused')).toEqual({ kind: 'refused', reason: 'revoked' });
  });

  it('reports planDeleted when the owner deletes the plan on the server', async () => {
    const { api, ownerSecret, relative, planId } = await pair();
    const { remote } = await relative.open(planId);
    await waitForStatus(remote, 'synced');
    await api.deletePlan(planId, ownerSecret);
    expect(await waitForStatus(remote, 'refused', 2_000)).toEqual({ kind: 'refused', reason: 'planDeleted' });
  });

  it('offline for longer than a token lives, then back: it syncs again by itself', async () => {
    const { t, relative, owner, planId } = await pair({ tokenTtlSeconds: 1 });
    const { session, remote } = await relative.open(planId);
    await waitForStatus(remote, 'synced');
    const { port } = t.server;
    const { dataDir } = t;
    await t.close();
    await waitForStatus(remote, 'offline');
    addContact(session.docs.plan, { name: 'Written offline' });
    await sleep(2_500);
    expect(statusOf(remote)).toEqual({ kind: 'offline', pending: 1 });
    server = await startTestServer({ dataDir, port, tokenTtlSeconds: 1 });
    await waitForStatus(remote, 'synced', 15_000);
    const ownerSide = await owner.open(planId);
    await waitFor(() => readServicePlan(ownerSide.session.docs.plan).contacts.length === 1, {
      what: 'the offline edit reaches the owner',
    });
  });

  it("brings the clinic's help lines from its server to every member's device, which keeps them offline and forgets them when the clinic removes them", async () => {
    const dir = tempDir();
    const file = join(dir, 'help-lines.json');
    const lines = [{ name: 'Solbakken DPS, akutteam', phone: '+47 22 00 00 00', what: 'Hverdager 08–22.' }];
    writeFileSync(file, JSON.stringify(lines));
    try {
      const { t, relative, planId } = await pair({ helpLinesFile: file });
      const entry = () => readRegistry(relative.registry.doc).plans.find((p) => p.planId === planId)!;
      const { remote } = await relative.open(planId);
      await waitForStatus(remote, 'synced');
      expect(entry().helpLines).toEqual(lines);
      // Offline: the server is gone, the lines stay on the device.
      remote.destroy();
      await t.close();
      expect(entry().helpLines).toEqual(lines);
      // The clinic empties its list: the next token answer says so, and the device follows.
      writeFileSync(file, '[]');
      server = await startTestServer({
        dataDir: t.dataDir,
        port: Number(new URL(t.url).port),
        helpLinesFile: file,
      });
      const again = await relative.open(planId);
      await waitForStatus(again.remote, 'synced');
      await waitFor(() => entry().helpLines === undefined, { what: 'the lines forgotten' });
    } finally {
      removeDir(dir);
    }
  });

  it('refuses to start on a help lines file that is not a list, saying what is wrong and not starting half', async () => {
    const dir = tempDir();
    const file = join(dir, 'help-lines.json');
    try {
      writeFileSync(file, JSON.stringify([{ name: 'Akutteam', phone: 'ring oss', what: 'Alltid' }]));
      await expect(startTestServer({ helpLinesFile: file, dataDir: dir })).rejects.toThrow(HelpLinesError);
      writeFileSync(file, '{ not json');
      const child = await spawnServer({ VARDE_DATA_DIR: dir, VARDE_HELP_LINES_FILE: file }).catch(
        (error: Error) => error,
      );
      expect(child).toBeInstanceOf(Error);
      expect(String(child)).toContain(`the help lines file ${file} is not JSON`);
    } finally {
      removeDir(dir);
    }
  });
});
