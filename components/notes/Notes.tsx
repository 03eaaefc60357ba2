import type { NoteTarget } from '../../core/model/index.ts';
import { usePlan, usePlanActions, useThreads } from '../../hooks/plan.tsx';
import { NotesView } from './NotesView.tsx';

/**
 * The "Comment" button and the annotation threads of one goal, sub-goal, step, review,
 * section or contact. `targetLabel` (e.g. the goal's title) tells a screen reader which item
 * the threads belong to, since every item has a button named "Comment".
 */
export function Notes({ target, targetLabel }: { target: NoteTarget; targetLabel: string }) {
  const plan = usePlan();
  const actions = usePlanActions();
  const threads = useThreads(target);
  const readOnly = plan.status !== 'ready' || plan.readOnly;
  return (
    <NotesView
      target={target}
      targetLabel={targetLabel}
      threads={threads}
      commands={readOnly ? null : actions}
    />
  );
}
