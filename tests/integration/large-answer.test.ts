// @vitest-environment node
/**
 * A device that made more while offline than one update may hold (`--max-update-structs`)
 * still gets all of it to the server: its answer to the server's sync step 1 goes in pieces
 * (core/sync/answer-in-pieces.ts), each applying fully after the ones before. Real server on
 * port 0, real y-websocket clients with Varde's handler (harness/server.ts `connect`), and a
 * plain y-websocket client for contrast: its single answer is over the limit and closed 4400.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { syncProtocols } from '../../core/access/index.ts';
import { connect, registerPlan, token, waitFor, type Client } from '../../harness/server.ts';
import { withServer } from './with-server.ts';

const t = withServer();
const clients: Client[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

/** A doc with `n` structs that cannot merge, made on one device (typed at the front). */
function offlineDoc(n: number): Y.Doc {
  const doc = new Y.Doc();
  const text = doc.getText('notes');
  for (let done = 0; done < n; done += 1_000) {
    doc.transact(() => {
      for (let i = 0; i < 1_000; i++) text.insert(0, i % 2 ? 'a' : 'b', i % 3 ? undefined : { bold: true });
    });
  }
  doc.getMap('plan').set('walk', 'every morning');
  return doc;
}

describe('a large answer to the server', () => {
  it('arrives whole, in pieces, from a device that made 45,000 structs offline', async () => {
    const owner = await registerPlan(t.url);
    const doc = offlineDoc(45_000);
    const device = await connect(t, owner, 'goals', { doc });
    clients.push(device);
    await device.synced();
    const reader = await connect(t, owner, 'goals');
    clients.push(reader);
    await reader.synced();
    await waitFor(() => reader.doc.getText('notes').length === 45_000, {
      what: 'all of it on another device',
      timeout: 20_000,
    });
    expect(reader.doc.getText('notes').toDelta()).toEqual(doc.getText('notes').toDelta());
    expect(reader.doc.getMap('plan').get('walk')).toBe('every morning');
    expect(device.closes).toEqual([]);
    expect(device.denied).toEqual([]);
  });

  it('is refused whole from a client that sends it as one update (why the pieces)', async () => {
    const owner = await registerPlan(t.url);
    const doc = offlineDoc(45_000);
    const closes: number[] = [];
    const provider = new WebsocketProvider(`${t.wsUrl}/${owner.planId}`, 'goals', doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      protocols: syncProtocols((await token(t.url, owner)).token),
      disableBc: true,
      maxBackoffTime: 300,
    });
    provider.on('connection-close', (event) => {
      if (event) closes.push(event.code);
    });
    try {
      await waitFor(() => closes.includes(4400), { what: 'the close', timeout: 10_000 });
    } finally {
      provider.destroy();
      doc.destroy();
    }
  });
});
