/**
 * Scenario 4, reconnect cost: client A (a real provider, behind a byte-counting relay) is in
 * sync with a doc, goes offline; B makes `k` keystrokes and syncs them; A reconnects. We count
 * every byte A and the server exchange until A holds B's edits and the line is quiet, and
 * compare with what A was missing (the new items and deletions, as one Yjs update) plus both
 * state vectors. Also shown: the same against Yjs's own diff, `Y.encodeStateAsUpdate(B, svA)`,
 * which always carries the doc's whole delete set, old deletions included.
 */
import * as Y from 'yjs';
import { Typist, sectionTexts } from '../lib/docs.ts';
import { openClient } from '../lib/provider.ts';
import { CountingProxy } from '../lib/proxy.ts';
import { holds, waitUntilHeld } from '../lib/seed.ts';
import { round, sleep, waitFor } from '../lib/stats.ts';
import { mulberry32 } from '../../harness/random.ts';
import type { Target } from '../lib/target.ts';

export interface ReconnectSize {
  baseBytes: number;
  ks: number[];
}

export interface ReconnectCase {
  k: number;
  /** Sum of the k updates as B made them. */
  updatesBytes: number;
  /** What A lacked, as one update: the new items and the new deletions. */
  missingBytes: number;
  /** A's and the server's state vectors. */
  stateVectorBytes: number;
  /** Yjs's diff for A (the missing structs plus the doc's whole delete set). */
  diffBytes: number;
  /** Bytes after the WebSocket handshake, client → server and back; the handshake apart. */
  up: number;
  down: number;
  handshake: number;
  /** (up + down) / (missing + state vectors): the target is ≤ 1.2. */
  ratio: number;
  /** (up + down) / (Yjs diff + state vectors). */
  ratioToDiff: number;
}

/** An update with no structs and no deletions: two zero counts. */
const EMPTY_UPDATE_BYTES = 2;

const sameState = (a: Y.Doc, b: Y.Doc) =>
  Buffer.compare(Buffer.from(Y.encodeStateVector(a)), Buffer.from(Y.encodeStateVector(b))) === 0;

export async function reconnect(
  target: Target,
  size: ReconnectSize,
  base: Uint8Array,
): Promise<ReconnectCase[]> {
  const proxy = await CountingProxy.start(target.port);
  const out: ReconnectCase[] = [];
  try {
    for (const k of size.ks) {
      const [ref] = await target.docs(1);
      const docB = new Y.Doc();
      Y.applyUpdate(docB, base);
      const b = openClient(ref!, target.port, docB);
      await b.synced();
      await waitUntilHeld(target, ref!, base);
      const docA = new Y.Doc();
      const a = openClient(ref!, proxy.port, docA);
      await a.synced();
      await waitFor(() => sameState(docA, docB), 'A to hold the base');
      a.disconnect();
      await sleep(200);

      // B edits while A is away (offline itself, so Varde's per-connection rate limit does not
      // pace 1000 keystrokes; the server receives them as one sync step 2 on B's reconnect).
      b.disconnect();
      await sleep(200);
      const updates: Uint8Array[] = [];
      const keep = (u: Uint8Array) => updates.push(u);
      docB.on('update', keep);
      const typist = new Typist(sectionTexts(docB)[3]!, mulberry32(k));
      for (let i = 0; i < k; i++) typist.type();
      docB.off('update', keep);
      b.connect();
      const expected = Y.parseUpdateMeta(Y.encodeStateAsUpdate(docB)).to;
      await waitFor(() => holds(target, ref!, expected), 'server to hold B', 30_000, 100);
      const svA = Y.encodeStateVector(docA);
      const svServer = Y.encodeStateVector(docB);
      const diffBytes = Y.encodeStateAsUpdate(docB, svA).byteLength;
      // What A lacks: the diff without the delete set A already holds (Yjs's diff repeats the
      // doc's whole delete set), or B's updates merged, whichever is smaller.
      const heldDeleteSet = Y.encodeStateAsUpdate(docA, svA).byteLength - EMPTY_UPDATE_BYTES;
      const missingBytes = Math.min(Y.mergeUpdates(updates).byteLength, diffBytes - heldDeleteSet);
      const stateVectorBytes = svA.byteLength + svServer.byteLength;

      proxy.reset();
      a.connect();
      await waitFor(() => sameState(docA, docB), 'A to catch up', 30_000, 5);
      // Trailing messages (the client's own step 2, acknowledgements) belong to the cost too.
      await sleep(500);
      const t = proxy.traffic();
      const total = t.up + t.down;
      out.push({
        k,
        updatesBytes: updates.reduce((n, u) => n + u.byteLength, 0),
        missingBytes,
        stateVectorBytes,
        diffBytes,
        up: t.up,
        down: t.down,
        handshake: t.handshake,
        ratio: round(total / (missingBytes + stateVectorBytes)),
        ratioToDiff: round(total / (diffBytes + stateVectorBytes)),
      });
      a.destroy();
      b.destroy();
    }
  } finally {
    await proxy.close();
  }
  return out;
}
