import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';
import './shared.css';

/**
 * After a delete the focused button is gone with its item; keyboard and screen-reader users
 * land on the heading of the list the item was in (the item carries `data-deletable`).
 */
function focusAfterDelete(from: HTMLElement | null): () => void {
  const item = from?.closest('[data-deletable]');
  const container = item?.parentElement?.closest('section, article');
  const heading = container?.querySelector<HTMLElement>('h1, h2, h3, h4');
  return () => {
    if (!heading?.isConnected || (document.activeElement && document.activeElement !== document.body)) return;
    heading.tabIndex = -1;
    heading.focus();
  };
}

/**
 * "Delete" that asks first, inline (no window.confirm, which a frightened person may click
 * away without reading). The safe answer, "Keep it", gets the focus; Escape keeps too.
 */
export function ConfirmDelete({
  label,
  visibleLabel,
  question,
  onConfirm,
}: {
  /** The button's accessible name, e.g. "Delete contact: Ada". */
  label: string;
  /** A shorter visible text where the surroundings name the item, e.g. "Delete". */
  visibleLabel?: string;
  /** e.g. "Delete the step “Walk to the corner”?" */
  question: string;
  onConfirm(): void;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) keep.current?.focus();
    else if (wasAsking.current) start.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking) {
    return (
      <button
        ref={start}
        type="button"
        className="delete-button"
        aria-label={visibleLabel ? label : undefined}
        onClick={() => setAsking(true)}
      >
        {visibleLabel ?? label}
      </button>
    );
  }
  return (
    <div
      className="confirm-delete"
      role="group"
      aria-label={question}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setAsking(false);
      }}
    >
      <span>{question}</span>
      <button
        type="button"
        className="danger"
        onClick={(e) => {
          const refocus = focusAfterDelete(e.currentTarget);
          onConfirm();
          requestAnimationFrame(refocus);
        }}
      >
        {t('app.yesDelete')}
      </button>
      <button ref={keep} type="button" onClick={() => setAsking(false)}>
        {t('app.keepIt')}
      </button>
    </div>
  );
}
