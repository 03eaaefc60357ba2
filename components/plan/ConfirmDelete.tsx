import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';

/**
 * A delete that asks first (nothing may be lost by one slip): the button opens a short
 * question in place, with "Yes, delete" and "No, keep it"; keeping it is the default focus.
 */
export function ConfirmDelete({
  label,
  visibleLabel,
  question,
  onConfirm,
}: {
  /** Accessible name of the first button, naming the item, e.g. "Delete contact: Ada". */
  label: string;
  visibleLabel: string;
  question: string;
  onConfirm: () => void;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const keepRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) keepRef.current?.focus();
    else if (wasAsking.current) openRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking) {
    return (
      <button
        ref={openRef}
        type="button"
        className="plan-delete"
        aria-label={label}
        onClick={() => setAsking(true)}
      >
        {visibleLabel}
      </button>
    );
  }
  return (
    <div className="plan-confirm" role="group" aria-label={label}>
      <p>{question}</p>
      <button type="button" className="plan-danger" onClick={onConfirm}>
        {t('plan.confirmDelete')}
      </button>
      <button ref={keepRef} type="button" onClick={() => setAsking(false)}>
        {t('plan.keep')}
      </button>
    </div>
  );
}
