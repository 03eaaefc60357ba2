import { useRef, useState } from 'react';
import { isDate } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { formatDate } from '../shared/format.ts';
import { useCommand } from '../shared/commands.tsx';

/**
 * Short fields of the goal board. Each keystroke is saved at once (nothing typed is lost by
 * a reload), while the person's own draft stays on screen until they leave the field, so a
 * trimmed space or a concurrent edit never jumps under their cursor. Escape puts back what
 * the field held when they entered it. On paper only the value is printed.
 */
interface FieldProps {
  label: string;
  value: string;
  onCommit(value: string): void;
  readOnly?: boolean;
  /** A required field (a title) is not saved while empty, and goes back to its value on leaving. */
  required?: boolean;
  className?: string;
}

function useDraft(value: string, commit: (value: string) => void) {
  const [draft, setDraft] = useState<string | null>(null);
  const original = useRef(value);
  return {
    value: draft ?? value,
    onFocus: () => {
      original.current = value;
      setDraft(value);
    },
    onBlur: () => setDraft(null),
    onChange: (next: string) => {
      setDraft(next);
      commit(next);
    },
    revert: () => {
      setDraft(original.current);
      commit(original.current);
    },
  };
}

function ReadOnlyValue({ label, text, className }: { label: string; text: string; className?: string }) {
  return (
    <div className={`field field-readonly ${text ? '' : 'field-empty'} ${className ?? ''}`}>
      <span className="field-label">{label}</span>
      <span className="field-value">{text || '—'}</span>
    </div>
  );
}

export function TextField({ label, value, onCommit, readOnly, required, className }: FieldProps) {
  const run = useCommand();
  const draft = useDraft(value, (next) => {
    if (next === value || (required && next.trim() === '')) return;
    run(() => onCommit(next));
  });
  if (readOnly) return <ReadOnlyValue label={label} text={value} className={className} />;
  return (
    <label className={`field ${value ? '' : 'field-empty'} ${className ?? ''}`}>
      <span className="field-label">{label}</span>
      <input
        className="field-input"
        type="text"
        value={draft.value}
        maxLength={2000}
        autoComplete="off"
        aria-required={required || undefined}
        onFocus={draft.onFocus}
        onBlur={draft.onBlur}
        onChange={(e) => draft.onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') draft.revert();
        }}
      />
      <span className="print-value">{value}</span>
    </label>
  );
}

/** An optional `YYYY-MM-DD` date; clearing the field removes the date. */
export function DateField({ label, value, onCommit, readOnly, className }: Omit<FieldProps, 'required'>) {
  const { locale } = useI18n();
  const run = useCommand();
  const draft = useDraft(value, (next) => {
    if (next === value || (next !== '' && !isDate(next))) return;
    run(() => onCommit(next));
  });
  const shown = value ? formatDate(value, locale) : '';
  if (readOnly) return <ReadOnlyValue label={label} text={shown} className={className} />;
  return (
    <label className={`field field-date ${value ? '' : 'field-empty'} ${className ?? ''}`}>
      <span className="field-label">{label}</span>
      <input
        className="field-input"
        type="date"
        value={draft.value}
        onFocus={draft.onFocus}
        onBlur={draft.onBlur}
        onChange={(e) => draft.onChange(e.target.value)}
      />
      <span className="print-value">{shown}</span>
    </label>
  );
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onCommit,
  readOnly,
  className,
}: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onCommit(value: T): void;
  readOnly?: boolean;
  className?: string;
}) {
  const run = useCommand();
  const shown = options.find((o) => o.value === value)?.label ?? value;
  if (readOnly) return <ReadOnlyValue label={label} text={shown} className={className} />;
  return (
    <label className={`field ${className ?? ''}`}>
      <span className="field-label">{label}</span>
      <select
        className="field-input"
        value={value}
        onChange={(e) => run(() => onCommit(e.target.value as T))}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <span className="print-value">{shown}</span>
    </label>
  );
}
