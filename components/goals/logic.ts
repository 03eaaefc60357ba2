/**
 * Pure helpers of the goal board: dates, progress and reordering. No React and no DOM, so
 * unit tests run them in Node (tests/unit/goals-logic.test.ts).
 */
import type { GoalStatus, Progress, ReviewProgress, SubGoalStatus } from '../../core/model/index.ts';

/** Whole percent of steps done; an empty goal is 0 %, never NaN. */
export function percentDone(progress: Progress): number {
  if (progress.total <= 0) return 0;
  return Math.round((Math.min(progress.done, progress.total) / progress.total) * 100);
}

/** Locale key of a review's progress, as the form and the timeline say it. */
export const PROGRESS_KEYS: Record<ReviewProgress, string> = {
  achieved: 'goals.progressAchieved',
  partly: 'goals.progressPartly',
  not: 'goals.progressNot',
};

/**
 * The `toIndex` for a move command (index among the siblings without the moved item, as
 * `planMove` in core/model/order.ts counts) when the item at `from` is dropped on the item at
 * `over`: it takes that item's place, which pushes the other one towards where the dragged
 * one came from. Where on a (possibly tall) card the pointer is does not matter. Null when
 * the drop leaves everything where it is.
 */
export function dropIndex(from: number, over: number): number | null {
  return from < 0 || over < 0 || from === over ? null : over;
}

/** Which side of the item under the pointer the dragged one will land on, for the drop line. */
export function dropSide(from: number, over: number): 'before' | 'after' | null {
  if (from < 0 || over < 0 || from === over) return null;
  return from < over ? 'after' : 'before';
}

/** When a step is due: before today, today, or later (null once done or without a date). */
export function dueState(
  step: { done: boolean; dueDate?: string },
  today: string,
): 'overdue' | 'today' | 'later' | null {
  if (step.done || step.dueDate === undefined) return null;
  if (step.dueDate < today) return 'overdue';
  return step.dueDate === today ? 'today' : 'later';
}

/**
 * What the board offers for a sub-goal whose steps and status disagree (docs/architecture.md
 * "Progress"): every step done but not marked done → `done`; a step done while it is still
 * "Not started" → `doing`. The offer only asks; the status changes when the person taps.
 */
export function subGoalOffer(sub: {
  status: SubGoalStatus;
  steps: readonly { done: boolean }[];
}): 'done' | 'doing' | null {
  if (sub.status === 'done' || sub.status === 'dropped' || sub.steps.length === 0) return null;
  const done = sub.steps.filter((s) => s.done).length;
  if (done === sub.steps.length) return 'done';
  return done > 0 && sub.status === 'todo' ? 'doing' : null;
}

/**
 * Whether the board offers to mark a goal achieved: every counted step done (steps of
 * set-aside sub-goals do not count, as in its progress), and the goal is active or revised.
 * A paused goal was paused on purpose and is not asked.
 */
export function goalOffer(goal: { status: GoalStatus; progress: Progress }): 'achieved' | null {
  const { done, total } = goal.progress;
  if (total === 0 || done < total) return null;
  return goal.status === 'active' || goal.status === 'revised' ? 'achieved' : null;
}
