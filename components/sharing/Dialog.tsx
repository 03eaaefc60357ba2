import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';

/**
 * A modal dialog on the native <dialog>: it keeps focus inside, Escape closes it, and focus
 * returns to the button that opened it. Its content mounts only while open, so panels
 * refresh (e.g. the member list) every time they are opened.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="sharing-dialog" aria-labelledby={titleId} onClose={onClose}>
      <div className="sharing-dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" onClick={onClose}>
          {t('sharing.close')}
        </button>
      </div>
      {open && children}
    </dialog>
  );
}
