import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useI18n } from '../../hooks/i18n.tsx';
import { PrintView } from './PrintView.tsx';

/** Marks the page while the print document is what paper should show (exchange.css). */
const PRINTING_CLASS = 'varde-printing';

/**
 * "Print plan": puts the print document beside the app, opens the browser's print dialog,
 * and takes the document away when printing is over. A plain Ctrl+P still prints the page
 * as it is, with the views' own print styles.
 */
export function PrintButton({ planName }: { planName: string }) {
  const { t } = useI18n();
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    if (!printing) return;
    const root = document.documentElement;
    const done = () => {
      root.classList.remove(PRINTING_CLASS);
      setPrinting(false);
    };
    root.classList.add(PRINTING_CLASS);
    window.addEventListener('afterprint', done, { once: true });
    window.print();
    return () => {
      window.removeEventListener('afterprint', done);
      root.classList.remove(PRINTING_CLASS);
    };
  }, [printing]);
  return (
    <>
      <button type="button" onClick={() => setPrinting(true)} disabled={printing}>
        {t('exchange.print')}
      </button>
      {printing && createPortal(<PrintView planName={planName} />, document.body)}
    </>
  );
}
