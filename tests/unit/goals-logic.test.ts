import { describe, expect, it } from 'vitest';
import {
  dropIndex,
  dropSide,
  dueState,
  goalOffer,
  subGoalOffer,
  percentDone,
} from '../../components/goals/logic.ts';
import { formatDate, localToday as localDate } from '../../components/shared/format.ts';
import { moveTarget } from '../../components/shared/MoveButtons.tsx';

/** What the move command does with a toIndex (core/model/order.ts planMove): reinsert. */
function applyMove(list: readonly string[], id: string, toIndex: number): string[] {
  const others = list.filter((x) => x !== id);
  others.splice(toIndex, 0, id);
  return others;
}

describe('dates on the goal board', () => {
  it('are written out in words in each language', () => {
    expect(formatDate('2026-03-12', 'en')).toBe('12 March 2026');
    expect(formatDate('2026-03-12', 'nb')).toBe('12. mars 2026');
    expect(formatDate('2026-03-12', 'sv')).toBe('12 mars 2026');
  });

  it('name the same day whatever the time zone of the computer', () => {
    // Dates are calendar days; reading them as UTC midnight keeps "1 January" from becoming 31 December.
    expect(formatDate('2026-01-01', 'en')).toBe('1 January 2026');
  });

  it('show a malformed date as it is rather than "Invalid Date"', () => {
    expect(formatDate('someday', 'en')).toBe('someday');
  });

  it('take today from the local calendar, padded as YYYY-MM-DD', () => {
    expect(localDate(new Date(2026, 2, 5, 0, 30))).toBe('2026-03-05');
    expect(localDate(new Date(2026, 11, 31, 23, 59))).toBe('2026-12-31');
  });

  it('call a step due today on its date, overdue after it, unless it is done', () => {
    expect(dueState({ done: false, dueDate: '2026-03-05' }, '2026-03-05')).toBe('today');
    expect(dueState({ done: false, dueDate: '2026-03-04' }, '2026-03-05')).toBe('overdue');
    expect(dueState({ done: false, dueDate: '2025-12-31' }, '2026-01-01')).toBe('overdue');
    expect(dueState({ done: false, dueDate: '2026-03-06' }, '2026-03-05')).toBe('later');
    expect(dueState({ done: true, dueDate: '2026-03-01' }, '2026-03-05')).toBe(null);
    expect(dueState({ done: false }, '2026-03-05')).toBe(null);
  });
});

describe('progress', () => {
  it('is a whole percent of the steps done, and 0 for a goal with no steps', () => {
    expect(percentDone({ done: 1, total: 2 })).toBe(50);
    expect(percentDone({ done: 1, total: 3 })).toBe(33);
    expect(percentDone({ done: 3, total: 3 })).toBe(100);
    expect(percentDone({ done: 0, total: 0 })).toBe(0);
  });
});

describe('offers that follow progress', () => {
  const steps = (...done: boolean[]) => done.map((d) => ({ done: d }));

  it('offer to mark a sub-goal done once every step is done, whatever its status was', () => {
    expect(subGoalOffer({ status: 'doing', steps: steps(true, true) })).toBe('done');
    expect(subGoalOffer({ status: 'todo', steps: steps(true) })).toBe('done');
  });

  it('offer "in progress" to a sub-goal not started with a step done', () => {
    expect(subGoalOffer({ status: 'todo', steps: steps(true, false) })).toBe('doing');
    expect(subGoalOffer({ status: 'doing', steps: steps(true, false) })).toBe(null);
    expect(subGoalOffer({ status: 'todo', steps: steps(false, false) })).toBe(null);
  });

  it('do not ask a sub-goal that is done, set aside, or has no steps', () => {
    expect(subGoalOffer({ status: 'done', steps: steps(true) })).toBe(null);
    expect(subGoalOffer({ status: 'dropped', steps: steps(true) })).toBe(null);
    expect(subGoalOffer({ status: 'todo', steps: [] })).toBe(null);
  });

  it('offer "achieved" to an active or revised goal with every step done, not to a paused one', () => {
    const all = { done: 3, total: 3 };
    expect(goalOffer({ status: 'active', progress: all })).toBe('achieved');
    expect(goalOffer({ status: 'revised', progress: all })).toBe('achieved');
    expect(goalOffer({ status: 'paused', progress: all })).toBe(null);
    expect(goalOffer({ status: 'achieved', progress: all })).toBe(null);
    expect(goalOffer({ status: 'active', progress: { done: 2, total: 3 } })).toBe(null);
    expect(goalOffer({ status: 'active', progress: { done: 0, total: 0 } })).toBe(null);
  });
});

describe('reordering', () => {
  const list = ['a', 'b', 'c', 'd'];

  it('puts an item dropped on another in that item’s place, downwards and upwards', () => {
    expect(applyMove(list, 'a', dropIndex(0, 2)!)).toEqual(['b', 'c', 'a', 'd']);
    expect(applyMove(list, 'd', dropIndex(3, 1)!)).toEqual(['a', 'd', 'b', 'c']);
    expect(applyMove(list, 'b', dropIndex(1, 3)!)).toEqual(['a', 'c', 'd', 'b']);
    expect(applyMove(list, 'c', dropIndex(2, 0)!)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('does nothing when an item is dropped on itself or the item is unknown', () => {
    expect(dropIndex(2, 2)).toBeNull();
    expect(dropIndex(-1, 2)).toBeNull();
    expect(dropIndex(1, -1)).toBeNull();
  });

  it('draws the drop line on the side the item will land', () => {
    expect(dropSide(0, 2)).toBe('after');
    expect(dropSide(3, 1)).toBe('before');
    expect(dropSide(1, 1)).toBeNull();
  });

  it('moves one place up or down with the keyboard, and not past either end', () => {
    expect(applyMove(list, 'c', moveTarget(2, 4, 'up')!)).toEqual(['a', 'c', 'b', 'd']);
    expect(applyMove(list, 'b', moveTarget(1, 4, 'down')!)).toEqual(['a', 'c', 'b', 'd']);
    expect(moveTarget(0, 4, 'up')).toBeNull();
    expect(moveTarget(3, 4, 'down')).toBeNull();
  });
});
