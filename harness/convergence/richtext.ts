/**
 * Rich-text edits as Tiptap's y-prosemirror binding writes them: a fragment of `paragraph`
 * elements, each holding a Y.XmlText whose marks are formatting attributes (`{ bold: {} }`).
 * Typing, deleting, bold/italic on and off, Enter (split a paragraph), Backspace at a
 * paragraph's start (join it to the previous one), and deleting a paragraph.
 */
import * as Y from 'yjs';
import type { Random } from '../random.ts';

const WORDS = ['walk', 'sleep', 'call Mum', 'cook', 'read', 'rest', 'søvn', 'tur', 'ring Ola', 'vila'];

/** A short phrase, as people write in a plan. */
export function word(random: Random): string {
  return `${random.pick(WORDS)!} ${random.int(100)}`;
}

function paragraphs(fragment: Y.XmlFragment): Y.XmlElement[] {
  return fragment.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement);
}

function textOf(paragraph: Y.XmlElement): Y.XmlText {
  const existing = paragraph.toArray().find((n): n is Y.XmlText => n instanceof Y.XmlText);
  if (existing) return existing;
  const text = new Y.XmlText();
  paragraph.insert(paragraph.length, [text]);
  return text;
}

function plain(text: Y.XmlText): string {
  return text
    .toDelta()
    .map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : ''))
    .join('');
}

/** One keyboard action in a rich-text field; returns its kind. */
export function editRichText(random: Random, fragment: Y.XmlFragment): string {
  const doc = fragment.doc!;
  let kind = 'type';
  doc.transact(() => {
    const paras = paragraphs(fragment);
    if (paras.length === 0) {
      const p = new Y.XmlElement('paragraph');
      fragment.insert(0, [p]);
      paras.push(p);
    }
    const at = random.int(paras.length);
    const p = paras[at]!;
    const text = textOf(p);
    const length = text.length;
    const roll = random.int(20);
    if (roll < 10 || length === 0) {
      kind = 'type';
      const bold = random.chance(0.2) ? { bold: {} } : undefined;
      text.insert(random.int(length + 1), (random.chance(0.5) ? ' ' : '') + word(random), bold);
    } else if (roll < 14) {
      kind = 'delete';
      const from = random.int(length);
      text.delete(from, Math.min(length - from, 1 + random.int(6)));
    } else if (roll < 15) {
      kind = 'format';
      const from = random.int(length);
      text.format(from, Math.min(length - from, 1 + random.int(8)), {
        [random.pick(['bold', 'italic'])!]: random.chance(0.5) ? {} : null,
      });
    } else if (roll < 18) {
      // Enter: the tail moves into a new paragraph (y-prosemirror rewrites it as new text).
      kind = 'split';
      const cut = random.int(length + 1);
      const tail = plain(text).slice(cut);
      if (tail.length > 0) text.delete(cut, length - cut);
      const next = new Y.XmlElement('paragraph');
      fragment.insert(fragment.toArray().indexOf(p) + 1, [next]);
      if (tail.length > 0) next.insert(0, [new Y.XmlText(tail)]);
    } else if (at > 0) {
      // Backspace at the start of a paragraph: its text joins the previous one.
      kind = 'join';
      const previous = textOf(paras[at - 1]!);
      const moved = plain(text);
      if (moved) previous.insert(previous.length, moved);
      fragment.delete(fragment.toArray().indexOf(p), 1);
    } else {
      kind = 'delete-paragraph';
      fragment.delete(fragment.toArray().indexOf(p), 1);
    }
  }, 'local');
  return `text.${kind}`;
}
