import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { CommandError } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { Announcer, useAnnounce } from '../shared/Announcer.tsx';

/**
 * What the board says after a change: a polite announcement for screen readers ("Goal
 * moved to place 2 of 3") and, when a command refuses (the item was removed on another page,
 * a date was malformed), a calm visible message instead of an exception.
 */
interface Feedback {
  announce(message: string): void;
  /** Runs a command; a refusal becomes a message. Returns whether it ran. */
  run(command: () => unknown): boolean;
}

const FeedbackContext = createContext<Feedback>({
  announce: () => {},
  run: (command) => {
    command();
    return true;
  },
});

const ReadOnlyContext = createContext(false);

/**
 * Whether the board is shown without edit controls: this person's access to the goal board
 * is below `edit` (view or comment), or a newer Varde wrote the plan.
 */
export function useReadOnly(): boolean {
  return useContext(ReadOnlyContext);
}

export function FeedbackProvider({ readOnly, children }: { readOnly: boolean; children: ReactNode }) {
  return (
    <Announcer>
      <BoardFeedback readOnly={readOnly}>{children}</BoardFeedback>
    </Announcer>
  );
}

function BoardFeedback({ readOnly, children }: { readOnly: boolean; children: ReactNode }) {
  const { t } = useI18n();
  const [failed, setFailed] = useState<string | null>(null);
  const announce = useAnnounce();
  const run = useCallback(
    (command: () => unknown) => {
      try {
        command();
        setFailed(null);
        return true;
      } catch (error) {
        if (!(error instanceof CommandError)) throw error;
        setFailed(t(error.reason === 'notFound' ? 'goals.errorNotFound' : 'goals.errorInvalid'));
        return false;
      }
    },
    [t],
  );
  const value = useMemo(() => ({ announce, run }), [announce, run]);
  return (
    <ReadOnlyContext.Provider value={readOnly}>
      <FeedbackContext.Provider value={value}>
        {failed && (
          <div className="notice goals-failed" role="status">
            <span>{failed}</span>
            <button type="button" onClick={() => setFailed(null)}>
              {t('goals.ok')}
            </button>
          </div>
        )}
        {children}
      </FeedbackContext.Provider>
    </ReadOnlyContext.Provider>
  );
}

export function useFeedback(): Feedback {
  return useContext(FeedbackContext);
}
