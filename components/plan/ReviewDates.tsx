import { useI18n } from '../../hooks/i18n.tsx';
import { usePlanActions } from '../../hooks/plan.tsx';
import { isReviewOverdue } from './logic.ts';
import { formatDate, localToday } from '../shared/format.ts';
import { useCommand } from '../shared/commands.tsx';
import { useReadOnly } from '../shared/readOnly.tsx';

/**
 * "Reviewed on" / "Next review". Stale crisis plans are a known failure (IMR.md), so a passed
 * review date is pointed out, calmly: a reminder to look it over together, not a warning.
 */
export function ReviewDates({ reviewedAt, nextReviewAt }: { reviewedAt?: string; nextReviewAt?: string }) {
  const { t, locale } = useI18n();
  const readOnly = useReadOnly();
  const actions = usePlanActions();
  const run = useCommand();
  const today = localToday();
  const overdue = isReviewOverdue(nextReviewAt, today);
  const shown = (date?: string) => (date ? formatDate(date, locale) : t('plan.notSet'));

  const notice = overdue ? (
    <p className="plan-review-due" role="status">
      {t('plan.reviewDue', { date: formatDate(nextReviewAt!, locale) })}
    </p>
  ) : null;

  if (readOnly) {
    return (
      <div className="plan-review">
        <dl className="plan-review-dates">
          <div>
            <dt>{t('plan.reviewedOn')}</dt>
            <dd>{shown(reviewedAt)}</dd>
          </div>
          <div>
            <dt>{t('plan.nextReview')}</dt>
            <dd>{shown(nextReviewAt)}</dd>
          </div>
        </dl>
        {notice}
      </div>
    );
  }

  return (
    <div className="plan-review">
      <fieldset className="plan-review-dates">
        <legend className="visually-hidden">{t('plan.reviewDates')}</legend>
        <label>
          {t('plan.reviewedOn')}
          <input
            type="date"
            value={reviewedAt ?? ''}
            max={today}
            onChange={(e) => run(() => actions.setReviewDates({ reviewedAt: e.target.value || null }))}
          />
          <span className="print-only">{shown(reviewedAt)}</span>
        </label>
        <button
          type="button"
          className="no-print"
          disabled={reviewedAt === today}
          onClick={() => run(() => actions.setReviewDates({ reviewedAt: today }))}
        >
          {t('plan.reviewedToday')}
        </button>
        <label>
          {t('plan.nextReview')}
          <input
            type="date"
            value={nextReviewAt ?? ''}
            onChange={(e) => run(() => actions.setReviewDates({ nextReviewAt: e.target.value || null }))}
          />
          <span className="print-only">{shown(nextReviewAt)}</span>
        </label>
      </fieldset>
      {notice}
      {!nextReviewAt && <p className="plan-hint no-print">{t('plan.noNextReview')}</p>}
    </div>
  );
}
