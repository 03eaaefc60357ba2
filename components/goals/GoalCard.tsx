import { useId, useState } from 'react';
import type { Goal } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlanActions } from '../../hooks/plan.tsx';
import { useCollaboration } from '../../hooks/sync.tsx';
import { RichTextEditor } from '../editor/RichTextEditor.tsx';
import { Notes } from '../notes/Notes.tsx';
import { ConfirmDelete } from '../shared/ConfirmDelete.tsx';
import { useFeedback, useReadOnly } from './feedback.tsx';
import { GoalDetails } from './GoalDetails.tsx';
import { goalOffer } from './logic.ts';
import { Offer } from './Offer.tsx';
import { ProgressBar } from './ProgressBar.tsx';
import { DragHandle, MoveButtons, dropTargetProps, type Reorder } from './reorder.tsx';
import { Reviews } from './Reviews.tsx';
import { SubGoalList } from './SubGoals.tsx';

/**
 * One recovery goal: an article named by its title. In the compact layout (side panel) the
 * card folds to its title, status and progress; folded content stays in the page, hidden,
 * so that printing from the side panel still prints everything.
 */
export function GoalCard({ goal, reorder, compact }: { goal: Goal; reorder: Reorder; compact: boolean }) {
  const { t } = useI18n();
  const actions = usePlanActions();
  const { run, announce } = useFeedback();
  const readOnly = useReadOnly();
  const collaboration = useCollaboration('goals');
  const [open, setOpen] = useState(!compact);
  const headingId = useId();
  const bodyId = useId();
  const expanded = open || !compact;
  return (
    <article
      className={`goal-card status-${goal.status}`}
      aria-labelledby={headingId}
      data-deletable
      {...(readOnly ? {} : dropTargetProps(reorder, goal.id))}
    >
      <header className="goal-header">
        {!readOnly && <DragHandle reorder={reorder} id={goal.id} noun="goal" name={goal.title} />}
        <h2 id={headingId} className="goal-title">
          {compact ? (
            <button
              type="button"
              className="goal-toggle"
              aria-expanded={open}
              aria-controls={bodyId}
              onClick={() => setOpen(!open)}
            >
              <span className="toggle-mark" aria-hidden="true">
                {open ? '▾' : '▸'}
              </span>
              {goal.title}
            </button>
          ) : (
            goal.title
          )}
        </h2>
        <span className={`status-badge status-badge-${goal.status}`}>{t(`goals.status.${goal.status}`)}</span>
        {!readOnly && <MoveButtons reorder={reorder} id={goal.id} noun="goal" />}
        <ProgressBar progress={goal.progress} />
      </header>
      <Offer
        id={goal.id}
        kind={goalOffer(goal)}
        words={() => ({
          question: t('goals.offer.goalAchieved'),
          accept: t('goals.offer.goalAchievedYes'),
          thanks: t('goals.offer.goalAchievedThanks'),
        })}
        onAccept={(status) => actions.updateGoal(goal.id, { status })}
      />
      <div id={bodyId} className="goal-body" hidden={!expanded}>
        <GoalDetails goal={goal} />
        {goal.why && (
          <div className="goal-why">
            <h3 className="field-label">{t('goals.why')}</h3>
            <RichTextEditor
              fragment={goal.why}
              label={t('goals.why')}
              prompt={t('goals.whyPrompt')}
              readOnly={readOnly}
              collaboration={collaboration}
            />
          </div>
        )}
        <SubGoalList goal={goal} />
        <Reviews goal={goal} />
        <div className="goal-footer">
          <Notes target={{ kind: 'goal', id: goal.id }} targetLabel={goal.title} />
          {!readOnly && (
            <ConfirmDelete
              label={t('goals.deleteGoal')}
              question={t('goals.deleteGoalQuestion', { title: goal.title })}
              onConfirm={() => {
                if (run(() => actions.deleteGoal(goal.id)))
                  announce(t('goals.deleted', { text: goal.title }));
              }}
            />
          )}
        </div>
      </div>
    </article>
  );
}
