/**
 * Runs the server's costly Yjs paths once on invented data at a start (before listening under
 * `npm run server`, otherwise in turns of the fair queue after it), so that the first large
 * update or doc a client brings does not meet cold code: a writer's update through a write
 * guard, a load in turns, cutting into pieces, a full encode and a size measure. Nothing here
 * touches storage or any plan. It once threw on its first step (a text and a map of one name)
 * and never ran; `tests/unit/warm-up.test.ts` runs it to its end. Measured
 * (`npx tsx bench/hostile-stalls.ts`, docs/reliability.md): the first 20,000-struct update in
 * a fresh process still holds the loop 106–130 ms, the same update later 23–41 ms.
 */
import * as Y from 'yjs';
import { encodedSize } from './encoded-size.ts';
import { checkUpdate } from './messages.ts';
import { piecesOf } from '../../core/updates/pieces.ts';
import { applyInTurns, collectInTurns, type Turn } from './in-turns.ts';
import { replicaDoc } from './replica-doc.ts';
import { WriteGuard } from './write-guard.ts';

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
  doc.getMap('warm-up-map').set('v', { list: [1, 'two'] });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** The warm-up, each step a job of `turn`; resolves when done. */
export async function warmUp(turn: Turn, maxUpdateStructs: number): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    const { update, shape } = await turn(() => {
      const u = inventedUpdate();
      return { update: u, shape: checkUpdate(u, maxUpdateStructs, true) };
    });
    const doc = replicaDoc();
    try {
      // A writer's update as the write guard takes it: the dry run under the conflict budget,
      // with Yjs encoding what its copy integrated, and a measure of the doc.
      const guard = new WriteGuard(doc, { maxDocBytes: 1 << 30, maxDocStructs: 1 << 30 });
      await turn(() => guard.admit(update, shape));
      guard.destroy();
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
