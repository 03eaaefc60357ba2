/**
 * Random edits on one device's replica, through core/model's commands (as the UI makes them)
 * and, for rich text, on the Y.XmlText inside paragraphs as Tiptap's y-prosemirror binding
 * writes it: typing, deleting, bold on and off, Enter (split a paragraph), Backspace at a
 * paragraph's start (join it to the previous one). A device only makes the edits its access
 * allows: the UI follows the access levels, and the server would drop the rest.
 */
import * as Y from 'yjs';
import {
  CommandError,
  GOAL_STATUSES,
  REVIEW_PROGRESS,
  SUBGOAL_STATUSES,
  ZONES,
  addContact,
  addCustomSection,
  addGoal,
  addReview,
  addStep,
  addSubGoal,
  addThread,
  deleteContact,
  deleteGoal,
  deleteReview,
  deleteSection,
  deleteStep,
  deleteSubGoal,
  goalsRoot,
  moveContact,
  moveGoal,
  moveSection,
  moveStep,
  moveSubGoal,
  readGoalBoard,
  readNotes,
  readServicePlan,
  renameSection,
  reply,
  sectionsRoot,
  setResolved,
  setReviewDates,
  toBase64,
  updateContact,
  updateGoal,
  updateReview,
  updateStep,
  updateSubGoal,
  type DocName,
  type NoteTarget,
} from '../../core/model/index.ts';
import type { Random } from '../random.ts';
import { editRichText, word } from './richtext.ts';

export interface EditTarget {
  readonly docs: Readonly<Record<DocName, Y.Doc>>;
  readonly memberId: string;
  canWrite(doc: DocName): boolean;
}

/** -1 (past the end) up to 4: small lists, so devices move the same items into the same places. */
const index = (random: Random) => random.int(6) - 1;
const date = (random: Random) => `2025-0${1 + random.int(9)}-1${random.int(10)}`;

// ---- the goal board ----

function editGoals(random: Random, doc: Y.Doc, by: string): string {
  const board = readGoalBoard(doc);
  const goal = random.pick(board.goals.slice(0, random.chance(0.6) ? 2 : undefined));
  const sub = goal && random.pick(goal.subgoals);
  const step = sub && random.pick(sub.steps);
  const review = goal && random.pick(goal.reviews);
  const roll = random.int(29);
  if (!goal || roll < 3) {
    addGoal(doc, { title: word(random), createdBy: by });
    return 'goal.add';
  }
  // Steps need a sub-goal: make one where a sub-goal or step edit finds none, so boards grow deep.
  if (!sub && roll >= 14 && roll < 25) {
    addSubGoal(doc, goal.id, { title: word(random) });
    return 'subgoal.add';
  }
  switch (roll) {
    case 3:
      updateGoal(doc, goal.id, { title: word(random), status: random.pick(GOAL_STATUSES) });
      return 'goal.update';
    case 4:
      updateGoal(doc, goal.id, { lifeArea: word(random), targetDate: date(random) });
      return 'goal.update';
    case 5:
      if (!random.chance(0.4)) return 'none';
      deleteGoal(doc, goal.id);
      return 'goal.delete';
    case 6:
    case 7:
      moveGoal(doc, goal.id, index(random));
      return 'goal.move';
    case 8:
    case 9:
    case 10: {
      const why = (goalsRoot(doc).get(goal.id) as Y.Map<unknown>).get('why');
      return why instanceof Y.XmlFragment ? `why.${editRichText(random, why)}` : 'none';
    }
    case 11:
    case 12:
    case 13:
      addSubGoal(doc, goal.id, { title: word(random) });
      return 'subgoal.add';
    case 14:
      updateSubGoal(doc, goal.id, sub!.id, { status: random.pick(SUBGOAL_STATUSES), title: word(random) });
      return 'subgoal.update';
    case 15:
      if (!random.chance(0.5)) return 'none';
      deleteSubGoal(doc, goal.id, sub!.id);
      return 'subgoal.delete';
    case 16:
      moveSubGoal(doc, goal.id, sub!.id, index(random));
      return 'subgoal.move';
    case 17:
    case 18:
    case 19:
    case 20:
      addStep(doc, goal.id, sub!.id, { text: word(random), helper: random.chance(0.3) ? 'Ola' : '' });
      return 'step.add';
    case 21:
      if (!step) return 'none';
      updateStep(doc, goal.id, sub!.id, step.id, { done: !step.done, outcome: word(random) });
      return 'step.update';
    case 22:
      if (!step || !random.chance(0.5)) return 'none';
      deleteStep(doc, goal.id, sub!.id, step.id);
      return 'step.delete';
    case 23:
    case 24:
      if (!step) return 'none';
      moveStep(doc, goal.id, sub!.id, step.id, index(random));
      return 'step.move';
    case 25:
    case 26:
      addReview(doc, goal.id, {
        date: date(random),
        progress: random.pick(REVIEW_PROGRESS)!,
        note: word(random),
        by,
      });
      return 'review.add';
    case 27:
      if (!review) return 'none';
      updateReview(doc, goal.id, review.id, {
        nextStep: word(random),
        progress: random.pick(REVIEW_PROGRESS),
      });
      return 'review.update';
    default:
      if (!review || !random.chance(0.5)) return 'none';
      deleteReview(doc, goal.id, review.id);
      return 'review.delete';
  }
}

// ---- the service plan ----

function editPlan(random: Random, doc: Y.Doc): string {
  const plan = readServicePlan(doc);
  const roll = random.int(18);
  if (roll < 6) {
    const section = random.pick(plan.sections.slice(0, random.chance(0.5) ? 4 : undefined));
    const item = section && sectionsRoot(doc).get(section.id);
    const body = item instanceof Y.Map ? item.get('body') : null;
    return body instanceof Y.XmlFragment ? `body.${editRichText(random, body)}` : 'none';
  }
  switch (roll) {
    case 6:
    case 7: {
      const section = random.pick(plan.sections);
      if (!section) return 'none';
      moveSection(doc, section.id, index(random));
      return 'section.move';
    }
    case 8: {
      const custom = random.pick(plan.sections.filter((s) => s.kind === 'custom'));
      const what = random.int(4);
      if (!custom || what < 2) {
        addCustomSection(doc, { title: word(random), zone: random.pick(ZONES)! });
        return 'section.add';
      }
      if (what === 2) {
        renameSection(doc, custom.id, word(random));
        return 'section.rename';
      }
      deleteSection(doc, custom.id);
      return 'section.delete';
    }
    case 9:
    case 10:
      addContact(doc, { name: word(random), phone: String(random.int(1e8)), role: 'family' });
      return 'contact.add';
    case 11:
    case 12: {
      const contact = random.pick(plan.contacts);
      if (!contact) return 'none';
      moveContact(doc, contact.id, index(random));
      return 'contact.move';
    }
    case 13:
    case 14: {
      const contact = random.pick(plan.contacts);
      if (!contact) return 'none';
      if (random.chance(0.7)) {
        updateContact(doc, contact.id, { relation: word(random), whatTheyDo: word(random) });
        return 'contact.update';
      }
      deleteContact(doc, contact.id);
      return 'contact.delete';
    }
    default:
      setReviewDates(doc, {
        nextReviewAt: date(random),
        reviewedAt: random.chance(0.5) ? date(random) : undefined,
      });
      return 'plan.dates';
  }
}

// ---- notes ----

function targets(docs: EditTarget['docs'], notes: 'goals-notes' | 'plan-notes'): NoteTarget[] {
  if (notes === 'goals-notes') {
    const goals = readGoalBoard(docs.goals).goals;
    return [
      ...goals.map((g) => ({ kind: 'goal' as const, id: g.id })),
      ...goals.flatMap((g) => g.subgoals.map((s) => ({ kind: 'subgoal' as const, id: s.id }))),
      ...goals.flatMap((g) =>
        g.subgoals.flatMap((s) => s.steps.map((t) => ({ kind: 'step' as const, id: t.id }))),
      ),
      ...goals.flatMap((g) => g.reviews.map((r) => ({ kind: 'review' as const, id: r.id }))),
    ];
  }
  const plan = readServicePlan(docs.plan);
  return [
    ...plan.sections.map((s) => ({ kind: 'section' as const, id: s.id })),
    ...plan.contacts.map((c) => ({ kind: 'contact' as const, id: c.id })),
  ];
}

/** A range inside a section body, as the editor anchors a note to selected text. */
function rangeIn(random: Random, docs: EditTarget['docs'], sectionId: string) {
  const item = sectionsRoot(docs.plan).get(sectionId);
  const body = item instanceof Y.Map ? item.get('body') : null;
  if (!(body instanceof Y.XmlFragment) || body.length === 0) return undefined;
  const a = random.int(body.length + 1);
  const encode = (i: number) =>
    toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(body, i)));
  return { anchor: encode(a), head: encode(Math.min(body.length, a + random.int(2))) };
}

function editNotes(random: Random, target: EditTarget, notes: 'goals-notes' | 'plan-notes'): string {
  const doc = target.docs[notes];
  const threads = readNotes(doc).threads;
  const thread = random.pick(threads.slice(0, random.chance(0.6) ? 2 : undefined));
  const roll = random.int(10);
  if (!thread || roll < 3) {
    const on = random.pick(targets(target.docs, notes));
    if (!on) return 'none';
    const range =
      on.kind === 'section' && random.chance(0.5) ? rangeIn(random, target.docs, on.id) : undefined;
    addThread(doc, { target: on, body: word(random), by: target.memberId, ...(range ? { range } : {}) });
    return `${notes}.thread`;
  }
  if (roll < 8) {
    reply(doc, thread.id, { body: `${word(random)} reply`, by: target.memberId });
    return `${notes}.reply`;
  }
  setResolved(doc, thread.id, !thread.resolved);
  return `${notes}.resolve`;
}

/** One random edit that `target` may make; its kind, or `none`. */
export function randomEdit(random: Random, target: EditTarget): string {
  const writable = (['goals', 'plan', 'goals-notes', 'plan-notes'] as const).filter((d) =>
    target.canWrite(d),
  );
  if (writable.length === 0) return 'none';
  // Content more often than notes, as people use the plan.
  const weighted = writable.flatMap((d) => (d.endsWith('notes') ? [d] : [d, d, d]));
  const doc = random.pick(weighted)!;
  try {
    if (doc === 'goals') return editGoals(random, target.docs.goals, target.memberId);
    if (doc === 'plan') return editPlan(random, target.docs.plan);
    return editNotes(random, target, doc);
  } catch (error) {
    // The item was just deleted under a stale read: the command refuses and changes nothing.
    if (error instanceof CommandError) return 'refused';
    throw error;
  }
}
