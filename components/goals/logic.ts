/**
 * Pure helpers of the goal board: dates, progress and reordering. No React and no DOM, so
 * unit tests run them in Node (tests/unit/goals-logic.test.ts).
 */
import type { Progress, ReviewProgress } from '../../core/model/index.ts';

export { formatDate, localToday as localDate } from '../shared/format.ts';

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

/** The `toIndex` for a keyboard move one place up (-1) or down (+1); null at either end. */
export function stepIndex(from: number, by: -1 | 1, count: number): number | null {
  const to = from + by;
  return to < 0 || to >= count ? null : to;
}

/** Whether a step is due: not done, with a due date today or earlier. */
export function isDue(step: { done: boolean; dueDate?: string }, today: string): boolean {
  return !step.done && step.dueDate !== undefined && step.dueDate <= today;
}
