import * as Y from 'yjs';

/**
 * A Y.Doc that only ever holds what it is given. Yjs makes edits of its own in one case: after
 * a remote change to rich text with marks, it deletes marks the change made redundant, in a
 * new transaction (`cleanupYTextAfterTransaction`). On the server that edit would be broadcast
 * but never stored, and the same deletion arriving from a client would then look like
 * something the server already holds and be skipped (Room.contains): the durable copy would
 * lack a deletion every client has (found by the server fuzz, seed 2494). Clients do this
 * cleanup themselves and send it like any edit, so the server's docs leave it to them.
 */
export function replicaDoc(): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    (transaction as unknown as { _needFormattingCleanup: boolean })._needFormattingCleanup = false;
  });
  return doc;
}
