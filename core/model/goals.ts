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
import { change, childCollection, cleanText, itemAt, nowIso, setDate, siblingsOf } from './write.ts';

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

function applyGoalPatch(goal: Y.Map<unknown>, patch: GoalPatch): void {
  if (patch.title !== undefined) goal.set('title', cleanText(patch.title, { required: true }));
  if (patch.status !== undefined) {
    if (!isOneOf(GOAL_STATUSES, patch.status)) throw new CommandError('invalidInput', 'unknown status');
    goal.set('status', patch.status);
  }
  if (patch.lifeArea !== undefined) goal.set('lifeArea', cleanText(patch.lifeArea));
  if (patch.modules !== undefined) goal.set('modules', modulesText(patch.modules));
  setDate(goal, 'targetDate', patch.targetDate);
}

export function addGoal(doc: Y.Doc, input: GoalInput): string {
  const root = goalsRoot(doc);
  const id = newId();
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
    applyGoalPatch(goal, input);
  });
  return id;
}

export function updateGoal(doc: Y.Doc, goalId: string, patch: GoalPatch): void {
  change(doc, () => applyGoalPatch(itemAt(goalsRoot(doc), [goalId]), patch));
}

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

function applySubGoalPatch(sub: Y.Map<unknown>, patch: Partial<SubGoalInput>): void {
  if (patch.title !== undefined) sub.set('title', cleanText(patch.title, { required: true }));
  if (patch.status !== undefined) {
    if (!isOneOf(SUBGOAL_STATUSES, patch.status)) throw new CommandError('invalidInput', 'unknown status');
    sub.set('status', patch.status);
  }
  setDate(sub, 'targetDate', patch.targetDate);
}

export function addSubGoal(doc: Y.Doc, goalId: string, input: SubGoalInput): string {
  const id = newId();
  change(doc, () => {
    const subgoals = childCollection(itemAt(goalsRoot(doc), [goalId]), 'subgoals');
    const sub = new Y.Map<unknown>();
    const order = keyAtEnd(siblingsOf(subgoals));
    subgoals.set(id, sub);
    sub.set('status', 'todo');
    sub.set('order', order);
    sub.set('steps', new Y.Map());
    applySubGoalPatch(sub, input);
  });
  return id;
}

export function updateSubGoal(doc: Y.Doc, goalId: string, subId: string, patch: Partial<SubGoalInput>): void {
  change(doc, () => applySubGoalPatch(itemAt(goalsRoot(doc), [goalId, ['subgoals', subId]]), patch));
}

export function deleteSubGoal(doc: Y.Doc, goalId: string, subId: string): void {
  change(doc, () => {
    const goal = itemAt(goalsRoot(doc), [goalId]);
    itemAt(goal, [['subgoals', subId]]);
    childCollection(goal, 'subgoals').delete(subId);
  });
}

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

function applyStepPatch(step: Y.Map<unknown>, patch: Partial<StepInput>): void {
  if (patch.text !== undefined) step.set('text', cleanText(patch.text, { required: true }));
  if (patch.done !== undefined) step.set('done', patch.done === true);
  setDate(step, 'dueDate', patch.dueDate);
  if (patch.helper !== undefined) step.set('helper', cleanText(patch.helper));
  if (patch.outcome !== undefined) step.set('outcome', cleanText(patch.outcome));
}

function stepsOf(doc: Y.Doc, goalId: string, subId: string): Y.Map<unknown> {
  return childCollection(itemAt(goalsRoot(doc), [goalId, ['subgoals', subId]]), 'steps');
}

export function addStep(doc: Y.Doc, goalId: string, subId: string, input: StepInput): string {
  const id = newId();
  change(doc, () => {
    const steps = stepsOf(doc, goalId, subId);
    const step = new Y.Map<unknown>();
    const order = keyAtEnd(siblingsOf(steps));
    steps.set(id, step);
    step.set('done', false);
    step.set('helper', '');
    step.set('outcome', '');
    step.set('order', order);
    applyStepPatch(step, input);
  });
  return id;
}

export function updateStep(
  doc: Y.Doc,
  goalId: string,
  subId: string,
  stepId: string,
  patch: Partial<StepInput>,
): void {
  change(doc, () => applyStepPatch(itemAt(stepsOf(doc, goalId, subId), [stepId]), patch));
}

export function deleteStep(doc: Y.Doc, goalId: string, subId: string, stepId: string): void {
  change(doc, () => {
    const steps = stepsOf(doc, goalId, subId);
    itemAt(steps, [stepId]);
    steps.delete(stepId);
  });
}

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

function applyReviewPatch(review: Y.Map<unknown>, patch: Partial<ReviewInput>): void {
  if (patch.date !== undefined) {
    if (!isDate(patch.date)) throw new CommandError('invalidInput', 'not a YYYY-MM-DD date');
    review.set('date', patch.date);
  }
  if (patch.progress !== undefined) {
    if (!isOneOf(REVIEW_PROGRESS, patch.progress)) throw new CommandError('invalidInput', 'unknown progress');
    review.set('progress', patch.progress);
  }
  if (patch.note !== undefined) review.set('note', cleanText(patch.note));
  if (patch.nextStep !== undefined) review.set('nextStep', cleanText(patch.nextStep));
  if (patch.by !== undefined) review.set('by', cleanText(patch.by));
}

/** Records one follow-up session's review of a goal. */
export function addReview(doc: Y.Doc, goalId: string, input: ReviewInput): string {
  const id = newId();
  change(doc, () => {
    const reviews = childCollection(itemAt(goalsRoot(doc), [goalId]), 'reviews');
    const review = new Y.Map<unknown>();
    reviews.set(id, review);
    review.set('note', '');
    review.set('nextStep', '');
    review.set('by', 'local');
    applyReviewPatch(review, input);
  });
  return id;
}

export function updateReview(doc: Y.Doc, goalId: string, reviewId: string, patch: Partial<ReviewInput>): void {
  change(doc, () => applyReviewPatch(itemAt(goalsRoot(doc), [goalId, ['reviews', reviewId]]), patch));
}

export function deleteReview(doc: Y.Doc, goalId: string, reviewId: string): void {
  change(doc, () => {
    const goal = itemAt(goalsRoot(doc), [goalId]);
    itemAt(goal, [['reviews', reviewId]]);
    childCollection(goal, 'reviews').delete(reviewId);
  });
}
