import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';
import { useImport } from '../../hooks/import.ts';

/** A modal question: focus moves into it, Escape is the same as "Cancel". */
function Question({
  title,
  onCancel,
  children,
}: {
  title: string;
  onCancel: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="exchange-dialog"
      aria-labelledby="import-question"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="import-question">{title}</h2>
      {children}
    </dialog>
  );
}

/**
 * "Import plan": picks a file, checks all of it, then imports, or asks. Works with or without
 * an open plan (a merge into the plan open in this page goes into its docs directly).
 */
export function ImportPlan() {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const { state, chooseFile, merge, keepBoth, importNew, dismiss } = useImport({
    fallback: t('exchange.importedName'),
    copyOf: (name) => t('exchange.copyName', { name }),
  });
  const problems = (count: number) =>
    count > 0 && <p className="notice">{t('exchange.problems', { count })}</p>;
  return (
    <div className="exchange-import">
      <button type="button" onClick={() => input.current?.click()} disabled={state.step === 'working'}>
        {t('exchange.import')}
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        className="visually-hidden"
        tabIndex={-1}
        aria-label={t('exchange.fileLabel')}
        onChange={(e) => {
          const file = e.target.files?.[0];
          // Cleared at once, so choosing the same file again is noticed.
          e.target.value = '';
          if (file) chooseFile(file);
        }}
      />
      {state.step === 'working' && <p role="status">{t('exchange.working')}</p>}
      {state.step === 'failed' && (
        <div role="alert" className="notice exchange-message">
          <p>{t(`exchange.error.${state.reason}`)}</p>
          <button type="button" onClick={dismiss}>
            {t('exchange.ok')}
          </button>
        </div>
      )}
      {state.step === 'done' && (
        <p role="status" className="exchange-message">
          {t(state.outcome === 'merged' ? 'exchange.merged' : 'exchange.imported', { name: state.name })}
        </p>
      )}
      {state.step === 'choose' && (
        <Question title={t('exchange.choiceTitle')} onCancel={dismiss}>
          <p>{t('exchange.choiceText', { name: state.existingName })}</p>
          <p>{t('exchange.mergeExplain')}</p>
          {problems(state.file.problems.length)}
          <div className="exchange-choices">
            <button type="button" className="primary" onClick={merge}>
              {t('exchange.merge')}
            </button>
            <button type="button" onClick={keepBoth}>
              {t('exchange.keepBoth')}
            </button>
            <button type="button" onClick={dismiss}>
              {t('exchange.cancel')}
            </button>
          </div>
        </Question>
      )}
      {state.step === 'confirm' && (
        <Question title={t('exchange.confirmTitle')} onCancel={dismiss}>
          {problems(state.file.problems.length)}
          <div className="exchange-choices">
            <button type="button" className="primary" onClick={importNew}>
              {t('exchange.importAnyway')}
            </button>
            <button type="button" onClick={dismiss}>
              {t('exchange.cancel')}
            </button>
          </div>
        </Question>
      )}
    </div>
  );
}
