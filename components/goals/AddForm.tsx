import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';
import { useCommand } from '../shared/commands.tsx';
import { useAnnounce } from '../shared/Announcer.tsx';

/**
 * A one-line "add" form: a labelled field and its button; Enter submits. The field is
 * emptied and keeps the focus, ready for the next one. Extra optional fields (a step's
 * "Who helps" and "Due date") come as `children` and are reset through `onDone`. With
 * `takeFocus`, the field takes the focus when the form first appears if it answers true (the
 * form of an item just added: focus-next.ts).
 */
export function AddForm({
  label,
  button,
  onAdd,
  onDone,
  className,
  children,
  takeFocus,
}: {
  /** The field's visible label and accessible name, e.g. "Goal". */
  label: string;
  /** The button, e.g. "Add goal". */
  button: string;
  onAdd(text: string): unknown;
  onDone?(): void;
  className?: string;
  children?: ReactNode;
  takeFocus?: () => boolean;
}) {
  const { t } = useI18n();
  const run = useCommand();
  const announce = useAnnounce();
  const [text, setText] = useState('');
  const [empty, setEmpty] = useState(false);
  const hintId = useId();
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (takeFocus?.()) field.current?.focus();
    // Only when the form first appears.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === '') {
      setEmpty(true);
      return;
    }
    if (run(() => onAdd(text.trim()))) {
      announce(t('goals.added', { text: text.trim() }));
      setText('');
      setEmpty(false);
      onDone?.();
    }
  };
  return (
    <form className={`add-form no-print ${className ?? ''}`} onSubmit={submit}>
      <label className="field add-main">
        <span className="field-label">{label}</span>
        <input
          ref={field}
          type="text"
          value={text}
          maxLength={2000}
          autoComplete="off"
          aria-invalid={empty || undefined}
          aria-describedby={empty ? hintId : undefined}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value.trim()) setEmpty(false);
          }}
        />
      </label>
      {children}
      <button type="submit">{button}</button>
      {empty && (
        <p id={hintId} className="add-hint">
          {t('goals.writeFirst')}
        </p>
      )}
    </form>
  );
}
