import { useState } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';
import { useGoalBoard, usePlan, usePlanActions } from '../../hooks/plan.tsx';
import { ProblemsNotice } from '../app/ProblemsNotice.tsx';
import { Announcer } from '../shared/Announcer.tsx';
import { ArrangeToggle } from '../shared/ArrangeToggle.tsx';
import { useScopeAccess } from '../sharing/access.ts';
import { AccessNotice } from '../sharing/AccessNotice.tsx';
import { AddForm } from './AddForm.tsx';
import { useFocusNext } from './focus-next.ts';
import { ReadOnlyProvider, useReadOnly } from '../shared/readOnly.tsx';
import { GoalCard } from './GoalCard.tsx';
import { OffersProvider } from './Offer.tsx';
import { ArrangingContext, useReorder } from './reorder.tsx';
import './goals.css';

/**
 * The goal board (IMR.md "Goal board"): the participant's own recovery goals, each broken
 * into sub-goals and small steps and followed up by a review at every session. The same
 * board serves the app tab and, `compact`, the side panel, where goal cards fold.
 */
export function GoalBoard({ compact = false }: { compact?: boolean }) {
  const plan = usePlan();
  const access = useScopeAccess('goals');
  if (plan.status !== 'ready' || !access.canView) return null;
  return (
    <ReadOnlyProvider readOnly={!access.canEdit}>
      <Announcer>
        <OffersProvider>
          <Board compact={compact} />
        </OffersProvider>
      </Announcer>
    </ReadOnlyProvider>
  );
}

function Board({ compact }: { compact: boolean }) {
  const { t } = useI18n();
  const board = useGoalBoard();
  const actions = usePlanActions();
  const readOnly = useReadOnly();
  // Reordering is a mode: reading and ticking show no move buttons on every row.
  const [arranging, setArranging] = useState(false);
  // Goals added on this page open with everything, ready for their sub-goals and steps.
  const [added, setAdded] = useState<ReadonlySet<string>>(() => new Set());
  const focusNext = useFocusNext();
  const reorder = useReorder(
    'goals',
    board.goals.map((g) => ({ id: g.id, name: g.title })),
    actions.moveGoal,
  );
  return (
    <section
      className={`goal-board${compact ? ' goal-board-compact' : ''}`}
      aria-labelledby="goal-board-title"
    >
      <h1 id="goal-board-title" className="goal-board-title">
        {t('goals.title')}
      </h1>
      <AccessNotice scope="goals" />
      <ProblemsNotice problems={board.problems} />
      {!readOnly && (
        <AddForm
          className="add-goal"
          label={t('goals.goal')}
          button={t('goals.addGoal')}
          onAdd={(title) => {
            const id = actions.addGoal({ title });
            setAdded((ids) => new Set(ids).add(id));
            focusNext.mark(id);
            return id;
          }}
        />
      )}
      {!readOnly && board.goals.length > 0 && (
        <ArrangeToggle
          arranging={arranging}
          onToggle={() => setArranging(!arranging)}
          label={t('goals.arrange')}
          hint={t('goals.arrangeHint')}
        />
      )}
      {board.goals.length === 0 ? (
        <p className="goals-empty">{t(readOnly ? 'goals.emptyReadOnly' : 'goals.empty')}</p>
      ) : (
        <ArrangingContext.Provider value={arranging && !readOnly}>
          <ol className="goal-list">
            {board.goals.map((goal) => (
              <li key={goal.id}>
                <GoalCard
                  goal={goal}
                  reorder={reorder}
                  compact={compact}
                  startOpen={added.has(goal.id)}
                  takeFocus={focusNext.claim(goal.id)}
                />
              </li>
            ))}
          </ol>
        </ArrangingContext.Provider>
      )}
    </section>
  );
}
