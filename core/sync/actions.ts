import * as m from '../model/index.ts';
import type { PlanDocs } from './session.ts';

/**
 * Every command a person can give on an open plan, bound to that plan's docs and to who is
 * acting. Components receive this object from hooks/ and never see a Y.Doc.
 */
export function planActions(docs: PlanDocs, by: string) {
  const g = docs.goals;
  const p = docs.plan;
  const notesFor = (kind: m.NoteTargetKind) =>
    kind === 'section' || kind === 'contact' ? docs['plan-notes'] : docs['goals-notes'];
  return {
    addGoal: (input: Omit<m.GoalInput, 'createdBy'>) => m.addGoal(g, { ...input, createdBy: by }),
    updateGoal: (goalId: string, patch: m.GoalPatch) => m.updateGoal(g, goalId, patch),
    deleteGoal: (goalId: string) => m.deleteGoal(g, goalId),
    moveGoal: (goalId: string, toIndex: number) => m.moveGoal(g, goalId, toIndex),
    addSubGoal: (goalId: string, input: m.SubGoalInput) => m.addSubGoal(g, goalId, input),
    updateSubGoal: (goalId: string, subId: string, patch: Partial<m.SubGoalInput>) =>
      m.updateSubGoal(g, goalId, subId, patch),
    deleteSubGoal: (goalId: string, subId: string) => m.deleteSubGoal(g, goalId, subId),
    moveSubGoal: (goalId: string, subId: string, toIndex: number) => m.moveSubGoal(g, goalId, subId, toIndex),
    addStep: (goalId: string, subId: string, input: m.StepInput) => m.addStep(g, goalId, subId, input),
    updateStep: (goalId: string, subId: string, stepId: string, patch: Partial<m.StepInput>) =>
      m.updateStep(g, goalId, subId, stepId, patch),
    deleteStep: (goalId: string, subId: string, stepId: string) => m.deleteStep(g, goalId, subId, stepId),
    moveStep: (goalId: string, subId: string, stepId: string, toIndex: number) =>
      m.moveStep(g, goalId, subId, stepId, toIndex),
    addReview: (goalId: string, input: Omit<m.ReviewInput, 'by'>) => m.addReview(g, goalId, { ...input, by }),
    updateReview: (goalId: string, reviewId: string, patch: Partial<m.ReviewInput>) =>
      m.updateReview(g, goalId, reviewId, patch),
    deleteReview: (goalId: string, reviewId: string) => m.deleteReview(g, goalId, reviewId),

    addCustomSection: (input: { title: string; zone: m.Zone }) => m.addCustomSection(p, input),
    renameSection: (sectionId: string, title: string) => m.renameSection(p, sectionId, title),
    deleteSection: (sectionId: string) => m.deleteSection(p, sectionId),
    moveSection: (sectionId: string, toIndex: number) => m.moveSection(p, sectionId, toIndex),
    addContact: (input: m.ContactInput) => m.addContact(p, input),
    updateContact: (contactId: string, patch: Partial<m.ContactInput>) =>
      m.updateContact(p, contactId, patch),
    deleteContact: (contactId: string) => m.deleteContact(p, contactId),
    moveContact: (contactId: string, toIndex: number) => m.moveContact(p, contactId, toIndex),
    setReviewDates: (dates: { reviewedAt?: string | null; nextReviewAt?: string | null }) =>
      m.setReviewDates(p, dates),

    /** Starts a thread; the notes doc (goals-notes or plan-notes) follows from the target. */
    addThread: (target: m.NoteTarget, body: string) =>
      m.addThread(notesFor(target.kind), { target, body, by }),
    reply: (target: m.NoteTarget, threadId: string, body: string) =>
      m.reply(notesFor(target.kind), threadId, { body, by }),
    setResolved: (target: m.NoteTarget, threadId: string, resolved: boolean) =>
      m.setResolved(notesFor(target.kind), threadId, resolved),
  };
}

export type PlanActions = ReturnType<typeof planActions>;
