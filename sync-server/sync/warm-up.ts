/**
 * Runs the server's costly Yjs paths once on invented data right after a start, in turns of
 * the fair queue, so that the first large update or doc a client brings does not meet cold
 * code. Measured (`npx tsx bench/hostile-stalls.ts 5`, docs/reliability.md): the first
 * 20,000-struct update in a fresh process held the event loop 123–174 ms, the same update
 * later 12–67 ms; checking and applying it on cold code cost about twice what it cost after a
 * small warm-up. Nothing here touches storage or any plan.
 */
import * as Y from 'yjs';
import { encodedSize } from './encoded-size.ts';
import { checkUpdate } from './messages.ts';
import { piecesOf } from '../../core/updates/pieces.ts';
import { applyInTurns, collectInTurns, type Turn } from './in-turns.ts';
import { replicaDoc } from './replica-doc.ts';

/** Structs in each invented update: a few milliseconds a round. */
const STRUCTS = 6_000;
const ROUNDS = 3;

/** One invented update of `STRUCTS` structs that cannot merge (typed at the front). */
function inventedUpdate(): Uint8Array {
  const doc = new Y.Doc();
  const text = doc.getText('warm-up');
  doc.transact(() => {
    for (let i = 0; i < STRUCTS; i++) text.insert(0, 'x', i % 3 === 0 ? { bold: true } : undefined);
  });
  doc.getMap('warm-up').set('v', { list: [1, 'two'] });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** The warm-up, each step a job of `turn`; resolves when done. */
export async function warmUp(turn: Turn, maxUpdateStructs: number): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    const update = await turn(() => {
      const u = inventedUpdate();
      checkUpdate(u, maxUpdateStructs, true);
      return u;
    });
    const doc = replicaDoc();
    try {
      await applyInTurns(doc, [update], turn);
      const pieces = await collectInTurns(piecesOf(doc, 1_000), turn);
      const copy = replicaDoc();
      await applyInTurns(copy, pieces, turn);
      await turn(() => Y.encodeStateAsUpdate(copy, Y.encodeStateVector(new Y.Doc())));
      await turn(() => encodedSize(copy));
      copy.destroy();
    } finally {
      doc.destroy();
    }
  }
}
