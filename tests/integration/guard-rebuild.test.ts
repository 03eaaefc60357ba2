// @vitest-environment node
/**
 * When the write guard's copy of a doc has to be rebuilt (an update threw on it), the rebuild
 * runs in turns (write-guard.ts, in-turns.ts) rather than in the frame that caused it. An
 * honest writer's edit that arrives meanwhile is not stored then (`busy`); the server asks that
 * client again once the copy is ready, and the edit arrives. Real server, real y-websocket
 * clients; the doc is large enough (60,000 structs) that the rebuild takes several turns.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { syncFrame } from '../../harness/frames/build.ts';
import { connect, registerPlan, waitFor, type Client } from '../../harness/server.ts';
import { GC_PREFIX } from '../../harness/broken-updates.ts';
import { withServer } from './with-server.ts';

const t = withServer();
const clients: Client[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  return Number(new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
}

describe('a rebuild of the write guard under way', () => {
  it('an honest edit that meets it is asked for again and arrives; the update that caused it is refused', async () => {
    const owner = await registerPlan(t.url);
    const writer = await connect(t, owner, 'goals');
    const hostile = await connect(t, owner, 'goals');
    const reader = await connect(t, owner, 'goals');
    clients.push(writer, hostile, reader);
    await Promise.all([writer.synced(), hostile.synced(), reader.synced()]);

    // The doc the hostile update breaks on, then 60,000 structs that cannot merge.
    Y.applyUpdate(writer.doc, GC_PREFIX.doc);
    const filler = writer.doc.getText('filler');
    for (let round = 0; round < 15; round++) {
      writer.doc.transact(() => {
        for (let i = 0; i < 4_000; i++) filler.insert(0, 'x');
      });
    }
    await waitFor(() => reader.doc.getText('filler').length === 60_000, { what: 'the filler on the reader' });
    const rebuildsBefore = await metric('varde_guard_rebuilds_total');

    // In one tick: the update that throws on the guard's copy, then an honest edit.
    hostile.provider.ws!.send(syncFrame(2, GC_PREFIX.update));
    writer.doc.getMap('plan').set('walk', 'every morning');

    await waitFor(() => reader.doc.getMap('plan').get('walk') === 'every morning', {
      what: 'the honest edit on the reader',
      timeout: 15_000,
    });
    expect(hostile.closes.map((c) => c.code)).toContain(4400);
    expect(writer.closes).toEqual([]);
    expect(await metric('varde_guard_rebuilds_total')).toBe(rebuildsBefore + 1);
    // The honest edit met the rebuild (that is what this test is about) and was asked again.
    expect(await metric('varde_updates_refused_total{reason="busy"}')).toBeGreaterThanOrEqual(1);

    // A device that opens the plan now gets everything, from storage too.
    const fresh = await connect(t, owner, 'goals');
    clients.push(fresh);
    await fresh.synced();
    expect(fresh.doc.getMap('plan').get('walk')).toBe('every morning');
    expect(fresh.doc.getText('filler').length).toBe(60_000);
  });
});
