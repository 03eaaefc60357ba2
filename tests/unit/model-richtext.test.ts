/** Reading rich text without the editor (core/model/richtext.ts): popup, print, export. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { richTextBlocks, richTextIsEmpty, richTextPlain, setRichTextPlain } from '../../core/model/index.ts';

/** An element as Tiptap writes it: name, attributes, children (strings become text). */
function el(
  name: string,
  children: (Y.XmlElement | Y.XmlText | string)[] = [],
  attrs: Record<string, string> = {},
): Y.XmlElement {
  const node = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  node.insert(
    0,
    children.map((child) => (typeof child === 'string' ? new Y.XmlText(child) : child)),
  );
  return node;
}

/** A fragment inside a doc (Yjs reads content only once it is integrated). */
function fragmentWith(...nodes: (Y.XmlElement | Y.XmlText)[]): Y.XmlFragment {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('body');
  fragment.insert(0, nodes);
  return fragment;
}

describe('richTextBlocks', () => {
  it('reads paragraphs, headings, lists and quotes as plain blocks, in order', () => {
    const fragment = fragmentWith(
      el('heading', ['Before a crisis'], { level: '2' }),
      el('paragraph', ['I stop ', 'sleeping.']),
      el('bulletList', [
        el('listItem', [el('paragraph', ['Call Mum'])]),
        el('listItem', [el('paragraph', ['Walk'])]),
      ]),
      el('orderedList', [el('listItem', [el('paragraph', ['First'])])]),
      el('blockquote', [el('paragraph', ['Be kind'])]),
    );
    expect(richTextBlocks(fragment)).toEqual([
      { kind: 'heading', text: 'Before a crisis' },
      { kind: 'paragraph', text: 'I stop sleeping.' },
      { kind: 'bullet', text: 'Call Mum' },
      { kind: 'bullet', text: 'Walk' },
      { kind: 'ordered', text: 'First' },
      { kind: 'quote', text: 'Be kind' },
    ]);
  });

  it('keeps the text of formatted runs and turns hard breaks into new lines', () => {
    const bold = new Y.XmlText();
    const paragraph = el('paragraph', [bold, el('hardBreak'), 'second line']);
    const fragment = fragmentWith(paragraph);
    bold.insert(0, 'bold', { bold: true });
    expect(richTextBlocks(fragment)).toEqual([{ kind: 'paragraph', text: 'bold\nsecond line' }]);
  });

  it('reads an element it does not know for its text, so nothing typed is hidden', () => {
    const fragment = fragmentWith(
      el('mysteryWidget', [el('span', ['still here'])]),
      new Y.XmlText('loose text'),
    );
    expect(richTextBlocks(fragment)).toEqual([
      { kind: 'paragraph', text: 'still here' },
      { kind: 'paragraph', text: 'loose text' },
    ]);
  });

  it('leaves out empty paragraphs and empty list items', () => {
    const fragment = fragmentWith(
      el('paragraph'),
      el('paragraph', ['  ']),
      el('bulletList', [el('listItem', [el('paragraph')])]),
    );
    expect(richTextBlocks(fragment)).toEqual([]);
  });

  it('tells a field with no readable text (what the plan folds to one line) from one with text', () => {
    expect(richTextIsEmpty(null)).toBe(true);
    expect(richTextIsEmpty(fragmentWith())).toBe(true);
    expect(
      richTextIsEmpty(
        fragmentWith(
          el('paragraph'),
          el('paragraph', ['  ']),
          el('bulletList', [el('listItem', [el('paragraph')])]),
        ),
      ),
    ).toBe(true);
    expect(richTextIsEmpty(fragmentWith(el('paragraph'), el('paragraph', ['I sleep badly'])))).toBe(false);
    expect(richTextIsEmpty(fragmentWith(el('bulletList', [el('listItem', [el('paragraph', ['x'])])])))).toBe(
      false,
    );
  });

  it('reads nothing from a missing field', () => {
    expect(richTextBlocks(null)).toEqual([]);
    expect(richTextPlain(null)).toBe('');
  });

  it('stops at 500 blocks when a peer sends a flood', () => {
    const fragment = fragmentWith(...Array.from({ length: 2000 }, (_, i) => el('paragraph', [`line ${i}`])));
    const blocks = richTextBlocks(fragment);
    expect(blocks).toHaveLength(500);
    expect(blocks.at(-1)!.text).toBe('line 499');
  });

  it('treats markup typed as text as text', () => {
    const fragment = fragmentWith(el('paragraph', ['<img src=x onerror=alert(1)>']));
    expect(richTextPlain(fragment)).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('setRichTextPlain and richTextPlain', () => {
  it('write paragraphs as Tiptap does, and read them back one a line', () => {
    const fragment = fragmentWith();
    setRichTextPlain(fragment, 'I sleep badly\n\nI stop eating');
    expect(fragment.toArray().map((n) => (n as Y.XmlElement).nodeName)).toEqual([
      'paragraph',
      'paragraph',
      'paragraph',
    ]);
    expect(richTextPlain(fragment)).toBe('I sleep badly\nI stop eating');
  });

  it('replace what the field held before, in one "local" transaction', () => {
    const fragment = fragmentWith(el('heading', ['old']), el('paragraph', ['old too']));
    const origins: unknown[] = [];
    fragment.doc!.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    setRichTextPlain(fragment, 'new');
    expect(richTextBlocks(fragment)).toEqual([{ kind: 'paragraph', text: 'new' }]);
    expect(origins).toEqual(['local']);
  });

  it('write into a fragment not yet in a doc', () => {
    const fragment = new Y.XmlFragment();
    setRichTextPlain(fragment, 'later');
    const doc = new Y.Doc();
    doc.getMap('m').set('body', fragment);
    expect(richTextPlain(doc.getMap('m').get('body') as Y.XmlFragment)).toBe('later');
  });
});
