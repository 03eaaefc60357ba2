import { useId, useState, type FormEvent, type KeyboardEvent, type Ref } from 'react';
import { CommandError, MAX_SHORT_TEXT } from '../../core/model/index.ts';
import { useI18n, type Translate } from '../../hooks/i18n.tsx';

function messageFor(error: unknown, t: Translate): string {
  if (error instanceof CommandError && error.reason === 'invalidInput') {
    return t('notes.tooLong', { max: MAX_SHORT_TEXT });
  }
  return t('notes.saveFailed');
}

export interface CommentFormProps {
  /** The text field's visible label and accessible name: "Comment" or "Reply". */
  label: string;
  submitLabel: string;
  /** Throws a CommandError when the model refuses; the text stays so nothing typed is lost. */
  onSubmit: (text: string) => void;
  inputRef?: Ref<HTMLTextAreaElement>;
  rows?: number;
}

/**
 * A labelled text area and its button. Enter makes a new line (a comment may need several);
 * Ctrl+Enter or Cmd+Enter sends, as in most comment boxes.
 */
export function CommentForm({ label, submitLabel, onSubmit, inputRef, rows = 2 }: CommentFormProps) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === '') {
      setError(t('notes.emptyBody'));
      return;
    }
    try {
      onSubmit(text);
      setText('');
      setError(null);
    } catch (caught) {
      setError(messageFor(caught, t));
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.currentTarget.form?.requestSubmit();
    }
  };
  return (
    <form className="notes-form" onSubmit={submit}>
      <label htmlFor={`${id}-text`}>{label}</label>
      <div className="notes-form-row">
        <textarea
          id={`${id}-text`}
          ref={inputRef}
          value={text}
          rows={rows}
          maxLength={MAX_SHORT_TEXT}
          onChange={(event) => {
            setText(event.target.value);
            if (error) setError(null);
          }}
          onKeyDown={onKeyDown}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <button type="submit">{submitLabel}</button>
      </div>
      {error && (
        <p id={`${id}-error`} className="notes-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
