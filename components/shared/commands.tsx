import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { CommandError } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';

/** Locale key of the sentence that explains why a command refused, in plain words. */
export function commandErrorKey(error: unknown): string {
  if (error instanceof CommandError) {
    if (error.reason === 'notFound') return 'app.commandError.notFound';
    if (error.reason === 'invalidInput') return 'app.commandError.invalidInput';
  }
  return 'app.commandError.failed';
}

/** Runs a command; a refusal becomes the message below. True when it ran. */
type Run = (command: () => unknown) => boolean;

const CommandContext = createContext<Run>((command) => {
  command();
  return true;
});

/**
 * The one way a view runs a command (a `PlanActions` call) and the one way a refusal is told:
 * a command that refuses (the item was removed on another page, a date was malformed) or fails
 * changes nothing, so instead of an exception the person gets one calm sentence that says so,
 * in a message fixed at the bottom of the window (seen wherever the page is scrolled, read out
 * at once: `role="alert"`) with "OK" to close it. The next command that runs closes it too.
 */
export function CommandProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [failed, setFailed] = useState<string | null>(null);
  const run = useCallback<Run>((command) => {
    try {
      command();
      setFailed(null);
      return true;
    } catch (error) {
      setFailed(commandErrorKey(error));
      return false;
    }
  }, []);
  return (
    <CommandContext.Provider value={run}>
      {children}
      {failed && (
        <div className="command-failed-region">
          {/* Inserted with its text: screen readers read an alert as it appears. */}
          <div className="notice command-failed" role="alert">
            <span>{t(failed)}</span>
            <button type="button" onClick={() => setFailed(null)}>
              {t('app.ok')}
            </button>
          </div>
        </div>
      )}
    </CommandContext.Provider>
  );
}

/** The nearest CommandProvider's runner (outside one, a command simply runs). */
export function useCommand(): Run {
  return useContext(CommandContext);
}
