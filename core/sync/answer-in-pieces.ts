/**
 * A client's answer to the server's sync step 1, in pieces when it is large.
 *
 * y-websocket answers the server's sync step 1 with one sync step 2 holding everything the
 * server lacks. A server bounds what one update may hold (`--max-update-structs`, 20,000 by
 * default: one update is applied in one Yjs call, and the event loop must not be held long),
 * so a device that made more than that while offline, or that brings a large plan to a server
 * that lost it, was closed with 4400 on every connect and its changes never arrived. Where the
 * answer would hold more than `MAX_MESSAGE_STRUCTS` structs, this sends it instead as sync
 * updates of at most `PIECE_STRUCTS` each, in an order where each applies fully on the server
 * after the ones before (pieces.ts). The server takes them as it takes any update; if it asks
 * again midway (a sync step 1: its write guard was busy, docs/protocol.md), the answer is what
 * it still lacks.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { piecesOf, structsSince } from '../updates/pieces.ts';

/** An answer holding more structs than this goes in pieces (half the server's default limit). */
export const MAX_MESSAGE_STRUCTS = 10_000;
/** Structs in one piece. */
export const PIECE_STRUCTS = 5_000;

/** y-websocket's message type for sync messages. */
const MESSAGE_SYNC = 0;

/** What of a y-websocket provider this needs (typed loosely: core/ has no DOM types). */
interface SyncProvider {
  messageHandlers: unknown[];
  synced: boolean;
  ws: { send(data: Uint8Array): void } | null;
}

/** Replaces `provider`'s sync message handler with one that answers large step 1s in pieces. */
export function answerInPieces(provider: SyncProvider, doc: Y.Doc): void {
  provider.messageHandlers[MESSAGE_SYNC] = (
    encoder: encoding.Encoder,
    decoder: decoding.Decoder,
    _provider: unknown,
    emitSynced: boolean,
  ) => {
    if (decoding.peekVarUint(decoder) === syncProtocol.messageYjsSyncStep1) {
      decoding.readVarUint(decoder);
      const vector = decoding.readVarUint8Array(decoder);
      const since = Y.decodeStateVector(vector);
      if (provider.ws && structsSince(doc, since) > MAX_MESSAGE_STRUCTS) {
        for (const piece of piecesOf(doc, PIECE_STRUCTS, since)) {
          const message = encoding.createEncoder();
          encoding.writeVarUint(message, MESSAGE_SYNC);
          syncProtocol.writeUpdate(message, piece);
          provider.ws.send(encoding.toUint8Array(message));
        }
        return; // nothing in `encoder`: y-websocket sends nothing more
      }
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeSyncStep2(encoder, doc, vector);
      return;
    }
    // Step 2 and updates as y-websocket handles them.
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    const kind = syncProtocol.readSyncMessage(decoder, encoder, doc, provider);
    if (emitSynced && kind === syncProtocol.messageYjsSyncStep2 && !provider.synced) provider.synced = true;
  };
}
