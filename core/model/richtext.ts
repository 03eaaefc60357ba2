import * as Y from 'yjs';
import type { RichText } from './types.ts';
import { ORIGIN } from './origins.ts';

/**
 * Plain blocks of a rich-text field, for views that must not load the editor (the popup
 * crisis card, print) and for tests. Knows the node names Tiptap's StarterKit writes; an
 * unknown element is read for its text, so nothing typed is ever hidden.
 */
export interface TextBlock {
  readonly kind: 'paragraph' | 'heading' | 'bullet' | 'ordered' | 'quote';
  readonly text: string;
}

/** Caps what a view renders from one field: a hostile peer may send megabytes. */
const MAX_BLOCKS = 500;
/** Longest block a view renders; a person writes paragraphs far shorter than this. */
const MAX_BLOCK_CHARS = 10_000;

function textOf(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) {
    return node
      .toDelta()
      .map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : ''))
      .join('');
  }
  if (node instanceof Y.XmlElement) {
    if (node.nodeName === 'hardBreak') return '\n';
    return node
      .toArray()
      .map((child) => textOf(child))
      .join('');
  }
  return '';
}

function collect(
  node: Y.XmlElement | Y.XmlText | Y.XmlHook,
  list: TextBlock['kind'] | null,
  out: TextBlock[],
): void {
  if (out.length >= MAX_BLOCKS) return;
  if (node instanceof Y.XmlText) {
    const text = textOf(node);
    if (text.trim()) out.push({ kind: 'paragraph', text });
    return;
  }
  if (!(node instanceof Y.XmlElement)) return;
  switch (node.nodeName) {
    case 'bulletList':
    case 'orderedList':
      for (const item of node.toArray())
        collect(item, node.nodeName === 'bulletList' ? 'bullet' : 'ordered', out);
      return;
    case 'listItem':
    case 'blockquote':
      for (const child of node.toArray())
        collect(child, node.nodeName === 'blockquote' ? 'quote' : list, out);
      return;
    case 'heading':
      out.push({ kind: 'heading', text: textOf(node) });
      return;
    default: {
      const text = textOf(node);
      if (text.trim() || list) out.push({ kind: list ?? 'paragraph', text });
    }
  }
}

/**
 * The field's non-blank blocks in document order; empty for a missing field. Reads at most 500 blocks
 * and cuts a block longer than 10,000 characters, ending it with `…`.
 */
export function richTextBlocks(fragment: RichText | null): TextBlock[] {
  const out: TextBlock[] = [];
  if (!fragment) return out;
  for (const node of fragment.toArray()) collect(node, null, out);
  return out
    .filter((b) => b.text.trim().length > 0)
    .map((b) =>
      b.text.length > MAX_BLOCK_CHARS ? { ...b, text: `${b.text.slice(0, MAX_BLOCK_CHARS)}…` } : b,
    );
}

/**
 * The element and mark names a rich-text field uses, so an editor can tell whether it can
 * show the field without changing it. `other` is set by content no editor schema names:
 * embedded hooks, or text directly at the top level.
 */
export interface RichTextVocabulary {
  readonly nodes: ReadonlySet<string>;
  readonly marks: ReadonlySet<string>;
  readonly other: boolean;
}

/**
 * Every element name (at any depth) and mark name the field uses, and whether it holds content no editor
 * schema names.
 */
export function richTextVocabulary(fragment: RichText): RichTextVocabulary {
  const nodes = new Set<string>();
  const marks = new Set<string>();
  let other = false;
  const visit = (node: Y.XmlElement | Y.XmlText | Y.XmlHook, topLevel: boolean) => {
    if (node instanceof Y.XmlText) {
      if (topLevel) other = true;
      for (const op of node.toDelta() as { attributes?: Record<string, unknown> }[]) {
        for (const mark of Object.keys(op.attributes ?? {})) marks.add(mark);
      }
    } else if (node instanceof Y.XmlElement) {
      nodes.add(node.nodeName);
      for (const child of node.toArray()) visit(child, false);
    } else {
      other = true;
    }
  };
  for (const node of fragment.toArray()) visit(node, true);
  return { nodes, marks, other };
}

/**
 * Whether the field holds no text a person could read: nothing, or only empty blocks (the
 * editor writes one empty paragraph into a field it opens). Stops at the first character.
 */
export function richTextIsEmpty(fragment: RichText | null): boolean {
  if (!fragment) return true;
  const hasText = (node: unknown): boolean => {
    if (node instanceof Y.XmlText) return node.length > 0 && node.toString().trim() !== '';
    if (node instanceof Y.XmlElement) return node.toArray().some(hasText);
    return node !== null && node !== undefined; // an embed or hook shows something
  };
  return !fragment.toArray().some(hasText);
}

/** The whole field as plain text, one block a line. */
export function richTextPlain(fragment: RichText | null): string {
  return richTextBlocks(fragment)
    .map((b) => b.text)
    .join('\n');
}

/**
 * Replaces a rich-text field with plain paragraphs, in the shape Tiptap writes. For tests
 * and for seeding; people edit rich text through the editor.
 */
export function setRichTextPlain(fragment: RichText, text: string): void {
  const write = () => {
    fragment.delete(0, fragment.length);
    const paragraphs = text.split('\n').map((line) => {
      const p = new Y.XmlElement('paragraph');
      if (line) p.insert(0, [new Y.XmlText(line)]);
      return p;
    });
    fragment.insert(0, paragraphs);
  };
  if (fragment.doc) fragment.doc.transact(write, ORIGIN.local);
  else write();
}
