import Collaboration from '@tiptap/extension-collaboration';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useId } from 'react';
import type { RichText } from '../../core/model/index.ts';

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
}

export function RichTextEditor({ fragment, label, prompt, readOnly = false }: RichTextEditorProps) {
  const promptId = useId();
  const editor = useEditor(
    {
      extensions: [
        StarterKit.configure({ undoRedo: false, link: { openOnClick: false, autolink: true } }),
        Collaboration.configure({ fragment }),
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
    [fragment, label, prompt],
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
