// @vitest-environment node
/**
 * The server answers the two common state vectors (an empty replica, an up-to-date one) from
 * encoded frames it keeps until the doc changes (Room.syncStep2). These check that no client
 * ever gets a stale answer: a deletion changes no state vector, yet must reach everyone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, registerPlan, waitFor, type Client } from '../../harness/server.ts';
import { testServers } from './with-server.ts';

const startServer = testServers();
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
});

describe('sync answers', () => {
  it('gives new, up-to-date and behind devices exactly the doc, also right after a deletion', async () => {
    const t = await startServer();
    const owner = await registerPlan(t.url);
    const open = async (doc = new Y.Doc()) => {
      const c = await connect(t, owner, 'plan', { doc });
      clients.push(c);
      await c.synced();
      return c;
    };
    const text = (c: Client) => c.doc.getText('t').toString();

    const a = await open();
    a.doc.getText('t').insert(0, 'hello world');
    // Three new devices in a row: the first builds the whole-doc answer, the others reuse it.
    const joined = [await open(), await open(), await open()];
    for (const c of joined) await waitFor(() => text(c) === 'hello world', { what: 'new device synced' });

    // A copy of the doc as it is now, to come back later as an up-to-date device would.
    const copy = (c: Client) => {
      const d = new Y.Doc();
      Y.applyUpdate(d, Y.encodeStateAsUpdate(c.doc));
      return d;
    };
    const upToDate1 = await open(copy(a));
    expect(text(upToDate1)).toBe('hello world');
    const before = copy(a);

    // A deletion alone: the state vector stays the same, the answer must not.
    a.doc.getText('t').delete(0, 6);
    await waitFor(() => joined.every((c) => text(c) === 'world'), { what: 'deletion relayed' });
    const upToDate2 = await open(before);
    await waitFor(() => text(upToDate2) === 'world', { what: 'deletion in the answer' });
    const fresh = await open();
    expect(text(fresh)).toBe('world');

    // A device behind by an insertion and a deletion.
    const behind = copy(a);
    a.doc.getText('t').insert(5, '!');
    a.doc.getText('t').delete(0, 1);
    await waitFor(() => text(fresh) === 'orld!', { what: 'edits relayed' });
    const late = await open(behind);
    await waitFor(() => text(late) === 'orld!', { what: 'behind device caught up' });
    for (const c of [...joined, upToDate1, upToDate2, fresh, late]) {
      expect(Y.encodeStateVector(c.doc)).toEqual(Y.encodeStateVector(a.doc));
      expect(text(c)).toBe('orld!');
    }
  });
});
