// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import * as Y from 'yjs';
import { connect, invitedMember, registerPlan, waitFor, type Client } from '../../harness/server.ts';
import { testServers } from './with-server.ts';

const startServer = testServers();
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
});

/** Same content (map key order aside) and same state vector. */
const same = (docs: Y.Doc[]) =>
  docs.every(
    (d) =>
      isDeepStrictEqual(d.toJSON(), docs[0]!.toJSON()) &&
      isDeepStrictEqual(Y.encodeStateVector(d), Y.encodeStateVector(docs[0]!)),
  );

describe('offline edits sync later', () => {
  it('converges three clients that edited while disconnected, with nothing lost', async () => {
    const t = await startServer();
    const owner = await registerPlan(t.url, 'Kari');
    const relative = await invitedMember(t.url, owner, 'relative', 'Ola');
    const therapist = await invitedMember(t.url, owner, 'therapist', 'Dr. Berg');
    const people = [owner, relative, therapist];
    const cs = await Promise.all(people.map((m) => connect(t, m, 'plan')));
    clients.push(...cs);
    await Promise.all(cs.map((c) => c.synced()));
    cs[0]!.doc.getText('warningSigns').insert(0, 'Sleeping badly.');
    await waitFor(() => cs.every((c) => c.doc.getText('warningSigns').length === 15), { what: 'first sync' });

    for (const c of cs) c.provider.disconnect();
    cs.forEach((c, i) => {
      const text = c.doc.getText('warningSigns');
      // Concurrent inserts at the same place and at the ends, plus map entries and a delete.
      text.insert(0, `[${people[i]!.memberId}]`);
      text.insert(text.length, ` end${i}`);
      for (let k = 0; k < 20; k++) c.doc.getMap('contacts').set(`${i}-${k}`, { name: `contact ${i}/${k}` });
      if (i === 2) text.delete(text.toString().indexOf('badly'), 5);
    });
    for (const c of cs) c.provider.connect();
    await waitFor(() => cs.every((c) => c.provider.synced) && same(cs.map((c) => c.doc)), {
      timeout: 10_000,
      what: 'convergence',
    });

    const final = cs[0]!.doc;
    const text = final.getText('warningSigns').toString();
    for (let i = 0; i < 3; i++) {
      expect(text).toContain(`[${people[i]!.memberId}]`);
      expect(text).toContain(` end${i}`);
    }
    expect(text).not.toContain('badly');
    expect(final.getMap('contacts').size).toBe(60);
    // The server holds the merged state: a fresh client gets exactly the same.
    const fresh = await connect(t, owner, 'plan');
    clients.push(fresh);
    await fresh.synced();
    expect(fresh.doc.getText('warningSigns').toString()).toBe(text);
    expect(fresh.doc.getMap('contacts').toJSON()).toEqual(final.getMap('contacts').toJSON());
    expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(final));
  });

  it('keeps everything when the server restarts between edits, and the clients carry on', async () => {
    const t1 = await startServer();
    const owner = await registerPlan(t1.url);
    const relative = await invitedMember(t1.url, owner, 'relative', 'Ola');
    const a = await connect(t1, owner, 'plan');
    const b = await connect(t1, relative, 'plan');
    clients.push(a, b);
    await Promise.all([a.synced(), b.synced()]);
    a.doc.getMap('m').set('one', 1);
    b.doc.getText('t').insert(0, 'before restart');
    await waitFor(() => a.doc.getText('t').length > 0 && b.doc.getMap('m').has('one'), {
      what: 'first edits',
    });

    const { port } = t1.server;
    await t1.close();
    // Edits while the server is down stay on the clients.
    a.doc.getMap('m').set('two', 2);
    b.doc.getText('t').insert(0, 'while down; ');
    const t2 = await startServer({ dataDir: t1.dataDir, port });
    // The providers reconnect by themselves (tokens are still valid: same key file).
    await waitFor(() => a.provider.synced && b.provider.synced, { timeout: 10_000, what: 'reconnect' });
    a.doc.getMap('m').set('three', 3);
    await waitFor(() => same([a.doc, b.doc]) && b.doc.getMap('m').get('three') === 3, { what: 'converged' });

    await t2.close();
    const t3 = await startServer({ dataDir: t1.dataDir });
    const fresh = await connect(t3, owner, 'plan');
    clients.push(fresh);
    await fresh.synced();
    expect(fresh.doc.getMap('m').toJSON()).toEqual({ one: 1, two: 2, three: 3 });
    expect(fresh.doc.getText('t').toString()).toBe('while down; before restart');
  });
});
