import { useId } from 'react';
import { SUBGOAL_STATUSES, type Goal, type SubGoal } from '../../core/model/index.ts';
import { useI18n, type Translate } from '../../hooks/i18n.tsx';
import { usePlanActions } from '../../hooks/plan.tsx';
import { Notes } from '../notes/Notes.tsx';
import { AddForm } from './AddForm.tsx';
import { useFocusNext } from './focus-next.ts';
import { ConfirmDelete } from '../shared/ConfirmDelete.tsx';
import { useReadOnly } from '../shared/readOnly.tsx';
import { DateField, SelectField, TextField } from './fields.tsx';
import { subGoalOffer } from './logic.ts';
import { Offer } from './Offer.tsx';
import { ProgressBar } from './ProgressBar.tsx';
import { DragHandle, ReorderButtons, dropTargetProps, useReorder, type Reorder } from './reorder.tsx';
import { StepList } from './Steps.tsx';
import { useCardOpen } from './open.ts';
import { useCommand } from '../shared/commands.tsx';
import { useAnnounce } from '../shared/Announcer.tsx';

/** A goal's sub-goals (delmål), in order, and the form to add one. */
export function SubGoalList({ goal, takeFocus }: { goal: Goal; takeFocus?: () => boolean }) {
  const { t } = useI18n();
  const actions = usePlanActions();
  const readOnly = useReadOnly();
  const open = useCardOpen();
  const headingId = useId();
  const focusNext = useFocusNext();
  const reorder = useReorder(
    `subgoals:${goal.id}`,
    goal.subgoals.map((s) => ({ id: s.id, name: s.title })),
    (subId, toIndex) => actions.moveSubGoal(goal.id, subId, toIndex),
  );
  // Reading first: a goal without sub-goals says nothing about them until "Edit".
  if (!open && goal.subgoals.length === 0) return null;
  return (
    <section className="subgoals" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('goals.subGoals')}</h3>
      {goal.subgoals.length === 0 && <p className="muted">{t('goals.noSubGoals')}</p>}
      {goal.subgoals.length > 0 && (
        <ol className="subgoal-list">
          {goal.subgoals.map((sub) => (
            <li key={sub.id}>
              <SubGoalItem goalId={goal.id} sub={sub} reorder={reorder} takeFocus={focusNext.claim(sub.id)} />
            </li>
          ))}
        </ol>
      )}
      {!readOnly && open && (
        <AddForm
          label={t('goals.subGoal')}
          button={t('goals.addSubGoal')}
          takeFocus={takeFocus}
          onAdd={(title) => {
            const id = actions.addSubGoal(goal.id, { title });
            focusNext.mark(id);
            return id;
          }}
        />
      )}
    </section>
  );
}

/** The offers of a sub-goal, by what they offer to mark it as (logic.ts `subGoalOffer`). */
const SUBGOAL_OFFER_WORDS = {
  done: (t: Translate) => ({
    question: t('goals.offer.subGoalDone'),
    accept: t('goals.offer.subGoalDoneYes'),
    thanks: t('goals.offer.subGoalDoneThanks'),
  }),
  doing: (t: Translate) => ({
    question: t('goals.offer.subGoalStarted'),
    accept: t('goals.offer.subGoalStartedYes'),
    thanks: t('goals.offer.subGoalStartedThanks'),
  }),
};

function SubGoalItem({
  goalId,
  sub,
  reorder,
  takeFocus,
}: {
  goalId: string;
  sub: SubGoal;
  reorder: Reorder;
  /** Its "Step" field takes the focus if this says so (a sub-goal just added: focus-next.ts). */
  takeFocus: () => boolean;
}) {
  const { t } = useI18n();
  const actions = usePlanActions();
  const run = useCommand();
  const announce = useAnnounce();
  const readOnly = useReadOnly();
  const open = useCardOpen();
  const done = sub.steps.filter((s) => s.done).length;
  return (
    <div
      className={`subgoal subgoal-${sub.status}`}
      role="group"
      aria-label={t('goals.subGoalNamed', { title: sub.title })}
      data-deletable
      {...(readOnly ? {} : dropTargetProps(reorder, sub.id))}
    >
      <div className="subgoal-header">
        {!readOnly && <DragHandle reorder={reorder} id={sub.id} noun="subGoal" name={sub.title} />}
        {readOnly || !open ? (
          <h4 className="subgoal-title">{sub.title}</h4>
        ) : (
          <TextField
            className="field-wide subgoal-title-field"
            label={t('goals.subGoalTitle')}
            value={sub.title}
            required
            onCommit={(title) => actions.updateSubGoal(goalId, sub.id, { title })}
          />
        )}
        {open ? (
          <>
            <SelectField
              label={t('goals.statusLabel')}
              value={sub.status}
              options={SUBGOAL_STATUSES.map((s) => ({ value: s, label: t(`goals.subStatus.${s}`) }))}
              readOnly={readOnly}
              onCommit={(status) => actions.updateSubGoal(goalId, sub.id, { status })}
            />
            <DateField
              label={t('goals.targetDate')}
              value={sub.targetDate ?? ''}
              readOnly={readOnly}
              onCommit={(targetDate) =>
                actions.updateSubGoal(goalId, sub.id, { targetDate: targetDate || null })
              }
            />
          </>
        ) : (
          <span className={`subgoal-status subgoal-status-${sub.status}`}>
            {t(`goals.subStatus.${sub.status}`)}
          </span>
        )}
        {!readOnly && <ReorderButtons reorder={reorder} id={sub.id} noun="subGoal" />}
      </div>
      {sub.steps.length > 0 && <ProgressBar small progress={{ done, total: sub.steps.length }} />}
      <Offer
        id={sub.id}
        kind={subGoalOffer(sub)}
        words={(kind) => SUBGOAL_OFFER_WORDS[kind](t)}
        onAccept={(status) => actions.updateSubGoal(goalId, sub.id, { status })}
      />
      <StepList goalId={goalId} sub={sub} takeFocus={takeFocus} />
      {open ? (
        <div className="item-footer">
          <Notes target={{ kind: 'subgoal', id: sub.id }} targetLabel={sub.title} />
          {!readOnly && (
            <ConfirmDelete
              label={t('goals.deleteSubGoalNamed', { title: sub.title })}
              visibleLabel={t('goals.deleteSubGoal')}
              question={t('goals.deleteSubGoalQuestion', { title: sub.title })}
              onConfirm={() => {
                if (run(() => actions.deleteSubGoal(goalId, sub.id)))
                  announce(t('goals.deleted', { text: sub.title }));
              }}
            />
          )}
        </div>
      ) : (
        <Notes target={{ kind: 'subgoal', id: sub.id }} targetLabel={sub.title} onlyWhenOpen />
      )}
    </div>
  );
}
