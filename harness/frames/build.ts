/**
 * Building blocks of the hostile frames: the y-websocket framing, and
 * the updates a session's own replica (its fork) makes, faithfully or mutated.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import type { Random } from '../random.ts';

export type Outcome = 'benign' | 'maybe' | number;

export interface Frame {
  kind: string;
  data: Uint8Array | string;
  outcome: Outcome;
  /** A sync step 1: the server answers it with a step 2 unless it closes. */
  asks?: true;
  /** An update a writer's session may get stored (never from writers on the victim docs). */
  stores?: true;
}

/** What a session knows when it makes a frame. */
export interface SessionState {
  rand: Random;
  /** The session's own replica of the doc (a fork that also makes its "valid" updates). */
  fork: Y.Doc;
  /** The member may write this doc. */
  writer: boolean;
  /**
   * Only frames that cannot carry a decodable update: for writers on the docs whose
   * well-behaved clients must end byte-identical.
   */
  safeOnly: boolean;
  /** Presence ids of the well-behaved clients, to impersonate. */
  victims: number[];
  maxFrameBytes: number;
  maxUpdateStructs: number;
  /** The server's state vector from its sync step 1: asking with it gets a small answer. */
  serverStateVector: Uint8Array | null;
  /**
   * Send updates as diffs against the server's state (as a sync step 2 would be), so that
   * edits the server refused earlier never leave a later update without its dependencies.
   */
  diffAgainstServer: boolean;
  /**
   * A mutated update may have been stored in its mutated form: the fork and the server now
   * disagree about the fork's own structs, so its later updates may rightly be refused.
   */
  tainted: boolean;
}

/** Mostly the server's own state vector (cheap answers), sometimes the fork's (the whole doc). */
export const askVector = (s: SessionState) =>
  s.serverStateVector && s.rand.chance(0.9) ? s.serverStateVector : Y.encodeStateVector(s.fork);

export const enc = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

export const syncFrame = (sub: number, payload: Uint8Array) =>
  enc((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, sub);
    encoding.writeVarUint8Array(e, payload);
  });

export const awarenessFrame = (entries: readonly [number, number, string][]) =>
  enc((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(
      e,
      enc((a) => {
        encoding.writeVarUint(a, entries.length);
        for (const [id, clock, json] of entries) {
          encoding.writeVarUint(a, id);
          encoding.writeVarUint(a, clock);
          encoding.writeVarString(a, json);
        }
      }),
    );
  });

/** A varint that never ends, or ends far beyond 2^53. */
export const hugeVarint = (rand: Random) => new Uint8Array(8 + rand.int(12)).fill(0xff);

/** Random edits on the fork, confined to the junk types so nobody's real content is touched. */
export function editFork(s: SessionState, bigText = false): Uint8Array {
  const { fork, rand } = s;
  const before = s.diffAgainstServer && s.serverStateVector ? s.serverStateVector : Y.encodeStateVector(fork);
  fork.transact(() => {
    const text = fork.getText('junkText');
    const map = fork.getMap('junk');
    const xml = fork.getXmlFragment('junkXml');
    if (bigText) text.insert(0, 'x'.repeat(s.maxFrameBytes / 8 + rand.int(s.maxFrameBytes / 2)));
    for (let i = 0, n = 1 + rand.int(6); i < n; i++) {
      switch (rand.int(6)) {
        case 0:
          text.insert(
            rand.int(text.length + 1),
            `t${rand.int(1e6)}`,
            rand.chance(0.3) ? { bold: true } : undefined,
          );
          break;
        case 1:
          if (text.length > 0) text.delete(rand.int(text.length), 1 + rand.int(Math.min(text.length, 40)));
          break;
        case 2:
          map.set(`k${rand.int(50)}`, rand.chance(0.5) ? rand.int(1e9) : new Y.Map());
          break;
        case 3:
          map.delete(`k${rand.int(50)}`);
          break;
        case 4: {
          const p = new Y.XmlElement('p');
          p.insert(0, [new Y.XmlText(`x${rand.int(1e6)}`)]);
          xml.insert(rand.int(xml.length + 1), [p]);
          break;
        }
        case 5:
          if (xml.length > 0) xml.delete(rand.int(xml.length), 1);
          break;
      }
    }
  });
  return Y.encodeStateAsUpdate(fork, before);
}

export function mutate(rand: Random, bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  for (let i = 0, n = 1 + rand.int(4); i < n; i++) {
    const at = rand.int(out.length);
    out[at] = rand.weighted([
      [2, rand.int(256)],
      [1, out[at]! ^ (1 << rand.int(8))],
      [1, rand.pick([0, 1, 0x7f, 0x80, 0xff])],
    ]);
  }
  return out;
}

/** An update with more structs than the server decodes: refused by the scan, unbuilt. */
export function tooManyStructs(s: SessionState): Uint8Array {
  return enc((e) => {
    const clients = s.rand.chance(0.5) ? s.maxUpdateStructs + 1 : 1;
    encoding.writeVarUint(e, clients);
    encoding.writeVarUint(e, s.rand.chance(0.5) ? 2 ** 40 : s.maxUpdateStructs + 1);
    encoding.writeVarUint(e, s.rand.int(2 ** 31));
    for (let i = 0; i < 64; i++) encoding.writeUint8(e, 0);
  });
}

/** A million one-byte GC structs of a million clients (~7 MiB): what the struct budget stops. */
export function structFlood(count: number): Uint8Array {
  return syncFrame(
    2,
    enc((e) => {
      encoding.writeVarUint(e, count);
      for (let i = 0; i < count; i++) {
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint(e, 1_000_000 + i);
        encoding.writeVarUint(e, 0);
        encoding.writeUint8(e, 0);
        encoding.writeVarUint(e, 1);
      }
      encoding.writeVarUint(e, 0);
    }),
  );
}

export function presenceState(s: SessionState): string {
  return JSON.stringify(
    s.rand.weighted<unknown>([
      [4, { cursor: { anchor: s.rand.int(1000), head: s.rand.int(1000) } }],
      [1, { user: { name: 'The Owner', role: 'participant', color: '#000' }, marker: 'spoofed' }],
      [1, { ['__proto__']: { polluted: true }, n: s.rand.int(9) }],
      [1, {}],
    ]),
  );
}
