/** Every command on a `*-notes` doc (core/model/notes.ts): threads, replies, resolve. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  MAX_SHORT_TEXT,
  NOTE_TARGET_KINDS,
  addThread,
  newId,
  readNotes,
  reply,
  setResolved,
  type NoteTarget,
} from '../../core/model/index.ts';
import { refuses } from './refuses.ts';

const GOAL: NoteTarget = { kind: 'goal', id: newId() };
const threads = (doc: Y.Doc) => readNotes(doc).threads;
const thread = (doc: Y.Doc, id: string) => threads(doc).find((t) => t.id === id)!;
const bodies = (doc: Y.Doc, id: string) => thread(doc, id).comments.map((c) => c.body);

describe('addThread', () => {
  it('starts an open thread on its target with the first comment', () => {
    const doc = new Y.Doc();
    const before = Date.now();
    const id = addThread(doc, { target: GOAL, body: '  Shall we make this smaller?  ', by: 'local' });
    const t = thread(doc, id);
    expect(t).toMatchObject({ target: GOAL, createdBy: 'local', resolved: false, range: undefined });
    expect(Date.parse(t.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(t.comments).toHaveLength(1);
    expect(t.comments[0]).toMatchObject({ by: 'local', body: 'Shall we make this smaller?' });
    expect(Math.abs(Date.parse(t.comments[0]!.at) - Date.parse(t.createdAt))).toBeLessThan(1000);
    expect(readNotes(doc).problems).toEqual([]);
  });

  it('works on every kind of target', () => {
    const doc = new Y.Doc();
    for (const kind of NOTE_TARGET_KINDS)
      addThread(doc, { target: { kind, id: newId() }, body: kind, by: 'm1' });
    expect(
      threads(doc)
        .map((t) => t.target.kind)
        .sort(),
    ).toEqual([...NOTE_TARGET_KINDS].sort());
  });

  it('keeps the line breaks of a comment written over several lines', () => {
    const doc = new Y.Doc();
    const id = addThread(doc, { target: GOAL, body: 'First:\nwalk\n\nThen: rest', by: 'local' });
    expect(bodies(doc, id)).toEqual(['First:\nwalk\n\nThen: rest']);
  });

  it('stores a range inside a section body', () => {
    const doc = new Y.Doc();
    const target: NoteTarget = { kind: 'section', id: newId() };
    const id = addThread(doc, {
      target,
      body: 'This part',
      by: 'local',
      range: { anchor: 'AQID', head: 'BAUG' },
    });
    expect(thread(doc, id).range).toEqual({ anchor: 'AQID', head: 'BAUG' });
  });

  it.each([
    ['an empty comment', { target: GOAL, body: '' }],
    ['a comment of blanks', { target: GOAL, body: ' \n\t ' }],
    ['a comment over the limit', { target: GOAL, body: 'x'.repeat(MAX_SHORT_TEXT + 1) }],
    ['an unknown kind of target', { target: { kind: 'plan', id: newId() } as never, body: 'x' }],
    ['a target id that is not an id', { target: { kind: 'goal', id: 'x' } as NoteTarget, body: 'x' }],
    [
      'a target id with a slash in it',
      { target: { kind: 'goal', id: 'aaaaaaaaaaaaaaaa/..' } as NoteTarget, body: 'x' },
    ],
  ])('refuses %s and writes nothing', (_what, input) => {
    const doc = new Y.Doc();
    refuses(() => addThread(doc, { ...input, by: 'local' }), 'invalidInput');
    expect(doc.getMap('threads').size).toBe(0);
  });
});

describe('reply', () => {
  it('adds comments after the first, in the order they were written', () => {
    const doc = new Y.Doc();
    const id = addThread(doc, { target: GOAL, body: 'one', by: 'a' });
    reply(doc, id, { body: 'two', by: 'b' });
    reply(doc, id, { body: 'three', by: 'a' });
    expect(thread(doc, id).comments.map((c) => [c.by, c.body])).toEqual([
      ['a', 'one'],
      ['b', 'two'],
      ['a', 'three'],
    ]);
  });

  it('reopens a resolved thread: the talk is not over', () => {
    const doc = new Y.Doc();
    const id = addThread(doc, { target: GOAL, body: 'one', by: 'a' });
    setResolved(doc, id, true);
    reply(doc, id, { body: 'one more thing', by: 'b' });
    expect(thread(doc, id).resolved).toBe(false);
  });

  it('refuses an empty reply and a thread that does not exist', () => {
    const doc = new Y.Doc();
    const id = addThread(doc, { target: GOAL, body: 'one', by: 'a' });
    refuses(() => reply(doc, id, { body: '   ', by: 'a' }), 'invalidInput');
    refuses(() => reply(doc, id, { body: 'x'.repeat(MAX_SHORT_TEXT + 1), by: 'a' }), 'invalidInput');
    refuses(() => reply(doc, 'no-such-thread-id00', { body: 'x', by: 'a' }), 'notFound');
    expect(bodies(doc, id)).toEqual(['one']);
  });

  it('works on a thread whose comments a foreign client left out', () => {
    const doc = new Y.Doc();
    const id = addThread(doc, { target: GOAL, body: 'one', by: 'a' });
    (doc.getMap('threads').get(id) as Y.Map<unknown>).delete('comments');
    reply(doc, id, { body: 'still here', by: 'b' });
    expect(bodies(doc, id)).toEqual(['still here']);
  });
});

describe('setResolved', () => {
  it('resolves and reopens a thread, keeping its comments', () => {
    const doc = new Y.Doc();
    const id = addThread(doc, { target: GOAL, body: 'one', by: 'a' });
    setResolved(doc, id, true);
    expect(thread(doc, id)).toMatchObject({ resolved: true });
    setResolved(doc, id, false);
    expect(thread(doc, id)).toMatchObject({ resolved: false });
    expect(bodies(doc, id)).toEqual(['one']);
  });

  it('refuses a thread that does not exist', () => {
    refuses(() => setResolved(new Y.Doc(), 'no-such-thread-id00', true), 'notFound');
  });
});

describe('every notes command', () => {
  it('is one transaction with the origin "local"', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const id = addThread(doc, { target: GOAL, body: 'one', by: 'a' });
    reply(doc, id, { body: 'two', by: 'a' });
    setResolved(doc, id, true);
    expect(origins).toEqual(['local', 'local', 'local']);
  });
});

describe('readNotes', () => {
  it('lists threads oldest first, whatever order the map holds them in', () => {
    const doc = new Y.Doc();
    const root = doc.getMap<unknown>('threads');
    const make = (createdAt: string) => {
      const id = addThread(doc, { target: GOAL, body: createdAt, by: 'a' });
      (root.get(id) as Y.Map<unknown>).set('createdAt', createdAt);
    };
    make('2025-03-01T00:00:00.000Z');
    make('2025-01-01T00:00:00.000Z');
    make('2025-02-01T00:00:00.000Z');
    expect(threads(doc).map((t) => t.createdAt.slice(0, 7))).toEqual(['2025-01', '2025-02', '2025-03']);
  });
});
