import { useId, useRef, useState, type FormEvent } from 'react';
import {
  REVIEW_PROGRESS,
  isDate,
  type Goal,
  type Review,
  type ReviewProgress,
} from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlanActions } from '../../hooks/plan.tsx';
import { Notes } from '../notes/Notes.tsx';
import { ConfirmDelete } from '../shared/ConfirmDelete.tsx';
import { useReadOnly } from '../shared/readOnly.tsx';
import { PROGRESS_KEYS } from './logic.ts';
import { formatDate, localToday as localDate } from '../shared/format.ts';
import { useCardOpen } from './open.ts';
import { useCommand } from '../shared/commands.tsx';
import { useAnnounce } from '../shared/Announcer.tsx';

/**
 * The follow-up of a goal, one review per session: a small timeline of dots (oldest to
 * newest, coloured and shaped by how it went), the list of reviews, and "Add review".
 */
export function Reviews({ goal }: { goal: Goal }) {
  const { t } = useI18n();
  const readOnly = useReadOnly();
  const open = useCardOpen();
  const headingId = useId();
  const [adding, setAdding] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);
  const close = () => {
    setAdding(false);
    requestAnimationFrame(() => addButton.current?.focus());
  };
  // Reading first: no reviews yet says nothing until "Edit".
  if (!open && goal.reviews.length === 0) return null;
  return (
    <section className="reviews" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('goals.reviews')}</h3>
      {goal.reviews.length === 0 ? (
        <p className="muted">{t('goals.noReviews')}</p>
      ) : (
        <>
          <Timeline reviews={goal.reviews} />
          <ol className="review-list">
            {goal.reviews.map((review) => (
              <ReviewItem key={review.id} goalId={goal.id} goalTitle={goal.title} review={review} />
            ))}
          </ol>
        </>
      )}
      {!readOnly &&
        open &&
        (adding ? (
          <ReviewForm goalId={goal.id} onClose={close} />
        ) : (
          <button ref={addButton} type="button" className="no-print" onClick={() => setAdding(true)}>
            {t('goals.addReview')}
          </button>
        ))}
    </section>
  );
}

function Timeline({ reviews }: { reviews: readonly Review[] }) {
  const { t, locale } = useI18n();
  const first = reviews[0]!;
  const last = reviews[reviews.length - 1]!;
  return (
    <div className="timeline">
      <ol className="timeline-dots" aria-label={t('goals.reviewHistory')}>
        {reviews.map((r) => {
          const label = t('goals.timelineItem', {
            date: formatDate(r.date, locale),
            progress: t(`${PROGRESS_KEYS[r.progress]}Lower`),
          });
          return (
            <li key={r.id}>
              <span
                className={`timeline-dot dot-${r.progress}`}
                role="img"
                aria-label={label}
                title={label}
              />
            </li>
          );
        })}
      </ol>
      <p className="timeline-ends" aria-hidden="true">
        <span>{formatDate(first.date, locale)}</span>
        {reviews.length > 1 && <span>{formatDate(last.date, locale)}</span>}
      </p>
    </div>
  );
}

function ReviewItem({ goalId, goalTitle, review }: { goalId: string; goalTitle: string; review: Review }) {
  const { t, locale } = useI18n();
  const actions = usePlanActions();
  const run = useCommand();
  const announce = useAnnounce();
  const readOnly = useReadOnly();
  const open = useCardOpen();
  const date = formatDate(review.date, locale);
  return (
    <li className="review" data-deletable>
      <p className="review-head">
        <span className={`timeline-dot dot-${review.progress}`} aria-hidden="true" />
        <strong>{date}</strong> · {t(PROGRESS_KEYS[review.progress])}
      </p>
      {review.note && (
        <p>
          <span className="field-label">{t('goals.note')}:</span> {review.note}
        </p>
      )}
      {review.nextStep && (
        <p>
          <span className="field-label">{t('goals.nextStep')}:</span> {review.nextStep}
        </p>
      )}
      {open ? (
        <div className="item-footer">
          <Notes
            target={{ kind: 'review', id: review.id }}
            targetLabel={t('goals.reviewOf', { title: goalTitle, date })}
          />
          {!readOnly && (
            <ConfirmDelete
              label={t('goals.deleteReviewNamed', { date })}
              visibleLabel={t('goals.deleteReview')}
              question={t('goals.deleteReviewQuestion', { date })}
              onConfirm={() => {
                if (run(() => actions.deleteReview(goalId, review.id)))
                  announce(t('goals.deleted', { text: date }));
              }}
            />
          )}
        </div>
      ) : (
        <Notes
          target={{ kind: 'review', id: review.id }}
          targetLabel={t('goals.reviewOf', { title: goalTitle, date })}
          onlyWhenOpen
        />
      )}
    </li>
  );
}

function ReviewForm({ goalId, onClose }: { goalId: string; onClose(): void }) {
  const { t } = useI18n();
  const actions = usePlanActions();
  const run = useCommand();
  const announce = useAnnounce();
  const [date, setDate] = useState(() => localDate());
  const [progress, setProgress] = useState<ReviewProgress | null>(null);
  const [note, setNote] = useState('');
  const [nextStep, setNextStep] = useState('');
  const [missing, setMissing] = useState<'date' | 'progress' | null>(null);
  const hintId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!isDate(date)) return setMissing('date');
    if (!progress) return setMissing('progress');
    if (run(() => actions.addReview(goalId, { date, progress, note, nextStep }))) {
      announce(t('goals.reviewSaved'));
      onClose();
    }
  };
  return (
    <form className="review-form no-print" aria-label={t('goals.newReview')} onSubmit={submit}>
      <label className="field field-date">
        <span className="field-label">{t('goals.reviewDate')}</span>
        <input
          type="date"
          value={date}
          required
          autoFocus
          aria-invalid={missing === 'date' || undefined}
          onChange={(e) => setDate(e.target.value)}
        />
      </label>
      <fieldset className="progress-choice" aria-describedby={missing === 'progress' ? hintId : undefined}>
        <legend>{t('goals.howDidItGo')}</legend>
        {REVIEW_PROGRESS.map((p) => (
          <label key={p} className={`check choice-${p}`}>
            <input
              type="radio"
              name={`progress-${goalId}`}
              value={p}
              checked={progress === p}
              onChange={() => {
                setProgress(p);
                setMissing(null);
              }}
            />
            {t(PROGRESS_KEYS[p])}
          </label>
        ))}
      </fieldset>
      <label className="field field-wide">
        <span className="field-label">{t('goals.note')}</span>
        <input type="text" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </label>
      <label className="field field-wide">
        <span className="field-label">{t('goals.nextStep')}</span>
        <input type="text" value={nextStep} maxLength={2000} onChange={(e) => setNextStep(e.target.value)} />
      </label>
      {missing && (
        <p id={hintId} className="add-hint">
          {t(missing === 'date' ? 'goals.chooseDate' : 'goals.chooseProgress')}
        </p>
      )}
      <div className="form-buttons">
        <button type="submit">{t('goals.saveReview')}</button>
        <button type="button" onClick={onClose}>
          {t('goals.cancel')}
        </button>
      </div>
    </form>
  );
}
