import {
  richTextBlocks,
  type Contact,
  type GoalBoard,
  type SectionKind,
  type ServicePlan,
  type TextBlock,
} from '../../core/model/index.ts';
import type { Translate } from '../../hooks/i18n.tsx';
import { telHref } from '../shared/format.ts';

/**
 * What the crisis card shows, as plain data computed from the read models. Kept free of React
 * so it is tested on its own and shared by the popup and the print view.
 */

export interface Essential {
  readonly id: string;
  readonly kind: SectionKind;
  /** The custom section's own title; standard sections are named by locale. */
  readonly title: string;
  readonly blocks: readonly TextBlock[];
}

/** Red-zone sections that have text, in plan order. Empty sections would only add noise. */
export function redEssentials(plan: ServicePlan): Essential[] {
  return plan.sections
    .filter((s) => s.zone === 'red')
    .map((s) => ({ id: s.id, kind: s.kind, title: s.title, blocks: richTextBlocks(s.body) }))
    .filter((s) => s.blocks.length > 0);
}

export interface DueStep {
  readonly id: string;
  readonly text: string;
  readonly dueDate: string;
  readonly helper: string;
  readonly goalId: string;
  readonly goalTitle: string;
}

/** "Next steps" on a small card: a handful is a plan, twenty is a worry. */
export const MAX_DUE_STEPS = 5;

/**
 * Undone steps that have a due date, soonest first (earlier ones included: they are still to
 * do), from goals that are being worked on and sub-goals that are still open.
 */
export function nextStepsDue(board: GoalBoard, limit = MAX_DUE_STEPS): DueStep[] {
  const steps: DueStep[] = [];
  for (const goal of board.goals) {
    if (goal.status === 'achieved' || goal.status === 'paused') continue;
    for (const sub of goal.subgoals) {
      if (sub.status === 'done' || sub.status === 'dropped') continue;
      for (const step of sub.steps) {
        if (step.done || !step.dueDate) continue;
        steps.push({
          id: step.id,
          text: step.text,
          dueDate: step.dueDate,
          helper: step.helper,
          goalId: goal.id,
          goalTitle: goal.title,
        });
      }
    }
  }
  // Stable sort: steps due the same day keep the board's order.
  return steps.sort((a, b) => a.dueDate.localeCompare(b.dueDate)).slice(0, limit);
}

/** Contacts someone can call, first; the rest keep their order after them. */
export function callableFirst(contacts: readonly Contact[]): Contact[] {
  return [...contacts].sort((a, b) => Number(telHref(b.phone) !== null) - Number(telHref(a.phone) !== null));
}

/**
 * A section's name: the service plan's own title for a standard section (so the card says
 * exactly what the plan says), or a custom section's title.
 */
export function sectionTitle(t: Translate, section: { kind: SectionKind; title: string }): string {
  if (section.kind === 'custom') return section.title || t('crisis.untitledSection');
  return t(`plan.section.${section.kind}.title`);
}
