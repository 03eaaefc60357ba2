/**
 * Costly work takes turns (sync-server/sync/fair-queue.ts): a member who sends updates that
 * each cost the server a few hundred milliseconds, from every doc of several plans at once and
 * within every budget, slows their own writes, not `/healthz` and not other clients. Before the
 * fair queue, the server handled such frames as they arrived and applied each commit batch at
 * once, and `/healthz` waited behind all of it (the frame fuzz saw 7–18 s; docs/reliability.md).
 * A real server in a child process, so the test's own work does not share its event loop.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { syncProtocols } from '../../core/access/index.ts';
import { DOC_NAMES } from '../../core/model/schema.ts';
import {
  rawSocket,
  registerPlan,
  sleep,
  token,
  waitFor,
  type ChildServer,
  type Member,
  type RawSocket,
} from '../../harness/server.ts';
import { withChildServer } from './with-server.ts';

/** Entries in one update: each is a struct of its own, near the server's 20,000 a frame. */
const ENTRIES = 19_000;

function frame(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** A sync update setting `ENTRIES` keys of a map: small in bytes, costly to check and apply. */
function costlyUpdate(tag: string): Uint8Array {
  const d = new Y.Doc();
  const m = d.getMap(`load-${tag}`);
  d.transact(() => {
    for (let i = 0; i < ENTRIES; i++) m.set(`k${i}`, i);
  });
  const update = Y.encodeStateAsUpdate(d);
  d.destroy();
  return frame(2, update);
}

async function opened(s: ChildServer, m: Member, doc: string): Promise<RawSocket> {
  const { token: t } = await token(s.url, m);
  const socket = rawSocket(s.wsUrl, `/${m.planId}/${doc}`, { protocols: syncProtocols(t) });
  expect(await socket.opened).toBe(true);
  await waitFor(() => socket.messages.length > 0, { what: "the server's sync step 1" });
  return socket;
}

describe('costly frames take turns', () => {
  // Three such updates to one doc pass the write guard's byte bound at the default doc cap
  // (each struct is charged two possible splits), so the caps are raised for every update to
  // be stored: the subject here is the queue, not the cap.
  const s = withChildServer({ VARDE_MAX_DOC_BYTES: String(8 * 1024 * 1024 - 64 * 1024) });

  it('/healthz answers within 600 ms while one member sends 24 updates of 19,000 entries at once, and every update arrives', async () => {
    const owners = [await registerPlan(s.url), await registerPlan(s.url)];
    const writers: RawSocket[] = [];
    const readers: RawSocket[] = [];
    for (const owner of owners) {
      for (const doc of DOC_NAMES) {
        writers.push(await opened(s, owner, doc));
        const reader = await opened(s, owner, doc);
        reader.ws.send(frame(0, Y.encodeStateVector(new Y.Doc()))); // reads live updates
        readers.push(reader);
      }
    }
    await waitFor(() => readers.every((r) => r.messages.length >= 2), { what: 'the readers’ answers' });
    const counts = readers.map((r) => r.messages.length);
    const updates = writers.map((_, i) => [
      costlyUpdate(`${i}a`),
      costlyUpdate(`${i}b`),
      costlyUpdate(`${i}c`),
    ]);

    const latencies: number[] = [];
    const started = performance.now();
    for (const [i, w] of writers.entries()) for (const u of updates[i]!) w.ws.send(u);
    const arrived = () => readers.reduce((n, r, i) => n + r.messages.length - counts[i]!, 0);
    while (arrived() < 24 && performance.now() - started < 60_000) {
      const t0 = performance.now();
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      latencies.push(performance.now() - t0);
      await sleep(25);
    }
    const took = performance.now() - started;
    const slowest = Math.max(...latencies);
    console.log(
      `fairness: 24 updates of ${ENTRIES} entries relayed in ${Math.round(took)} ms; /healthz slowest ${Math.round(slowest)} ms over ${latencies.length} probes`,
    );
    expect(arrived()).toBe(24);
    expect(writers.every((w) => w.ws.readyState === w.ws.OPEN)).toBe(true);
    // The server was busy for seconds, and /healthz was served between the frames (the
    // costliest single step here is about 100 ms; handled as they came, 1.2-1.9 s).
    expect(took).toBeGreaterThan(1500);
    expect(slowest).toBeLessThan(600);
    for (const socket of [...writers, ...readers]) socket.ws.terminate();
  });
});
