import * as Y from 'yjs';
import { newId, isId } from './ids.ts';
import { keyAtEnd } from './order.ts';
import { threadsRoot } from './read.ts';
import { CommandError } from './errors.ts';
import { MAX_SHORT_TEXT, NOTE_TARGET_KINDS, isOneOf } from './schema.ts';
import { change, childCollection, itemAt, nowIso, siblingsOf } from './write.ts';
import type { NoteTarget } from './types.ts';

/** Commands on a `goals-notes` or `plan-notes` doc: annotation threads. */

/** A comment may span several lines, unlike short fields; it is still bounded. */
function cleanBody(body: string): string {
  const text = body.trim();
  if (text.length === 0) throw new CommandError('invalidInput', 'comment is empty');
  if (text.length > MAX_SHORT_TEXT) throw new CommandError('invalidInput', 'comment is too long');
  return text;
}

function appendComment(comments: Y.Map<unknown>, body: string, by: string): string {
  const id = newId();
  const order = keyAtEnd(siblingsOf(comments));
  const comment = new Y.Map<unknown>();
  comments.set(id, comment);
  comment.set('by', by);
  comment.set('at', nowIso());
  comment.set('body', body);
  comment.set('order', order);
  return id;
}

/** Starts a thread on a goal, sub-goal, step, review, section or contact. */
export function addThread(
  doc: Y.Doc,
  input: { target: NoteTarget; body: string; by: string; range?: { anchor: string; head: string } },
): string {
  if (!isOneOf(NOTE_TARGET_KINDS, input.target.kind) || !isId(input.target.id)) {
    throw new CommandError('invalidInput', 'malformed target');
  }
  const body = cleanBody(input.body);
  const id = newId();
  change(doc, () => {
    const thread = new Y.Map<unknown>();
    threadsRoot(doc).set(id, thread);
    thread.set('target', { kind: input.target.kind, id: input.target.id });
    if (input.range) thread.set('range', { anchor: input.range.anchor, head: input.range.head });
    thread.set('createdBy', input.by);
    thread.set('createdAt', nowIso());
    thread.set('resolved', false);
    const comments = new Y.Map<unknown>();
    thread.set('comments', comments);
    appendComment(comments, body, input.by);
  });
  return id;
}

/** Adds a reply to a thread. Replying reopens a resolved thread: the talk is not over. */
export function reply(doc: Y.Doc, threadId: string, input: { body: string; by: string }): string {
  const body = cleanBody(input.body);
  return change(doc, () => {
    const thread = itemAt(threadsRoot(doc), [threadId]);
    thread.set('resolved', false);
    return appendComment(childCollection(thread, 'comments'), body, input.by);
  });
}

/** Marks a thread resolved or open again. Throws CommandError 'notFound' when the thread does not exist. */
export function setResolved(doc: Y.Doc, threadId: string, resolved: boolean): void {
  change(doc, () => itemAt(threadsRoot(doc), [threadId]).set('resolved', resolved));
}
