import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useId } from 'react';
import type { RichText } from '../../core/model/index.ts';
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

export function RichTextEditor({
  fragment,
  label,
  prompt,
  readOnly = false,
  collaboration = null,
}: RichTextEditorProps) {
  const promptId = useId();
  const awareness = collaboration?.awareness ?? null;
  const userName = collaboration?.user.name;
  const userColor = collaboration?.user.color;
  const editor = useEditor(
    {
      extensions: [
        StarterKit.configure({ undoRedo: false, link: { openOnClick: false, autolink: true } }),
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
  return (
    <div className="rich-text-field">
      {prompt && (
        <p id={promptId} className="field-prompt">
          {prompt}
        </p>
      )}
      <EditorContent editor={editor} />
    </div>
  );
}
