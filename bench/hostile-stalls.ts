/**
 * `npx tsx bench/hostile-stalls.ts`: the longest the sync server's event loop is held by the
 * costliest input a member may send within the limits (issue 9: "no input stalls the event
 * loop for more than 100 ms"), measured by the server itself (`varde_event_loop_delay_max_ms`
 * on /metrics, reset by each scrape).
 *
 * One server process on its defaults (only the HTTP rate limits lifted). The scenarios, each
 * on its own plan and repeated to report the worst:
 * - the largest update allowed: `--max-update-structs` structs in one frame, from a writer;
 * - a doc grown to `--max-doc-structs` by smaller ones after it, then loaded from storage by a new
 *   connection after it was unloaded, and answered to a new device (sync step 1, empty);
 * - the costliest sync step 1 allowed against that doc (every known client at clock 0, plus
 *   10,000 invented ones);
 * - compacting and unloading that doc when idle;
 * - an update that throws on that doc (harness/broken-updates.ts), so the write guard rebuilds
 *   its copy of the whole doc;
 * - a crowd: 19,000 one-character items from 19,000 client ids at one spot, in one update
 *   (Yjs's placing walk grows with the square of such a crowd; refused past the conflict budget);
 * - many frames in one TCP write: forty updates of 1,400 structs, each just under the size that
 *   waits its turn in the fair queue, sent corked (ws handles every complete frame of a read in
 *   one go unless told otherwise: `allowSynchronousEvents`).
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { syncProtocols } from '../core/access/index.ts';
import { newPlanId } from '../core/model/ids.ts';
import { DEFAULTS } from '../sync-server/config.ts';
import { COSTLY_FRAME_BYTES } from '../sync-server/sync/connection.ts';
import { GC_PREFIX } from '../harness/broken-updates.ts';
import { crowdUpdate } from '../harness/frames/frames.ts';
import { machine } from './lib/machine.ts';
import { startMainServer } from './lib/main-server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROOM_IDLE_MS = 1000;

async function json(url: string, method: string, body?: unknown, secret?: string) {
  const res = await fetch(url, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(secret ? { Authorization: `Bearer ${secret}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json() as Promise<Record<string, string>>;
}

/** The server's worst event-loop delay since the last call. */
async function loopDelay(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^varde_event_loop_delay_max_ms (\d+)/m.exec(text)?.[1] ?? NaN);
}

const frame = (sub: number, payload: Uint8Array) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
};

/** An update of `n` structs that cannot merge: characters inserted one by one at the front. */
function structsUpdate(doc: Y.Doc, n: number): Uint8Array {
  const before = Y.encodeStateVector(doc);
  const text = doc.getText('body');
  doc.transact(() => {
    for (let i = 0; i < n; i++) text.insert(0, 'x');
  });
  return Y.encodeStateAsUpdate(doc, before);
}

interface Socket {
  ws: WebSocket;
  received: () => number;
  /** The payload of the last sync step 2 the server sent. */
  last: () => Uint8Array | null;
  close: () => void;
}

async function open(server: string, planId: string, doc: string, token: string): Promise<Socket> {
  const ws = new WebSocket(`${server.replace(/^http/, 'ws')}/sync/${planId}/${doc}`, syncProtocols(token), {
    perMessageDeflate: false,
  });
  let count = 0;
  let last: Uint8Array | null = null;
  ws.on('message', (d: Buffer) => {
    count++;
    const dec = decoding.createDecoder(new Uint8Array(d));
    if (decoding.readVarUint(dec) === 0 && decoding.readVarUint(dec) === 1)
      last = decoding.readVarUint8Array(dec);
  });
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', (code) => reject(new Error(`closed ${code}`)));
  });
  while (count === 0) await sleep(5); // the server's sync step 1
  return { ws, received: () => count, last: () => last, close: () => ws.close() };
}

async function main() {
  const repeat = Number(process.argv[2] ?? 3);
  const server = await startMainServer('hostile-stalls', { VARDE_ROOM_IDLE_MS: String(ROOM_IDLE_MS) });
  const results: Record<string, number[]> = {};
  const record = (what: string, ms: number) => (results[what] ??= []).push(ms);
  try {
    for (let r = 0; r < repeat; r++) {
      const planId = newPlanId();
      const owner = await json(`${server.url}/api/plans`, 'POST', { planId, name: 'Bench' });
      const token = async () =>
        (await json(`${server.url}/api/plans/${planId}/tokens`, 'POST', {}, owner.memberSecret)).token!;
      const doc = new Y.Doc();
      // First the doc GC_PREFIX.update breaks on, for the last scenario.
      Y.applyUpdate(doc, GC_PREFIX.doc);
      const writer = await open(server.url, planId, 'plan', await token());
      writer.ws.send(frame(2, GC_PREFIX.doc));
      // The largest update allowed first, then smaller ones up to the doc's struct cap (the
      // write guard charges each struct two possible splits, so the last ones may be refused).
      const sizes = [DEFAULTS.maxUpdateStructs - 10];
      const FILL = 4000;
      let total = sizes[0]!;
      while (total + FILL <= DEFAULTS.maxDocStructs) {
        sizes.push(FILL);
        total += FILL;
      }
      let written = 0;
      for (const [i, per] of sizes.entries()) {
        const update = structsUpdate(doc, per);
        written += per;
        await sleep(300);
        await loopDelay(server.url);
        writer.ws.send(frame(2, update));
        await sleep(600);
        const what =
          i === 0
            ? `the largest update allowed, ${per.toLocaleString('en')} structs`
            : `one update of ${per.toLocaleString('en')} structs (doc at ${written.toLocaleString('en')})`;
        record(what, await loopDelay(server.url));
      }
      writer.close();
      await sleep(ROOM_IDLE_MS + 3000); // unloaded (and compacted)
      record('compacting and unloading that doc when idle', await loopDelay(server.url));
      const reader = await open(server.url, planId, 'plan', await token());
      await sleep(300);
      record('loading that doc from storage at connect', await loopDelay(server.url));
      reader.ws.send(frame(0, Y.encodeStateVector(new Y.Doc())));
      await sleep(600);
      record('answering a new device (whole doc)', await loopDelay(server.url));
      // The answer holds every struct written: the updates were stored, not refused.
      const got = new Y.Doc();
      Y.applyUpdate(got, reader.last()!);
      // The last update may be refused: the write guard's bound near --max-doc-structs.
      const held = got.getText('body').length;
      if (held < written / 2) throw new Error(`the server holds only ${held} of ${written} structs`);
      record('structs the server held', held);
      const known = [...Y.decodeStateVector(Y.encodeStateVector(doc)).keys()];
      const costly = (() => {
        const e = encoding.createEncoder();
        const ids = [...known, ...Array.from({ length: 10_000 }, (_, i) => 1_000_000_000 + i)];
        encoding.writeVarUint(e, ids.length);
        for (const id of ids) {
          encoding.writeVarUint(e, id);
          encoding.writeVarUint(e, 0);
        }
        return encoding.toUint8Array(e);
      })();
      reader.ws.send(frame(0, costly));
      await sleep(600);
      record('the costliest sync step 1 allowed', await loopDelay(server.url));
      const breaker = await open(server.url, planId, 'plan', await token());
      breaker.ws.send(frame(2, GC_PREFIX.update));
      await sleep(1000);
      record("an update that throws (the write guard's copy rebuilt)", await loopDelay(server.url));
      breaker.close();
      const crowder = await open(server.url, planId, 'plan', await token());
      await sleep(300);
      await loopDelay(server.url);
      crowder.ws.send(frame(2, crowdUpdate(19_000, 1_000 + r * 100_000)));
      await sleep(1000);
      record('a crowd of 19,000 client ids at one spot, one update', await loopDelay(server.url));
      crowder.close();
      reader.close();
      const burster = await open(server.url, planId, 'goals', await token());
      const goals = new Y.Doc();
      const burst = Array.from({ length: 40 }, () => frame(2, structsUpdate(goals, 1400)));
      if (burst.some((f) => f.byteLength >= COSTLY_FRAME_BYTES))
        throw new Error('a frame of the burst is queued');
      await sleep(300);
      await loopDelay(server.url);
      const tcp = (burster.ws as unknown as { _socket: import('node:net').Socket })._socket;
      tcp.cork();
      for (const f of burst) burster.ws.send(f);
      tcp.uncork();
      await sleep(1500);
      record('forty updates of 1,400 structs in one TCP write', await loopDelay(server.url));
      burster.close();
    }
  } finally {
    await server.stop();
  }
  const m = machine();
  console.log(`hostile stalls: server event-loop delay max (ms), ${repeat} runs, defaults`);
  console.log(`machine: ${JSON.stringify(m)}`);
  for (const [what, values] of Object.entries(results)) {
    console.log(`  ${what.padEnd(58)} worst ${Math.max(...values)}  all ${values.join(', ')}`);
  }
}

await main();
