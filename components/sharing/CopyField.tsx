import { useState } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';

/** A read-only value (invite link or code) with a "Copy" button that says when it worked. */
export function CopyField({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  const { t } = useI18n();
  const [said, setSaid] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setSaid(t('sharing.copied'));
    } catch {
      setSaid(t('sharing.copyFailed'));
    }
  };
  return (
    <div className="sharing-copy">
      <label>
        {label}
        <input readOnly value={value} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
      </label>
      <button type="button" onClick={() => void copy()}>
        {copyLabel}
      </button>
      <span className="sharing-copied" role="status">
        {said}
      </span>
    </div>
  );
}
