import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useI18n } from '../../hooks/i18n.tsx';
import { useReadOnly } from '../shared/readOnly.tsx';
import { useCommand } from '../shared/commands.tsx';
import { useAnnounce } from '../shared/Announcer.tsx';

/**
 * Offers that follow progress (docs/architecture.md "Progress"): "All steps are done — mark
 * the goal as achieved?" with a button that marks it and one that dismisses it. Nothing
 * changes a status until the person taps. What each offer became (dismissed, or accepted and
 * thanked) is kept per item for as long as the board is open, above the cards, so folding a
 * card or a re-render never brings back an offer the person said "Not now" to.
 */
type Answer = { kind: string; answer: 'dismissed' | 'accepted' };

interface Offers {
  answers: ReadonlyMap<string, Answer>;
  set(id: string, answer: Answer | null): void;
  /** False during the board's first render: offers already true on opening are not spoken. */
  live: { current: boolean };
}

const OffersContext = createContext<Offers | null>(null);

export function OffersProvider({ children }: { children: ReactNode }) {
  const [answers, setAnswers] = useState<ReadonlyMap<string, Answer>>(new Map());
  const live = useRef(false);
  useEffect(() => {
    live.current = true;
  }, []);
  const set = useCallback((id: string, answer: Answer | null) => {
    setAnswers((previous) => {
      if (!answer && !previous.has(id)) return previous;
      const next = new Map(previous);
      if (answer) next.set(id, answer);
      else next.delete(id);
      return next;
    });
  }, []);
  const value = useMemo(() => ({ answers, set, live }), [answers, set]);
  return <OffersContext.Provider value={value}>{children}</OffersContext.Provider>;
}

export interface OfferProps<K extends string> {
  /** The goal's or sub-goal's id. */
  id: string;
  /** What is offered now (null: nothing), e.g. `achieved`; a new kind is a new offer. */
  kind: K | null;
  /** The question, its yes-button and the thanks after it, for a kind. */
  words(kind: K): { question: string; accept: string; thanks: string };
  onAccept(kind: K): void;
}

export function Offer<K extends string>({ id, kind, words, onAccept }: OfferProps<K>) {
  const { t } = useI18n();
  const run = useCommand();
  const announce = useAnnounce();
  const readOnly = useReadOnly();
  const offers = useContext(OffersContext);
  const answer = offers?.answers.get(id);
  const thanked = useRef<HTMLParagraphElement>(null);
  const questionId = useId();
  const showThanks = answer?.answer === 'accepted';
  const offered = !readOnly && !showThanks && kind !== null && answer?.kind !== kind ? kind : null;
  const showOffer = offered !== null;
  const question = offered === null ? '' : words(offered).question;

  // An answer to an offer that no longer holds (a step was unticked) is forgotten, so
  // finishing again is noticed again.
  const set = offers?.set;
  useEffect(() => {
    if (set && answer?.answer === 'dismissed' && answer.kind !== kind) set(id, null);
  }, [set, id, answer, kind]);

  // Where the person was when the offer came (usually the step they ticked): answering
  // takes them back there rather than dropping the focus to the page.
  const cameFrom = useRef<HTMLElement | null>(null);
  const goBack = () => {
    if (cameFrom.current?.isConnected) cameFrom.current.focus();
  };
  const live = offers?.live;
  useEffect(() => {
    if (!showOffer) return;
    if (document.activeElement instanceof HTMLElement) cameFrom.current = document.activeElement;
    if (live?.current) announce(question);
  }, [showOffer, live, announce, question]);

  useEffect(() => {
    if (showThanks) thanked.current?.focus();
  }, [showThanks]);

  if (showThanks && answer) {
    return (
      <div className="offer offer-thanks">
        <p ref={thanked} tabIndex={-1}>
          <span className="offer-mark" aria-hidden="true">
            ✓
          </span>{' '}
          {words(answer.kind as K).thanks}
        </p>
        <button
          type="button"
          onClick={() => {
            set?.(id, null);
            goBack();
          }}
        >
          {t('goals.ok')}
        </button>
      </div>
    );
  }
  if (offered === null) return null;
  return (
    <div className="offer" role="group" aria-labelledby={questionId}>
      <p id={questionId}>{question}</p>
      <div className="offer-buttons">
        <button
          type="button"
          className="primary"
          onClick={() => {
            if (run(() => onAccept(offered))) set?.(id, { kind: offered, answer: 'accepted' });
          }}
        >
          {words(offered).accept}
        </button>
        <button
          type="button"
          onClick={() => {
            set?.(id, { kind: offered, answer: 'dismissed' });
            goBack();
          }}
        >
          {t('goals.offer.notNow')}
        </button>
      </div>
    </div>
  );
}
