/**
 * The hostile frames of `npm run fuzz:frames`: random, truncated, oversized and type-confused
 * frames, invalid and enormous Yjs updates, huge varints, presence for other clients' ids.
 * Each generator says what the server must do with it: carry on (`benign`), close with one
 * documented code, or either (`maybe`: e.g. a mutated update may still be a valid one).
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES } from '../../core/access/index.ts';
import {
  askVector,
  awarenessFrame,
  editFork,
  enc,
  hugeVarint,
  mutate,
  presenceState,
  syncFrame,
  tooManyStructs,
  type Frame,
  type SessionState,
} from './build.ts';

import { CONTENT_BENIGN, CONTENT_HOSTILE, contentAsStateVector } from './content-frames.ts';

export { structFlood, type Frame, type Outcome, type SessionState } from './build.ts';

type Gen = (s: SessionState) => Frame;

/** Frames after which the server carries on (or answers). */
const BENIGN: [number, Gen][] = [
  [6, (s) => ({ kind: 'step1', data: syncFrame(0, askVector(s)), outcome: 'benign', asks: true })],
  [3, () => ({ kind: 'update-empty', data: syncFrame(2, new Uint8Array([0, 0])), outcome: 'benign' })],
  [
    10,
    (s) => ({
      kind: 'awareness-own',
      data: awarenessFrame([[s.fork.clientID, 1 + s.rand.int(1e6), presenceState(s)]]),
      outcome: 'benign',
    }),
  ],
  [
    8,
    (s) => ({
      kind: 'awareness-other',
      data: awarenessFrame(
        (s.victims.length ? s.victims : [1]).map((id) => [
          id,
          s.rand.pick([0, 1, 2 ** 31, 2 ** 53 - 1]),
          s.rand.chance(0.5) ? 'null' : presenceState(s),
        ]),
      ),
      outcome: 'benign',
    }),
  ],
  [
    2,
    (s) => ({
      kind: 'awareness-many',
      data: awarenessFrame(
        Array.from(
          { length: 200 + s.rand.int(800) },
          () => [s.rand.int(2 ** 32), s.rand.int(99), 'null'] as const,
        ),
      ),
      outcome: 'benign',
    }),
  ],
  [4, () => ({ kind: 'query-awareness', data: new Uint8Array([3]), outcome: 'benign' })],
  [
    2,
    (s) => ({ kind: 'auth', data: new Uint8Array([2, ...s.rand.bytes(s.rand.int(40))]), outcome: 'benign' }),
  ],
  [
    // From a member who may not write: refused with permission-denied, connection open.
    // From a writer: stored (on the docs nobody must keep identical).
    12,
    (s) => ({ kind: 'update-valid', data: syncFrame(s.rand.pick([1, 2]), editFork(s)), outcome: 'benign' }),
  ],
  ...CONTENT_BENIGN,
];

/** Frames that may or must close the connection. */
const HOSTILE: [number, Gen][] = [
  [6, (s) => ({ kind: 'random', data: s.rand.bytes(s.rand.int(64)), outcome: 'maybe' })],
  [1, (s) => ({ kind: 'random-4k', data: s.rand.bytes(s.rand.int(4096)), outcome: 'maybe' })],
  [2, () => ({ kind: 'empty', data: new Uint8Array(0), outcome: CLOSE_CODES.badMessage })],
  [
    2,
    (s) => ({ kind: 'text', data: `{"type":"sync","n":${s.rand.int(9)}}`, outcome: CLOSE_CODES.badMessage }),
  ],
  [
    3,
    (s) => ({
      kind: 'unknown-type',
      data: enc((e) => encoding.writeVarUint(e, 4 + s.rand.int(2 ** 30))),
      outcome: CLOSE_CODES.badMessage,
    }),
  ],
  [
    2,
    (s) => ({
      kind: 'sync-unknown-subtype',
      data: syncFrame(3 + s.rand.int(100), s.rand.bytes(4)),
      outcome: CLOSE_CODES.badMessage,
    }),
  ],
  [
    3,
    (s) => ({
      kind: 'huge-varint',
      data: new Uint8Array([0, 2, ...hugeVarint(s.rand)]),
      outcome: CLOSE_CODES.badMessage,
    }),
  ],
  [
    2,
    (s) => ({
      kind: 'huge-length',
      // A payload length of ~2^49 bytes in a tiny frame.
      data: new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, ...s.rand.bytes(8)]),
      outcome: CLOSE_CODES.badMessage,
    }),
  ],
  [
    3,
    (s) => {
      const whole = syncFrame(2, editFork(s));
      s.tainted = true;
      return { kind: 'truncated', data: whole.slice(0, s.rand.int(whole.length)), outcome: 'maybe' };
    },
  ],
  [
    3,
    (s) => ({
      kind: 'update-trailing',
      data: syncFrame(2, new Uint8Array([...editFork(s), ...s.rand.bytes(1 + s.rand.int(8))])),
      outcome: CLOSE_CODES.badMessage,
    }),
  ],
  [
    2,
    (s) => ({
      kind: 'update-too-many-structs',
      data: syncFrame(2, tooManyStructs(s)),
      outcome: CLOSE_CODES.badMessage,
    }),
  ],
  [
    1,
    (s) => ({
      // Many client ids typing at one spot: Yjs's placing walk grows with the square of the
      // crowd (conflict-budget.ts). Small crowds may pass; later ones walk them.
      kind: 'update-crowd',
      data: syncFrame(2, crowdUpdate(200 + s.rand.int(2_800), 1 + s.rand.int(2 ** 30))),
      outcome: 'maybe',
    }),
  ],
  [
    2,
    (s) => ({
      kind: 'update-huge-varint',
      data: syncFrame(2, new Uint8Array([1, ...hugeVarint(s.rand)])),
      outcome: CLOSE_CODES.badMessage,
    }),
  ],
  [
    2,
    (s) => ({
      kind: 'type-confused',
      data: s.rand.pick([
        // awareness bytes as an update, an update as a state vector, a state vector as awareness
        () => syncFrame(2, awarenessFrame([[1, 1, '{}']]).subarray(1)),
        () => syncFrame(0, editFork(s)),
        () => contentAsStateVector(s),
        () =>
          enc(
            (e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, Y.encodeStateVector(s.fork))),
          ),
      ])(),
      outcome: 'maybe',
    }),
  ],
  [
    2,
    (s) => ({
      kind: 'step1-garbage',
      data: syncFrame(0, s.rand.bytes(1 + s.rand.int(30))),
      outcome: 'maybe',
    }),
  ],
  [
    2,
    (s) => ({
      kind: 'awareness-bad-json',
      data: awarenessFrame([[s.fork.clientID, 1, s.rand.pick(['{nope', '[1,2]', '5', '"s"', '{"a":'])]]),
      outcome: CLOSE_CODES.badMessage,
    }),
  ],
  [
    1,
    (s) => ({
      kind: 'awareness-too-large',
      data: awarenessFrame([[s.fork.clientID, 1, JSON.stringify({ pad: 'p'.repeat(70_000) })]]),
      outcome: CLOSE_CODES.badMessage,
    }),
  ],
  [
    1,
    (s) => ({
      kind: 'oversize',
      data: new Uint8Array(s.maxFrameBytes + 1 + s.rand.int(4096)),
      outcome: CLOSE_CODES.frameTooLarge,
    }),
  ],
  ...CONTENT_HOSTILE,
];

/** What only writers on the docs nobody must keep identical may send: decodable surprises. */
const WRITER_ONLY: [number, Gen][] = [
  [
    8,
    (s) => {
      const data = syncFrame(2, mutate(s.rand, editFork(s)));
      s.tainted = true;
      return { kind: 'update-mutated', data, outcome: 'maybe' };
    },
  ],
  [
    1,
    (s) => {
      const data = syncFrame(2, editFork(s, true));
      // A fork holding what the server will never take starts afresh next session.
      if (data.byteLength > s.maxFrameBytes) s.tainted = true;
      // Stored, or refused as docTooLarge; a diff that also carries earlier big inserts the
      // server never took can pass the frame limit, and then it is closed with 4413.
      return {
        kind: 'update-enormous',
        data,
        outcome: data.byteLength > s.maxFrameBytes ? CLOSE_CODES.frameTooLarge : 'benign',
      };
    },
  ],
];

/** Could this frame be a sync message the server decodes as a valid update? */
const mayDecodeAsUpdate = (f: Frame) =>
  f.stores === true ||
  f.kind === 'update-valid' ||
  (typeof f.data !== 'string' && f.data[0] === 0 && f.outcome === 'maybe');

/** `safeOnly` sessions get a frame that cannot decode as an update in its place. */
function safe(s: SessionState, frame: Frame): Frame {
  if (!s.safeOnly || !mayDecodeAsUpdate(frame)) return frame;
  return { kind: 'step1', data: syncFrame(0, askVector(s)), outcome: 'benign', asks: true };
}

/** A sync step 1 whose answer proves every earlier frame was read. */
export function barrierFrame(s: SessionState): Frame {
  const sv = s.serverStateVector ?? Y.encodeStateVector(s.fork);
  return { kind: 'barrier', data: syncFrame(0, sv), outcome: 'benign', asks: true };
}

export function benignFrame(s: SessionState): Frame {
  const frame = safe(s, s.rand.weighted(BENIGN)(s));
  // A fork that kept what the server refused (docTooLarge) carries it in every later diff; past
  // the frame limit that diff is closed with 4413 before it is read, as for any client.
  if (typeof frame.data !== 'string' && frame.data.byteLength > s.maxFrameBytes) {
    s.tainted = true;
    return { ...frame, outcome: CLOSE_CODES.frameTooLarge };
  }
  return s.tainted && frame.kind === 'update-valid' ? { ...frame, outcome: 'maybe' } : frame;
}

export function hostileFrame(s: SessionState): Frame {
  if (!s.safeOnly && s.writer && s.rand.chance(0.35)) {
    const tainted = s.tainted;
    const frame = s.rand.weighted(WRITER_ONLY)(s);
    return tainted && frame.outcome === 'benign' ? { ...frame, outcome: 'maybe' } : frame;
  }
  const frame = safe(s, s.rand.weighted(HOSTILE)(s));
  return frame.outcome === 'benign' ? { kind: 'text', data: 'x', outcome: CLOSE_CODES.badMessage } : frame;
}

/** `n` client ids from `first` up, each typing one character at the start of the text `crowd`. */
export function crowdUpdate(n: number, first: number): Uint8Array {
  const updates: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const d = new Y.Doc();
    d.clientID = first + i;
    d.getText('crowd').insert(0, 'x');
    updates.push(Y.encodeStateAsUpdate(d));
    d.destroy();
  }
  return Y.mergeUpdates(updates);
}
