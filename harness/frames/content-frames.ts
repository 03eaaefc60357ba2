/**
 * Hostile content inside well-formed frames of every message type (issue 9): Yjs updates with
 * every content ref and malformed payloads (yjs-content.ts) as sync step 2 and as update,
 * state vectors that are garbage or far larger than the doc, presence states nested too deep or
 * holding lone surrogates, auth messages carrying anything. Weighted lists for frames.ts.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES } from '../../core/access/index.ts';
import { awarenessFrame, enc, hugeVarint, syncFrame, type Frame, type SessionState } from './build.ts';
import { contentUpdate } from './yjs-content.ts';

type Gen = (s: SessionState) => Frame;

/** Entries a state vector may name beyond the doc's clients (Connection.syncStep1). */
const EXTRA_STATE_VECTOR_ENTRIES = 10_000;

/** A sync frame carrying `payload`, then `tail` inside the same frame (after the payload). */
const syncFrameWithTail = (sub: number, payload: Uint8Array, tail?: Uint8Array) =>
  tail ? new Uint8Array([...syncFrame(sub, payload), ...tail]) : syncFrame(sub, payload);

/** Clients in the server's doc when the session connected (its sync step 1). */
const knownClients = (s: SessionState) =>
  s.serverStateVector ? Y.decodeStateVector(s.serverStateVector).size : 0;

function stateVector(entries: number, rand: SessionState['rand'], claimed = entries): Uint8Array {
  return enc((e) => {
    encoding.writeVarUint(e, claimed);
    for (let i = 0; i < entries; i++) {
      encoding.writeVarUint(e, 1 + rand.int(2 ** 32 - 2));
      encoding.writeVarUint(e, rand.pick([0, 1, rand.int(1e6), 2 ** 53 - 1]));
    }
  });
}

/** Frames after which the server carries on: denied, stored, ignored or answered. */
export const CONTENT_BENIGN: [number, Gen][] = [
  [
    // Passes the scan: permission-denied for a member who may not write; for a writer (on the
    // docs nobody must keep identical) stored, or, when odd (missing parents, wrong types,
    // clocks near 2^53), stored, left waiting or refused.
    5,
    (s) => {
      let c = contentUpdate(s.rand);
      while (c.verdict === 'refused') c = contentUpdate(s.rand);
      return {
        kind: `update-${c.kind}`,
        data: syncFrame(s.rand.pick([1, 2]), c.update),
        outcome: !s.writer || c.verdict === 'clean' ? 'benign' : 'maybe',
        stores: true,
      };
    },
  ],
  [
    // The auth sub-protocol is ignored whatever it carries.
    2,
    (s) => ({
      kind: 'auth-hostile',
      data: s.rand.pick([
        () => new Uint8Array([2, ...contentUpdate(s.rand).update]),
        () => new Uint8Array([2, ...hugeVarint(s.rand)]),
        () => new Uint8Array([2, 0, ...enc((e) => encoding.writeVarString(e, '{'.repeat(1000)))]),
      ])(),
      outcome: 'benign',
    }),
  ],
  [
    2,
    (s) => ({
      kind: 'awareness-odd',
      data: s.rand.pick([
        // lone surrogates (as JSON escapes), nesting at the bound, ids and clocks at the edges
        () => awarenessFrame([[s.fork.clientID, 1 + s.rand.int(1e6), '{"name":"\\ud800","c":"\\udfff"}']]),
        () =>
          awarenessFrame([
            [s.fork.clientID, 1 + s.rand.int(1e6), `{"a":${'['.repeat(31)}${']'.repeat(31)}}`],
          ]),
        () => awarenessFrame([[s.rand.pick([0, 2 ** 53 - 1]), 2 ** 53 - 1, '{}']]),
        // bytes after the awareness payload, in the same frame
        () => new Uint8Array([...awarenessFrame([[s.fork.clientID, 7, '{}']]), ...s.rand.bytes(4)]),
      ])(),
      outcome: 'benign',
    }),
  ],
  [
    // Many unknown clients, within the bound: answered, for a token.
    1,
    (s) => ({
      kind: 'step1-large',
      data: syncFrame(0, stateVector(100 + s.rand.int(EXTRA_STATE_VECTOR_ENTRIES - 1000), s.rand)),
      outcome: 'benign',
      asks: true,
    }),
  ],
];

/** Frames that must close with badMessage, from any member (also writers on the victim docs). */
export const CONTENT_HOSTILE: [number, Gen][] = [
  [
    16,
    (s) => {
      const c = contentUpdate(s.rand, true);
      return {
        kind: `update-${c.kind}`,
        data: syncFrameWithTail(s.rand.pick([1, 2]), c.update, c.tail),
        outcome: CLOSE_CODES.badMessage,
      };
    },
  ],
  [
    2,
    (s) => {
      // More entries than the doc's clients plus the margin: counted, or sent in full.
      const full = s.rand.chance(0.2);
      const n = knownClients(s) + EXTRA_STATE_VECTOR_ENTRIES + 1000 + s.rand.int(full ? 1000 : 2 ** 40);
      return {
        kind: full ? 'step1-huge' : 'step1-huge-count',
        data: syncFrame(0, full ? stateVector(n, s.rand) : stateVector(s.rand.int(3), s.rand, n)),
        outcome: CLOSE_CODES.badMessage,
      };
    },
  ],
  [
    2,
    (s) => ({
      kind: 'step1-bad',
      data: syncFrame(
        0,
        s.rand.pick([
          () =>
            new Uint8Array([...stateVector(1 + s.rand.int(3), s.rand), ...s.rand.bytes(1 + s.rand.int(4))]),
          () => stateVector(1, s.rand, 3 + s.rand.int(100)),
          () => new Uint8Array([1, 5, ...hugeVarint(s.rand)]),
        ])(),
      ),
      outcome: CLOSE_CODES.badMessage,
    }),
  ],
  [
    3,
    (s) => ({
      kind: 'awareness-hostile',
      data: s.rand.pick([
        () => {
          const d = s.rand.pick([33, 1000, 100_000]);
          return awarenessFrame([[s.fork.clientID, 1, `{"a":${'['.repeat(d)}${']'.repeat(d)}}`]]);
        },
        () => awarenessFrame([[s.fork.clientID, 1, s.rand.pick(['undefined', '"\\ud800', '[{}]', 'true'])]]),
        // a count of 2^40 entries, one of them present
        () =>
          enc((e) => {
            encoding.writeVarUint(e, 1);
            encoding.writeVarUint8Array(
              e,
              enc((a) => {
                encoding.writeVarUint(a, 2 ** 40);
                encoding.writeVarUint(a, 1);
                encoding.writeVarUint(a, 1);
                encoding.writeVarString(a, '{}');
              }),
            );
          }),
        // a clock that never ends
        () =>
          enc((e) => {
            encoding.writeVarUint(e, 1);
            encoding.writeVarUint8Array(e, new Uint8Array([1, 1, ...hugeVarint(s.rand)]));
          }),
      ])(),
      outcome: CLOSE_CODES.badMessage,
    }),
  ],
];

/** A hostile-content update as a state vector: garbage to the state vector reader. */
export const contentAsStateVector = (s: SessionState) => syncFrame(0, contentUpdate(s.rand).update);
