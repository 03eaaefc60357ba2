import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { NoteTarget, Thread } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { useCommand } from '../shared/commands.tsx';
import { CommentForm } from './CommentForm.tsx';
import { ThreadView } from './ThreadView.tsx';
import './notes.css';

/** What the view may change; null when the plan is read-only. */
export interface NotesCommands {
  addThread: (target: NoteTarget, body: string) => void;
  reply: (target: NoteTarget, threadId: string, body: string) => void;
  setResolved: (target: NoteTarget, threadId: string, resolved: boolean) => void;
}

export interface NotesViewProps {
  target: NoteTarget;
  targetLabel: string;
  threads: readonly Thread[];
  commands: NotesCommands | null;
  /** Starts with the thread area open (print, tests); people open it with the button. */
  defaultOpen?: boolean;
}

/** Relative times ("5 minutes ago") move on while the area is open. */
const CLOCK_TICK_MS = 30_000;

/** The time relative times count from: ticks while `running`, and on `refresh()`. */
function useNow(running: boolean): [number, () => void] {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    return () => clearInterval(timer);
  }, [running]);
  return [now, () => setNow(Date.now())];
}

/**
 * The "Comment" button of one goal, step, section, … and its threads. Once opened, the area
 * stays mounted while closed (only hidden), so a half-written comment survives closing and
 * reopening it.
 */
export function NotesView({ target, targetLabel, threads, commands, defaultOpen = false }: NotesViewProps) {
  const { t } = useI18n();
  const run = useCommand();
  const id = useId();
  const [open, setOpen] = useState(defaultOpen);
  // The area's content is made on first opening, then kept: a board shows hundreds of
  // Comment buttons and few are ever opened (issue 5).
  const [made, setMade] = useState(defaultOpen);
  const [showResolved, setShowResolved] = useState(false);
  const [status, setStatus] = useState('');
  const toggleRef = useRef<HTMLButtonElement>(null);
  const areaRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const openedByUser = useRef(false);
  const [now, refreshNow] = useNow(open);

  const unresolved = threads.filter((thread) => !thread.resolved);
  const resolved = threads.filter((thread) => thread.resolved);

  useEffect(() => {
    if (!open || !openedByUser.current) return;
    openedByUser.current = false;
    (inputRef.current ?? areaRef.current)?.focus();
  }, [open]);

  const toggle = () => {
    openedByUser.current = !open;
    if (!open) {
      refreshNow();
      setMade(true);
    }
    setOpen(!open);
    setStatus('');
  };

  const close = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    setOpen(false);
    toggleRef.current?.focus();
  };

  const threadCommands = commands && {
    reply: (threadId: string, body: string) => {
      commands.reply(target, threadId, body);
      setStatus(t('notes.replySaved'));
    },
    setResolved: (threadId: string, value: boolean) => {
      // A thread gone from this device (an import replaced the plan) is told calmly (commands.tsx).
      if (run(() => commands.setResolved(target, threadId, value))) {
        setStatus(t(value ? 'notes.resolvedDone' : 'notes.reopenedDone'));
      }
      // The button just pressed leaves with its thread; keep focus in the area, not on <body>.
      areaRef.current?.focus();
    },
  };

  return (
    <div className="notes">
      <button
        ref={toggleRef}
        type="button"
        className={unresolved.length > 0 ? 'notes-toggle has-open' : 'notes-toggle'}
        aria-label={t('notes.comment')}
        aria-expanded={open}
        aria-controls={`${id}-area`}
        aria-describedby={`${id}-summary`}
        onClick={toggle}
      >
        {t('notes.comment')}
        {unresolved.length > 0 && <span className="notes-count"> ({unresolved.length})</span>}
      </button>
      <span id={`${id}-summary`} className="visually-hidden">
        {unresolved.length > 0
          ? t('notes.summaryOpen', { target: targetLabel, count: unresolved.length })
          : t('notes.summary', { target: targetLabel })}
      </span>
      <div
        ref={areaRef}
        id={`${id}-area`}
        className="notes-area"
        role="region"
        aria-label={t('notes.summary', { target: targetLabel })}
        tabIndex={-1}
        hidden={!open}
        onKeyDown={close}
      >
        {made && (
          <>
            {threads.length === 0 && <p className="notes-empty">{t('notes.empty')}</p>}
            {unresolved.length > 0 && (
              <ul className="notes-threads">
                {unresolved.map((thread) => (
                  <ThreadView key={thread.id} thread={thread} now={now} commands={threadCommands} />
                ))}
              </ul>
            )}
            {commands && (
              <CommentForm
                label={t('notes.commentLabel')}
                submitLabel={t('notes.save')}
                inputRef={inputRef}
                onSubmit={(body) => {
                  commands.addThread(target, body);
                  setStatus(t('notes.commentSaved'));
                }}
              />
            )}
            {resolved.length > 0 && (
              <div className="notes-resolved">
                <button
                  type="button"
                  className="notes-show-resolved"
                  aria-expanded={showResolved}
                  aria-controls={`${id}-resolved`}
                  onClick={() => setShowResolved(!showResolved)}
                >
                  {t(showResolved ? 'notes.hideResolved' : 'notes.showResolved', { count: resolved.length })}
                </button>
                <ul id={`${id}-resolved`} className="notes-threads" hidden={!showResolved}>
                  {resolved.map((thread) => (
                    <ThreadView key={thread.id} thread={thread} now={now} commands={threadCommands} />
                  ))}
                </ul>
              </div>
            )}
            <p className="visually-hidden" role="status">
              {status}
            </p>
          </>
        )}
      </div>
    </div>
  );
}
