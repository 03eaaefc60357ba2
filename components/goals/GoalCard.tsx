import { useId, useRef, useState } from 'react';
import type { Goal } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlanActions } from '../../hooks/plan.tsx';
import { useCollaboration } from '../../hooks/sync.tsx';
import { RichTextEditor } from '../editor/RichTextEditor.tsx';
import { Notes } from '../notes/Notes.tsx';
import { ConfirmDelete } from '../shared/ConfirmDelete.tsx';
import { useReadOnly } from '../shared/readOnly.tsx';
import { GoalDetails, useModuleName } from './GoalDetails.tsx';
import { goalOffer } from './logic.ts';
import { formatDate } from '../shared/format.ts';
import { Offer } from './Offer.tsx';
import { ProgressBar } from './ProgressBar.tsx';
import { DragHandle, ReorderButtons, dropTargetProps, type Reorder } from './reorder.tsx';
import { Reviews } from './Reviews.tsx';
import { SubGoalList } from './SubGoals.tsx';
import { CardOpenContext } from './open.ts';
import { useCommand } from '../shared/commands.tsx';
import { useAnnounce } from '../shared/Announcer.tsx';

/**
 * One recovery goal: an article named by its title. It reads first (the title once, why it
 * matters, sub-goals with their steps as checkboxes, the review timeline) and "Edit" opens
 * everything else: its fields, the add forms, each row's notes and delete (`CardOpenContext`).
 * A goal added on this page opens so, ready for its sub-goals. A member who may not edit gets
 * "Show all" instead, for the notes on each part. In the compact layout (side panel) the card
 * also folds to its title, status and progress; folded content stays in the page, hidden, so
 * that printing from the side panel still prints everything.
 */
export function GoalCard({
  goal,
  reorder,
  compact,
  startOpen = false,
  takeFocus,
}: {
  goal: Goal;
  reorder: Reorder;
  compact: boolean;
  /** Open everything from the start (a goal just added on this page). */
  startOpen?: boolean;
  /** Its "Sub-goal" field takes the focus if this says so (focus-next.ts). */
  takeFocus?: () => boolean;
}) {
  const { t } = useI18n();
  const actions = usePlanActions();
  const run = useCommand();
  const announce = useAnnounce();
  const readOnly = useReadOnly();
  const collaboration = useCollaboration('goals');
  const [unfolded, setUnfolded] = useState(!compact);
  const [open, setOpen] = useState(startOpen);
  const openButton = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const bodyId = useId();
  const expanded = unfolded || !compact;
  const close = () => {
    setOpen(false);
    requestAnimationFrame(() => openButton.current?.focus());
  };
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
              aria-expanded={unfolded}
              aria-controls={bodyId}
              onClick={() => setUnfolded(!unfolded)}
            >
              <span className="toggle-mark" aria-hidden="true">
                {unfolded ? '▾' : '▸'}
              </span>
              {goal.title}
            </button>
          ) : (
            goal.title
          )}
        </h2>
        <span className={`status-badge status-badge-${goal.status}`}>{t(`goals.status.${goal.status}`)}</span>
        {!readOnly && <ReorderButtons reorder={reorder} id={goal.id} noun="goal" />}
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
        <CardOpenContext.Provider value={open}>
          {open ? <GoalDetails goal={goal} /> : <GoalSummary goal={goal} />}
          {goal.why && (open || !goal.whyEmpty) && (
            <div className="goal-why">
              <h3 className="field-label">{t('goals.why')}</h3>
              <RichTextEditor
                fragment={goal.why}
                label={t('goals.why')}
                prompt={open ? t('goals.whyPrompt') : undefined}
                readOnly={readOnly || !open}
                collaboration={collaboration}
              />
            </div>
          )}
          <SubGoalList goal={goal} takeFocus={takeFocus} />
          <Reviews goal={goal} />
        </CardOpenContext.Provider>
        <div className="goal-footer">
          {open ? (
            <button
              type="button"
              className="no-print"
              aria-label={t('goals.doneEditingNamed', { title: goal.title })}
              onClick={close}
            >
              {t('goals.doneEditing')}
            </button>
          ) : (
            <button
              ref={openButton}
              type="button"
              className="no-print"
              aria-label={t(readOnly ? 'goals.showAllNamed' : 'goals.editGoalNamed', { title: goal.title })}
              onClick={() => setOpen(true)}
            >
              {t(readOnly ? 'goals.showAll' : 'goals.edit')}
            </button>
          )}
          <Notes target={{ kind: 'goal', id: goal.id }} targetLabel={goal.title} />
          {open && !readOnly && (
            <ConfirmDelete
              label={t('goals.deleteGoalNamed', { title: goal.title })}
              visibleLabel={t('goals.deleteGoal')}
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

/** The goal's own fields as words, for the card that reads first (only those that are set). */
function GoalSummary({ goal }: { goal: Goal }) {
  const { t, locale } = useI18n();
  const moduleName = useModuleName();
  const modules = goal.modules.map(moduleName);
  const parts = [
    goal.lifeArea && t('goals.lifeAreaIs', { area: goal.lifeArea }),
    goal.targetDate && t('goals.targetDateIs', { date: formatDate(goal.targetDate, locale) }),
    modules.length > 0 && t('goals.modulesAre', { modules: modules.join(', ') }),
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return <p className="goal-summary">{parts.join(' · ')}</p>;
}
