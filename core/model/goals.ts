import * as Y from 'yjs';
import { newId } from './ids.ts';
import { keyAtEnd, planMove } from './order.ts';
import { goalsRoot } from './read.ts';
import { CommandError } from './errors.ts';
import {
  GOAL_STATUSES,
  MODULE_IDS,
  REVIEW_PROGRESS,
  SUBGOAL_STATUSES,
  isDate,
  isOneOf,
  type GoalStatus,
  type ReviewProgress,
  type SubGoalStatus,
} from './schema.ts';
import {
  applyWrites,
  change,
  childCollection,
  cleanText,
  dateWrite,
  itemAt,
  nowIso,
  siblingsOf,
  type Writes,
} from './write.ts';

/** Commands on the `goals` doc. Each is one transaction with origin `local`. */

export interface GoalInput {
  title: string;
  status?: GoalStatus;
  lifeArea?: string;
  modules?: readonly string[];
  targetDate?: string | null;
  /** Member id, or `local` on a plan that is not shared. */
  createdBy?: string;
}

export interface GoalPatch {
  title?: string;
  status?: GoalStatus;
  lifeArea?: string;
  modules?: readonly string[];
  targetDate?: string | null;
}

function modulesText(modules: readonly string[]): string {
  for (const m of modules) {
    if (!isOneOf(MODULE_IDS, m)) throw new CommandError('invalidInput', 'unknown IMR module');
  }
  return [...new Set(modules)].join(',');
}

function goalWrites(patch: GoalPatch): Writes {
  const writes: Writes = [];
  if (patch.title !== undefined) writes.push(['title', cleanText(patch.title, { required: true })]);
  if (patch.status !== undefined) {
    if (!isOneOf(GOAL_STATUSES, patch.status)) throw new CommandError('invalidInput', 'unknown status');
    writes.push(['status', patch.status]);
  }
  if (patch.lifeArea !== undefined) writes.push(['lifeArea', cleanText(patch.lifeArea)]);
  if (patch.modules !== undefined) writes.push(['modules', modulesText(patch.modules)]);
  dateWrite(writes, 'targetDate', patch.targetDate);
  return writes;
}

/**
 * Adds a goal at the end of the board (status `active` unless given) and returns its id. Throws
 * CommandError 'invalidInput' for an empty or too long title, an unknown status or IMR module, or a bad date.
 */
export function addGoal(doc: Y.Doc, input: GoalInput): string {
  const root = goalsRoot(doc);
  const id = newId();
  const writes = goalWrites({ ...input, title: input.title ?? '' });
  change(doc, () => {
    const goal = new Y.Map<unknown>();
    root.set(id, goal);
    goal.set('title', '');
    goal.set('why', new Y.XmlFragment());
    goal.set('status', 'active');
    goal.set('lifeArea', '');
    goal.set('modules', '');
    goal.set('createdAt', nowIso());
    goal.set('createdBy', input.createdBy ?? 'local');
    goal.set('order', keyAtEnd(siblingsOf(root).filter((s) => s.id !== id)));
    goal.set('subgoals', new Y.Map());
    goal.set('reviews', new Y.Map());
    applyWrites(goal, writes);
  });
  return id;
}

/**
 * Changes the given fields of a goal; fields left undefined stay as they are. Throws CommandError
 * 'notFound' when the goal does not exist, 'invalidInput' for a value `addGoal` would refuse.
 */
export function updateGoal(doc: Y.Doc, goalId: string, patch: GoalPatch): void {
  const writes = goalWrites(patch);
  change(doc, () => applyWrites(itemAt(goalsRoot(doc), [goalId]), writes));
}

/**
 * Deletes a goal with its sub-goals, steps and reviews. Throws CommandError 'notFound' when the goal
 * does not exist.
 */
export function deleteGoal(doc: Y.Doc, goalId: string): void {
  change(doc, () => {
    itemAt(goalsRoot(doc), [goalId]);
    goalsRoot(doc).delete(goalId);
  });
}

function writeOrders(collection: Y.Map<unknown>, keys: Map<string, string>): void {
  for (const [id, key] of keys) {
    const item = collection.get(id);
    if (item instanceof Y.Map) item.set('order', key);
  }
}

/** Moves a goal to `toIndex` in the board (0 = first). */
export function moveGoal(doc: Y.Doc, goalId: string, toIndex: number): void {
  const root = goalsRoot(doc);
  change(doc, () => {
    itemAt(root, [goalId]);
    writeOrders(root, planMove(siblingsOf(root), goalId, toIndex));
  });
}

export interface SubGoalInput {
  title: string;
  status?: SubGoalStatus;
  targetDate?: string | null;
}

function subGoalWrites(patch: Partial<SubGoalInput>): Writes {
  const writes: Writes = [];
  if (patch.title !== undefined) writes.push(['title', cleanText(patch.title, { required: true })]);
  if (patch.status !== undefined) {
    if (!isOneOf(SUBGOAL_STATUSES, patch.status)) throw new CommandError('invalidInput', 'unknown status');
    writes.push(['status', patch.status]);
  }
  dateWrite(writes, 'targetDate', patch.targetDate);
  return writes;
}

/**
 * Adds a sub-goal (status `todo` unless given) at the end of a goal's sub-goals and returns its id. Throws
 * CommandError 'notFound' when the goal does not exist, 'invalidInput' for an empty title or a bad value.
 */
export function addSubGoal(doc: Y.Doc, goalId: string, input: SubGoalInput): string {
  const id = newId();
  const writes = subGoalWrites({ ...input, title: input.title ?? '' });
  change(doc, () => {
    const subgoals = childCollection(itemAt(goalsRoot(doc), [goalId]), 'subgoals');
    const sub = new Y.Map<unknown>();
    const order = keyAtEnd(siblingsOf(subgoals));
    subgoals.set(id, sub);
    sub.set('status', 'todo');
    sub.set('order', order);
    sub.set('steps', new Y.Map());
    applyWrites(sub, writes);
  });
  return id;
}

/**
 * Changes the given fields of a sub-goal. Throws CommandError 'notFound' when the goal or sub-goal does not
 * exist, 'invalidInput' for a value `addSubGoal` would refuse.
 */
export function updateSubGoal(doc: Y.Doc, goalId: string, subId: string, patch: Partial<SubGoalInput>): void {
  const writes = subGoalWrites(patch);
  change(doc, () => applyWrites(itemAt(goalsRoot(doc), [goalId, ['subgoals', subId]]), writes));
}

/**
 * Deletes a sub-goal with its steps. Throws CommandError 'notFound' when the goal or sub-goal does not exist.
 */
export function deleteSubGoal(doc: Y.Doc, goalId: string, subId: string): void {
  change(doc, () => {
    const goal = itemAt(goalsRoot(doc), [goalId]);
    itemAt(goal, [['subgoals', subId]]);
    childCollection(goal, 'subgoals').delete(subId);
  });
}

/**
 * Moves a sub-goal to `toIndex` among its goal's sub-goals (0 = first). Throws CommandError 'notFound' when
 * the goal or sub-goal does not exist.
 */
export function moveSubGoal(doc: Y.Doc, goalId: string, subId: string, toIndex: number): void {
  change(doc, () => {
    const subgoals = childCollection(itemAt(goalsRoot(doc), [goalId]), 'subgoals');
    itemAt(subgoals, [subId]);
    writeOrders(subgoals, planMove(siblingsOf(subgoals), subId, toIndex));
  });
}

export interface StepInput {
  text: string;
  done?: boolean;
  dueDate?: string | null;
  helper?: string;
  outcome?: string;
}

function stepWrites(patch: Partial<StepInput>): Writes {
  const writes: Writes = [];
  if (patch.text !== undefined) writes.push(['text', cleanText(patch.text, { required: true })]);
  if (patch.done !== undefined) writes.push(['done', patch.done === true]);
  dateWrite(writes, 'dueDate', patch.dueDate);
  if (patch.helper !== undefined) writes.push(['helper', cleanText(patch.helper)]);
  if (patch.outcome !== undefined) writes.push(['outcome', cleanText(patch.outcome)]);
  return writes;
}

function stepsOf(doc: Y.Doc, goalId: string, subId: string): Y.Map<unknown> {
  return childCollection(itemAt(goalsRoot(doc), [goalId, ['subgoals', subId]]), 'steps');
}

/**
 * Adds a step, not done, at the end of a sub-goal's steps and returns its id. Throws CommandError
 * 'notFound' when the goal or sub-goal does not exist, 'invalidInput' for empty text or a bad value.
 */
export function addStep(doc: Y.Doc, goalId: string, subId: string, input: StepInput): string {
  const id = newId();
  const writes = stepWrites({ ...input, text: input.text ?? '' });
  change(doc, () => {
    const steps = stepsOf(doc, goalId, subId);
    const step = new Y.Map<unknown>();
    const order = keyAtEnd(siblingsOf(steps));
    steps.set(id, step);
    step.set('done', false);
    step.set('helper', '');
    step.set('outcome', '');
    step.set('order', order);
    applyWrites(step, writes);
  });
  return id;
}

/**
 * Changes the given fields of a step. Throws CommandError 'notFound' when the goal, sub-goal or step does
 * not exist, 'invalidInput' for a value `addStep` would refuse.
 */
export function updateStep(
  doc: Y.Doc,
  goalId: string,
  subId: string,
  stepId: string,
  patch: Partial<StepInput>,
): void {
  const writes = stepWrites(patch);
  change(doc, () => applyWrites(itemAt(stepsOf(doc, goalId, subId), [stepId]), writes));
}

/** Deletes a step. Throws CommandError 'notFound' when the goal, sub-goal or step does not exist. */
export function deleteStep(doc: Y.Doc, goalId: string, subId: string, stepId: string): void {
  change(doc, () => {
    const steps = stepsOf(doc, goalId, subId);
    itemAt(steps, [stepId]);
    steps.delete(stepId);
  });
}

/**
 * Moves a step to `toIndex` among its sub-goal's steps (0 = first). Throws CommandError 'notFound' when the
 * goal, sub-goal or step does not exist.
 */
export function moveStep(doc: Y.Doc, goalId: string, subId: string, stepId: string, toIndex: number): void {
  change(doc, () => {
    const steps = stepsOf(doc, goalId, subId);
    itemAt(steps, [stepId]);
    writeOrders(steps, planMove(siblingsOf(steps), stepId, toIndex));
  });
}

export interface ReviewInput {
  date: string;
  progress: ReviewProgress;
  note?: string;
  nextStep?: string;
  by?: string;
}

function reviewWrites(patch: Partial<ReviewInput>): Writes {
  const writes: Writes = [];
  if (patch.date !== undefined) {
    if (!isDate(patch.date)) throw new CommandError('invalidInput', 'not a YYYY-MM-DD date');
    writes.push(['date', patch.date]);
  }
  if (patch.progress !== undefined) {
    if (!isOneOf(REVIEW_PROGRESS, patch.progress)) throw new CommandError('invalidInput', 'unknown progress');
    writes.push(['progress', patch.progress]);
  }
  if (patch.note !== undefined) writes.push(['note', cleanText(patch.note)]);
  if (patch.nextStep !== undefined) writes.push(['nextStep', cleanText(patch.nextStep)]);
  if (patch.by !== undefined) writes.push(['by', cleanText(patch.by)]);
  return writes;
}

/** Records one follow-up session's review of a goal. */
export function addReview(doc: Y.Doc, goalId: string, input: ReviewInput): string {
  const id = newId();
  const writes = reviewWrites({
    ...input,
    date: input.date ?? '',
    progress: input.progress ?? ('' as ReviewProgress),
  });
  change(doc, () => {
    const reviews = childCollection(itemAt(goalsRoot(doc), [goalId]), 'reviews');
    const review = new Y.Map<unknown>();
    reviews.set(id, review);
    review.set('note', '');
    review.set('nextStep', '');
    review.set('by', 'local');
    applyWrites(review, writes);
  });
  return id;
}

/**
 * Changes the given fields of a review. Throws CommandError 'notFound' when the goal or review does not
 * exist, 'invalidInput' for a bad date, an unknown progress or too long text.
 */
export function updateReview(
  doc: Y.Doc,
  goalId: string,
  reviewId: string,
  patch: Partial<ReviewInput>,
): void {
  const writes = reviewWrites(patch);
  change(doc, () => applyWrites(itemAt(goalsRoot(doc), [goalId, ['reviews', reviewId]]), writes));
}

/** Deletes a review of a goal. Throws CommandError 'notFound' when the goal or review does not exist. */
export function deleteReview(doc: Y.Doc, goalId: string, reviewId: string): void {
  change(doc, () => {
    const goal = itemAt(goalsRoot(doc), [goalId]);
    itemAt(goal, [['reviews', reviewId]]);
    childCollection(goal, 'reviews').delete(reviewId);
  });
}
