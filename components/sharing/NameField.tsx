import { useId } from 'react';
import { MAX_NAME_LENGTH, MAX_NAME_UNITS, type NameProblem } from '../../core/access/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';

/**
 * "Your name", with what it is for and, once the form found the name unusable
 * (`checkDisplayName`, the same check the server runs), why, in plain words.
 */
export function NameField({
  value,
  onChange,
  problem,
  hints,
}: {
  value: string;
  onChange: (value: string) => void;
  problem: NameProblem | null;
  /** Message keys shown under the field. */
  hints: string[];
}) {
  const { t } = useI18n();
  const hintId = useId();
  const problemId = useId();
  return (
    <>
      <label>
        {t('sharing.yourName')}
        <input
          value={value}
          onChange={(e) => onChange(e.target.value)}
          // Longer than any allowed name, so a name that is too long is explained, not cut off.
          maxLength={MAX_NAME_UNITS}
          autoComplete="name"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${problemId} ${hintId}` : hintId}
        />
      </label>
      {problem && (
        <p id={problemId} className="sharing-problem" role="alert">
          {t(`sharing.nameProblem.${problem}`, { max: MAX_NAME_LENGTH })}
        </p>
      )}
      <p id={hintId} className="sharing-hint">
        {hints.map((key) => t(key)).join(' ')}
      </p>
    </>
  );
}
