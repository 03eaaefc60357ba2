// @vitest-environment node
/**
 * The server never keeps updates waiting for structs it lacks (write-guard.ts `lacks`): such an
 * update is not stored, and the sender is sent a sync step 1, which a y-websocket client answers
 * with everything the server lacks. Tested with the real y-websocket client on a real server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, registerPlan, sleep, waitFor, type Client } from '../../harness/server.ts';
import { withServer } from './with-server.ts';

const t = withServer();
const clients: Client[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

/** Whether a doc holds structs that wait for others it has not got. */
const waits = (doc: Y.Doc) => doc.store.pendingStructs !== null || doc.store.pendingDs !== null;

describe('an edit that builds on one the server has not got', () => {
  it('is asked for again and arrives with what it builds on, and nothing waits on the server', async () => {
    const owner = await registerPlan(t.url);
    const page = await connect(t, owner, 'plan');
    const reader = await connect(t, owner, 'plan');
    clients.push(page, reader);
    await page.synced();
    await reader.synced();

    // The person's other page typed "Walk " while its socket was down; this page got it
    // directly (as from another page, not forwarded), then typed after it.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(page.doc));
    other.getText('t').insert(0, 'Walk ');
    Y.applyUpdate(page.doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(page.doc)), page.provider);
    page.doc.getText('t').insert(5, 'every day');

    await waitFor(() => reader.doc.getText('t').toString() === 'Walk every day', {
      what: 'both edits on the reader',
    });
    expect(page.closes).toEqual([]);
    expect(page.denied).toEqual([]);

    // A device that opens the plan now gets both from the server, with nothing waiting.
    const fresh = await connect(t, owner, 'plan');
    clients.push(fresh);
    await fresh.synced();
    expect(fresh.doc.getText('t').toString()).toBe('Walk every day');
    expect(waits(fresh.doc)).toBe(false);
  });

  it('a client that lacks it too is asked again only once the doc has changed', async () => {
    const owner = await registerPlan(t.url);
    const page = await connect(t, owner, 'plan', { connect: false });
    const writer = await connect(t, owner, 'plan');
    clients.push(page, writer);
    await writer.synced();
    let stepOnes = 0;
    const handler = page.provider.messageHandlers[0]!;
    page.provider.messageHandlers[0] = (...args: Parameters<typeof handler>) => {
      const [, decoder] = args;
      // A sync message (type 0) whose step is 1 (0): the server asks for what it lacks.
      if (decoder.arr[decoder.pos] === 0) stepOnes++;
      return handler(...args);
    };

    // This page waits for an edit nobody will send, so every answer it gives lacks it; it also
    // has an edit of its own, which the server takes.
    const lost = new Y.Doc();
    lost.getText('t').insert(0, 'lost');
    const built = new Y.Doc();
    Y.applyUpdate(built, Y.encodeStateAsUpdate(lost));
    built.getText('t').insert(4, ' and found');
    Y.applyUpdate(page.doc, Y.encodeStateAsUpdate(built, Y.encodeStateVector(lost)));
    expect(waits(page.doc)).toBe(true);
    page.doc.getMap('m').set('mine', 1);
    page.provider.connect();

    await waitFor(() => writer.doc.getMap('m').get('mine') === 1, { what: "the page's own edit" });
    await waitFor(() => stepOnes >= 2, { what: 'asked for what is lacking' });
    // The asks stop: one for the first answer, one more because its own edit changed the doc.
    const settled = async () => {
      let seen = -1;
      while (seen !== stepOnes) {
        seen = stepOnes;
        await sleep(500);
      }
      return seen;
    };
    const asked = await settled();
    expect(asked).toBeLessThanOrEqual(3);
    writer.doc.getMap('m').set('news', 1);
    await waitFor(() => stepOnes > asked, { what: 'asked again after a change' });
    expect(await settled()).toBe(asked + 1);
    expect(page.closes).toEqual([]);
    expect(writer.doc.getText('t').toString()).toBe('');
  });
});
