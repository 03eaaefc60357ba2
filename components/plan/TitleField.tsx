import { useId, useState } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';

/**
 * The state of a required section title (adding a section, renaming one): `check` refuses an
 * empty title and makes the field say so.
 */
export function useTitleField(initial: string) {
  const [value, setValue] = useState(initial);
  const [empty, setEmpty] = useState(false);
  return {
    value,
    reset: () => {
      setValue('');
      setEmpty(false);
    },
    /** True when there is a title; otherwise the field shows that one is needed. */
    check: (): boolean => {
      if (value.trim()) return true;
      setEmpty(true);
      return false;
    },
    field: {
      value,
      empty,
      onChange: (next: string) => {
        setValue(next);
        setEmpty(false);
      },
    },
  };
}

/**
 * "Section title", with the message "Write a title" tied to it (`aria-describedby`) when it
 * was left empty. Focused when it appears; Escape cancels.
 */
export function TitleField({
  value,
  empty,
  onChange,
  onEscape,
}: {
  value: string;
  empty: boolean;
  onChange: (value: string) => void;
  onEscape: () => void;
}) {
  const { t } = useI18n();
  const errorId = useId();
  return (
    <>
      <label>
        {t('plan.sectionTitle')}
        <input
          value={value}
          onChange={(e) => onChange(e.target.value)}
          maxLength={200}
          autoComplete="off"
          autoFocus
          aria-invalid={empty}
          aria-describedby={empty ? errorId : undefined}
          onKeyDown={(e) => e.key === 'Escape' && onEscape()}
        />
      </label>
      {empty && (
        <p id={errorId} className="plan-error">
          {t('plan.titleRequired')}
        </p>
      )}
    </>
  );
}
