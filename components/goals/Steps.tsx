import { useId, useRef, useState } from 'react';
import { isDate, type Step, type SubGoal } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlanActions } from '../../hooks/plan.tsx';
import { Notes } from '../notes/Notes.tsx';
import { AddForm } from './AddForm.tsx';
import { ConfirmDelete } from '../shared/ConfirmDelete.tsx';
import { useReadOnly } from '../shared/readOnly.tsx';
import { DateField, TextField } from './fields.tsx';
import { dueState } from './logic.ts';
import { formatDate, localToday as localDate } from '../shared/format.ts';
import { DragHandle, ReorderButtons, dropTargetProps, useReorder, type Reorder } from './reorder.tsx';
import { useCardOpen } from './open.ts';
import { useCommand } from '../shared/commands.tsx';
import { useAnnounce } from '../shared/Announcer.tsx';

/** The small steps of a sub-goal (små steg, hemuppgifter), to tick off one by one. */
export function StepList({
  goalId,
  sub,
  takeFocus,
}: {
  goalId: string;
  sub: SubGoal;
  takeFocus?: () => boolean;
}) {
  const { t } = useI18n();
  const actions = usePlanActions();
  const readOnly = useReadOnly();
  const open = useCardOpen();
  const [helper, setHelper] = useState('');
  const [dueDate, setDueDate] = useState('');
  const reorder = useReorder(
    `steps:${sub.id}`,
    sub.steps.map((s) => ({ id: s.id, name: s.text })),
    (stepId, toIndex) => actions.moveStep(goalId, sub.id, stepId, toIndex),
  );
  return (
    <div className="steps">
      {sub.steps.length > 0 && (
        <ul className="step-list" aria-label={t('goals.stepsOf', { title: sub.title })}>
          {sub.steps.map((step) => (
            <StepRow key={step.id} goalId={goalId} subId={sub.id} step={step} reorder={reorder} />
          ))}
        </ul>
      )}
      {!readOnly && open && (
        <AddForm
          className="add-step"
          takeFocus={takeFocus}
          label={t('goals.step')}
          button={t('goals.addStep')}
          onAdd={(text) =>
            actions.addStep(goalId, sub.id, { text, helper, dueDate: isDate(dueDate) ? dueDate : null })
          }
          onDone={() => {
            setHelper('');
            setDueDate('');
          }}
        >
          <label className="field">
            <span className="field-label">{t('goals.whoHelps')}</span>
            <input type="text" value={helper} maxLength={2000} onChange={(e) => setHelper(e.target.value)} />
          </label>
          <label className="field field-date">
            <span className="field-label">{t('goals.dueDate')}</span>
            <input type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
          </label>
        </AddForm>
      )}
    </div>
  );
}

/**
 * One step: its checkbox is named by the step's text alone (the contract of issue 2), who
 * helps and when it is due are read beside it, and "Edit" opens its fields.
 */
function StepRow({
  goalId,
  subId,
  step,
  reorder,
}: {
  goalId: string;
  subId: string;
  step: Step;
  reorder: Reorder;
}) {
  const { t } = useI18n();
  const actions = usePlanActions();
  const run = useCommand();
  const announce = useAnnounce();
  const readOnly = useReadOnly();
  const open = useCardOpen();
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const update = (patch: Parameters<typeof actions.updateStep>[3]) =>
    actions.updateStep(goalId, subId, step.id, patch);
  const due = dueState(step, localDate());
  return (
    <li
      className={`step${step.done ? ' step-done' : ''}`}
      data-deletable
      {...(readOnly ? {} : dropTargetProps(reorder, step.id))}
    >
      <div className="step-row">
        {!readOnly && <DragHandle reorder={reorder} id={step.id} noun="step" name={step.text} />}
        <label className="step-check">
          <input
            type="checkbox"
            checked={step.done}
            disabled={readOnly}
            onChange={(e) => run(() => update({ done: e.target.checked }))}
          />
          <span className="step-text">{step.text}</span>
        </label>
        <span className="step-meta">
          {step.helper && <span>{t('goals.helpsWith', { name: step.helper })}</span>}
          {step.dueDate && <DueDate date={step.dueDate} state={due} />}
          {step.outcome && <span>{t('goals.outcomeIs', { outcome: step.outcome })}</span>}
        </span>
        {!readOnly && <ReorderButtons reorder={reorder} id={step.id} noun="step" />}
        {!readOnly && open && (
          <button
            ref={editButton}
            type="button"
            className="edit-button no-print"
            aria-expanded={editing}
            aria-controls={panelId}
            aria-label={t('goals.editStepNamed', { text: step.text })}
            onClick={() => setEditing(!editing)}
          >
            {t('goals.edit')}
          </button>
        )}
        <Notes target={{ kind: 'step', id: step.id }} targetLabel={step.text} onlyWhenOpen={!open} />
      </div>
      {editing && open && !readOnly && (
        <div id={panelId} className="step-edit no-print">
          <TextField
            className="field-wide"
            label={t('goals.stepText')}
            value={step.text}
            required
            onCommit={(text) => update({ text })}
          />
          <TextField
            label={t('goals.whoHelps')}
            value={step.helper}
            onCommit={(helper) => update({ helper })}
          />
          <DateField
            label={t('goals.dueDate')}
            value={step.dueDate ?? ''}
            onCommit={(dueDate) => update({ dueDate: dueDate || null })}
          />
          <TextField
            className="field-wide"
            label={t('goals.outcome')}
            value={step.outcome}
            onCommit={(outcome) => update({ outcome })}
          />
          <button
            type="button"
            aria-label={t('goals.doneEditingNamed', { title: step.text })}
            onClick={() => {
              setEditing(false);
              editButton.current?.focus();
            }}
          >
            {t('goals.done')}
          </button>
          <ConfirmDelete
            label={t('goals.deleteStepNamed', { text: step.text })}
            visibleLabel={t('goals.deleteStep')}
            question={t('goals.deleteStepQuestion', { text: step.text })}
            onConfirm={() => {
              if (run(() => actions.deleteStep(goalId, subId, step.id)))
                announce(t('goals.deleted', { text: step.text }));
            }}
          />
        </div>
      )}
    </li>
  );
}

/**
 * When a step is due, in words: "Due 12 March 2026"; on the day and after it also with a
 * clock icon and a stronger look: "Due today", "Overdue since 3 December 2026". Never colour
 * or weight alone (issue 10). The icon has its own text alternative.
 */
function DueDate({ date, state }: { date: string; state: ReturnType<typeof dueState> }) {
  const { t, locale } = useI18n();
  const shown = formatDate(date, locale);
  if (state !== 'overdue' && state !== 'today') return <span>{t('goals.dueOn', { date: shown })}</span>;
  return (
    <span className={`step-due step-due-${state}`}>
      <svg
        className="due-icon"
        role="img"
        aria-label={t('goals.dueIcon')}
        viewBox="0 0 24 24"
        width="20"
        height="20"
      >
        <circle cx="12" cy="12" r="9.5" fill="none" stroke="currentColor" strokeWidth="2.5" />
        <path
          d="M12 6.5V12l3.5 3"
          fill="none"
          stroke="currentColor"
          strokeWidth="2.5"
          strokeLinecap="round"
        />
      </svg>
      {state === 'overdue' ? t('goals.overdueSince', { date: shown }) : t('goals.dueToday')}
    </span>
  );
}
