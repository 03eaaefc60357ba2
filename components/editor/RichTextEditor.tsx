import { getSchema } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useId, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { richTextBlocks, richTextVocabulary, type RichText } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { Blocks } from '../shared/Blocks.tsx';
import './carets.css';

/** The awareness (presence) of the doc that holds the fragment, and who this person is. */
export interface EditorCollaboration {
  /** A y-protocols Awareness, from `useCollaboration(doc)`. */
  readonly awareness: unknown;
  readonly user: { readonly name: string; readonly color: string };
}

/**
 * The one file that binds Tiptap to a Y.XmlFragment (DESIGN.md "Data flows one way").
 * Undo and redo come from the Collaboration extension, so they undo only this person's own
 * typing, never someone else's.
 */
export interface RichTextEditorProps {
  fragment: RichText;
  /** The accessible name, e.g. the section title "Early warning signs". */
  label: string;
  /** The one-line prompt shown with the field and read out after its name. */
  prompt?: string;
  readOnly?: boolean;
  /** When the plan is shared: show others' carets, named and coloured, and share this one's. */
  collaboration?: EditorCollaboration | null;
  /** Shown in the empty field ("Add text to Triggers"); pass it only while the field is empty. */
  placeholder?: string;
}

/**
 * Another person's caret: a coloured bar and a name label. Both are hidden from screen readers
 * (they sit inside the text; the presence bar says who is here), and the classes are the
 * extension's own, so tests can leave the labels out when they read the text.
 */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user.color === 'string' ? user.color : 'transparent';
  const caret = document.createElement('span');
  caret.className = 'collaboration-carets__caret';
  caret.setAttribute('aria-hidden', 'true');
  caret.style.borderColor = color;
  const label = document.createElement('span');
  label.className = 'collaboration-carets__label';
  label.style.backgroundColor = color;
  label.textContent = typeof user.name === 'string' ? user.name : '';
  caret.append(label);
  return caret;
}

const starterKit = StarterKit.configure({ undoRedo: false, link: { openOnClick: false, autolink: true } });

/** The element and mark names the editor can show; Collaboration and carets add none. */
const schema = getSchema([starterKit]);

/**
 * Whether the editor can show this field without changing it. The Yjs binding DELETES from
 * the shared doc any element or text it cannot turn into the editor's schema (an element name
 * or mark it does not know, written by another program or a hostile peer), and it does so
 * on every replica that merely displays the field. Such a field is shown as plain text
 * instead, so nothing is ever deleted by reading it (DESIGN.md "Readers validate").
 */
function editable(fragment: RichText): boolean {
  const { nodes, marks, other } = richTextVocabulary(fragment);
  return !other && [...nodes].every((n) => n in schema.nodes) && [...marks].every((m) => m in schema.marks);
}

/** True when the transaction changed something inside `fragment`. */
function touches(transaction: Y.Transaction, fragment: RichText): boolean {
  for (const type of transaction.changed.keys()) {
    let t: unknown = type;
    while (t) {
      if (t === fragment) return true;
      t = (t as { _item: { parent: unknown } | null })._item?.parent ?? null;
    }
  }
  return false;
}

export function RichTextEditor(props: RichTextEditorProps) {
  const { fragment } = props;
  const [foreign, setForeign] = useState<RichText | null>(() => (editable(fragment) ? null : fragment));
  if (foreign !== fragment && foreign !== null) setForeign(editable(fragment) ? null : fragment);
  if (foreign === fragment) return <ForeignText {...props} onEditable={() => setForeign(null)} />;
  return <BoundEditor {...props} onForeign={() => setForeign(fragment)} />;
}

/**
 * The field as plain, read-only text with a calm notice, until it holds only what the editor
 * knows again (e.g. another person's newer Varde removed the unknown part).
 */
function ForeignText({ fragment, label, prompt, onEditable }: RichTextEditorProps & { onEditable(): void }) {
  const { t } = useI18n();
  const promptId = useId();
  const blocks = useSyncExternalStore(
    (notify) => {
      const observer = () => {
        if (editable(fragment)) onEditable();
        notify();
      };
      fragment.observeDeep(observer);
      return () => fragment.unobserveDeep(observer);
    },
    () => JSON.stringify(richTextBlocks(fragment)),
  );
  return (
    <div className="rich-text-field">
      {prompt && (
        <p id={promptId} className="field-prompt">
          {prompt}
        </p>
      )}
      <div
        className="rich-text"
        role="textbox"
        aria-multiline="true"
        aria-readonly="true"
        aria-label={label}
        aria-describedby={prompt ? promptId : undefined}
      >
        <Blocks blocks={JSON.parse(blocks) as ReturnType<typeof richTextBlocks>} />
      </div>
      <p className="notice">{t('app.richTextForeign')}</p>
    </div>
  );
}

/**
 * Stops the binding before it can see content it would delete: `beforeObserverCalls` runs
 * ahead of every observer of the transaction, the binding's among them.
 */
function useForeignGuard(editor: Editor | null, fragment: RichText, onForeign: () => void): void {
  useEffect(() => {
    const doc = fragment.doc;
    if (!editor || !doc) return;
    const check = (transaction: Y.Transaction) => {
      if (editor.isDestroyed || !touches(transaction, fragment) || editable(fragment)) return;
      editor.destroy();
      onForeign();
    };
    doc.on('beforeObserverCalls', check);
    return () => doc.off('beforeObserverCalls', check);
  }, [editor, fragment, onForeign]);
}

function BoundEditor({
  fragment,
  label,
  prompt,
  readOnly = false,
  collaboration = null,
  placeholder,
  onForeign,
}: RichTextEditorProps & { onForeign(): void }) {
  const promptId = useId();
  const awareness = collaboration?.awareness ?? null;
  const userName = collaboration?.user.name;
  const userColor = collaboration?.user.color;
  const editor = useEditor(
    {
      extensions: [
        starterKit,
        Collaboration.configure({ fragment }),
        ...(awareness
          ? [
              CollaborationCaret.configure({
                // The extension reads only `provider.awareness`; the sync hooks own the provider.
                provider: { awareness },
                user: collaboration?.user ?? {},
                render: renderCaret,
              }),
            ]
          : []),
      ],
      editable: !readOnly,
      editorProps: {
        attributes: {
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': label,
          ...(prompt ? { 'aria-describedby': promptId } : {}),
          ...(readOnly ? { 'aria-readonly': 'true' } : {}),
          class: 'rich-text',
          spellcheck: 'true',
        },
      },
    },
    // A new awareness (the plan was just shared) or a new name rebuilds the editor.
    [fragment, label, prompt, awareness, userName, userColor],
  );
  useEffect(() => {
    editor?.setEditable(!readOnly);
  }, [editor, readOnly]);
  useForeignGuard(editor, fragment, onForeign);
  // Set on the element, not at creation: the placeholder goes with the first character typed,
  // and rebuilding the editor then would take the caret away.
  useEffect(() => {
    const dom = editor?.isDestroyed === false ? editor.view.dom : null;
    if (!dom) return;
    if (placeholder) dom.setAttribute('aria-placeholder', placeholder);
    else dom.removeAttribute('aria-placeholder');
  }, [editor, placeholder]);
  return (
    <div className="rich-text-field">
      {prompt && (
        <p id={promptId} className="field-prompt">
          {prompt}
        </p>
      )}
      <EditorContent editor={editor} />
      {placeholder && (
        <span className="rich-text-placeholder" aria-hidden="true">
          {placeholder}
        </span>
      )}
    </div>
  );
}
