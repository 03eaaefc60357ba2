/**
 * Decoding and encoding of y-websocket frames (y-protocols sync, awareness, auth). Every
 * decoder throws `BadMessage` on malformed input and nothing else, so the connection can close
 * with `badMessage` while the process carries on.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as authProtocol from 'y-protocols/auth';
import { UpdateRefused, parseJson, scanUpdate, type UpdateShape } from './update-scan.ts';

/** y-websocket's message types (first varUint of a frame). */
export const MESSAGE = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;

/**
 * A frame that is not a well-formed y-websocket message; `what` names the part at fault. The connection
 * closes with `badMessage`.
 */
export class BadMessage extends Error {
  constructor(readonly what: string) {
    super(`bad message: ${what}`);
    this.name = 'BadMessage';
  }
}

export type Frame =
  /** The state vector is read later, with a bound that depends on the doc (`readStateVector`). */
  | { type: 'syncStep1'; stateVector: Uint8Array }
  /** Not decoded yet: only a member who may write pays for that (`checkUpdate`). */
  | { type: 'syncStep2' | 'update'; update: Uint8Array }
  | { type: 'awareness'; entries: AwarenessEntry[] }
  | { type: 'queryAwareness' }
  | { type: 'auth' };

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The parsed state: an object, or null when the client leaves. */
  state: Record<string, unknown> | null;
}

/** Largest awareness state accepted; a caret and a name need a few hundred bytes. */
export const MAX_AWARENESS_STATE_CHARS = 64 * 1024;

function guard<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof BadMessage) throw error;
    throw new BadMessage(what);
  }
}

export interface CheckedUpdate extends UpdateShape {
  /** Carries nothing (y-websocket answers every sync step 1 with a step 2, usually empty). */
  empty: boolean;
}

/**
 * Checks an update before it touches a doc: the cheap scan (bounds, content, and the rules Yjs
 * assumes, see update-scan.ts) and, with `decode` (for members who may write), a full decode by
 * Yjs. An update from a member who may not write is never given to Yjs.
 */
export function checkUpdate(update: Uint8Array, maxStructs: number, decode: boolean): CheckedUpdate {
  let shape: UpdateShape;
  try {
    shape = scanUpdate(update, maxStructs);
  } catch (error) {
    throw new BadMessage(error instanceof UpdateRefused ? error.what : 'update');
  }
  if (decode) guard('update', () => Y.decodeUpdate(update));
  return { ...shape, empty: shape.structs === 0 && shape.deletes === 0 };
}

/**
 * Reads a sync step 1's state vector, refusing one with more than `maxEntries` clients: Yjs
 * decodes every entry into a Map on each use, so an enormous one cost a second of CPU a frame.
 */
export function readStateVector(bytes: Uint8Array, maxEntries: number): Map<number, number> {
  return guard('state vector', () => {
    const d = decoding.createDecoder(bytes);
    const n = decoding.readVarUint(d);
    if (n > maxEntries) throw new BadMessage('state vector too large');
    const sv = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const client = decoding.readVarUint(d);
      sv.set(client, decoding.readVarUint(d));
    }
    if (decoding.hasContent(d)) throw new BadMessage('state vector');
    return sv;
  });
}

/** Encodes a state vector (as `Y.encodeStateVector` does for a doc). */
export function encodeStateVector(sv: ReadonlyMap<number, number>): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, sv.size);
  for (const [client, clock] of sv) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
  }
  return encoding.toUint8Array(e);
}

/** An update that carries only the delete set of `ranges` (for `Y.snapshotContainsUpdate`). */
export function encodeDeleteSetUpdate(ranges: readonly (readonly [number, number, number])[]): Uint8Array {
  const byClient = new Map<number, [number, number][]>();
  for (const [client, clock, length] of ranges) {
    let list = byClient.get(client);
    if (!list) byClient.set(client, (list = []));
    list.push([clock, length]);
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // no structs
  encoding.writeVarUint(e, byClient.size);
  for (const [client, list] of byClient) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, list.length);
    for (const [clock, length] of list) {
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, length);
    }
  }
  return encoding.toUint8Array(e);
}

/**
 * Decodes an awareness update into its entries. Throws `BadMessage` when it is malformed, a state is longer
 * than `MAX_AWARENESS_STATE_CHARS`, nested too deep, or neither an object nor null.
 */
export function parseAwarenessUpdate(bytes: Uint8Array): AwarenessEntry[] {
  return guard('awareness', () => {
    const d = decoding.createDecoder(bytes);
    const n = decoding.readVarUint(d);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < n; i++) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const json = decoding.readVarString(d);
      if (json.length > MAX_AWARENESS_STATE_CHARS) throw new BadMessage('awareness state too large');
      // Bounded nesting: the state is encoded again (JSON.stringify) for everyone in the doc.
      const state = parseJson(json);
      if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
        throw new BadMessage('awareness state');
      }
      entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
    }
    return entries;
  });
}

/** Encodes entries as an awareness update, the inverse of `parseAwarenessUpdate` (each state as JSON). */
export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(e, entry.clientId);
    encoding.writeVarUint(e, entry.clock);
    encoding.writeVarString(e, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(e);
}

/**
 * Decodes a frame's message type and payload; an update or state vector is not decoded here (see `Frame`).
 * Throws `BadMessage` for a malformed frame or an unknown message or sync type.
 */
export function parseFrame(data: Uint8Array): Frame {
  return guard('frame', () => {
    const d = decoding.createDecoder(data);
    const type = decoding.readVarUint(d);
    switch (type) {
      case MESSAGE.sync: {
        const syncType = decoding.readVarUint(d);
        const payload = decoding.readVarUint8Array(d);
        if (syncType === syncProtocol.messageYjsSyncStep1) return { type: 'syncStep1', stateVector: payload };
        if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          return {
            type: syncType === syncProtocol.messageYjsSyncStep2 ? 'syncStep2' : 'update',
            update: payload,
          };
        }
        throw new BadMessage('sync message type');
      }
      case MESSAGE.awareness:
        return { type: 'awareness', entries: parseAwarenessUpdate(decoding.readVarUint8Array(d)) };
      case MESSAGE.queryAwareness:
        return { type: 'queryAwareness' };
      case MESSAGE.auth:
        return { type: 'auth' };
      default:
        throw new BadMessage('message type');
    }
  });
}

/** A sync step 1 frame carrying the doc's state vector, which asks the client for what the server lacks. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.sync);
  syncProtocol.writeSyncStep1(e, doc);
  return encoding.toUint8Array(e);
}

/** A sync step 2 frame carrying an update already encoded (see Room.syncStep2). */
export function encodeSyncStep2Update(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.sync);
  encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** A sync update frame carrying an update already encoded, as the room broadcasts it. */
export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

/** An awareness frame carrying an awareness update already encoded. */
export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.awareness);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** An auth `permission-denied` frame; `reason` is one of `PERMISSION_DENIED`. */
export function encodePermissionDenied(reason: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.auth);
  authProtocol.writePermissionDenied(e, reason);
  return encoding.toUint8Array(e);
}
