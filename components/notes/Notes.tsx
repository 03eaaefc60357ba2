import type { NoteTarget } from '../../core/model/index.ts';
import { usePlanActions, useThreads } from '../../hooks/plan.tsx';
import { useScopeAccess } from '../sharing/access.ts';
import { NotesView } from './NotesView.tsx';

/**
 * The "Comment" button and the annotation threads of one goal, sub-goal, step, review,
 * section or contact. `targetLabel` (e.g. the goal's title) tells a screen reader which item
 * the threads belong to, since every item has a button named "Comment".
 */
export function Notes({
  target,
  targetLabel,
  onlyWhenOpen = false,
}: {
  target: NoteTarget;
  targetLabel: string;
  /**
   * Shown only while a thread on it is not resolved: a part of a goal card that reads first
   * ("Comment (2)" beside a step someone asked about) costs no Tab stop otherwise.
   */
  onlyWhenOpen?: boolean;
}) {
  const actions = usePlanActions();
  const threads = useThreads(target);
  // Writing notes needs `comment` in the target's scope; `view` reads the threads only.
  const { canComment } = useScopeAccess(
    target.kind === 'section' || target.kind === 'contact' ? 'plan' : 'goals',
  );
  if (onlyWhenOpen && !threads.some((thread) => !thread.resolved)) return null;
  return (
    <NotesView
      target={target}
      targetLabel={targetLabel}
      threads={threads}
      commands={canComment ? actions : null}
    />
  );
}
