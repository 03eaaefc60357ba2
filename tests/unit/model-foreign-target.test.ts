import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId, readNotes, threadsRoot } from '../../core/model/index.ts';

describe('a thread written by a client that follows only DESIGN.md', () => {
  it('is read when its target is a Y.Map rather than a plain object', () => {
    const doc = new Y.Doc();
    const goalId = newId();
    const threadId = newId();
    doc.transact(() => {
      const thread = new Y.Map<unknown>();
      threadsRoot(doc).set(threadId, thread);
      const target = new Y.Map<unknown>();
      thread.set('target', target);
      target.set('kind', 'goal');
      target.set('id', goalId);
      thread.set('createdBy', 'local');
      thread.set('createdAt', '2026-03-01T10:00:00.000Z');
      thread.set('resolved', false);
      thread.set('comments', new Y.Map());
    });
    const notes = readNotes(doc);
    expect(notes.problems).toEqual([]);
    expect(notes.threads.map((t) => t.target)).toEqual([{ kind: 'goal', id: goalId }]);
  });
});
