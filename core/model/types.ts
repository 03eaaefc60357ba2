import type * as Y from 'yjs';
import type {
  ContactRole,
  GoalStatus,
  NoteTargetKind,
  ReviewProgress,
  SectionKind,
  SubGoalStatus,
  Zone,
} from './schema.ts';

/**
 * A rich-text field (a goal's "why", a section's body). Components pass it, unopened, to the
 * one file that binds Tiptap to it; only core/ reads inside it.
 */
export type RichText = Y.XmlFragment;

/** Something a reader skipped or repaired because another client wrote it malformed. */
export interface Problem {
  /** Where, e.g. `goals/<id>/subgoals/<id>`. Ids only, never content (it may reach a log). */
  readonly path: string;
  readonly reason: string;
}

export interface Step {
  readonly id: string;
  readonly text: string;
  readonly done: boolean;
  readonly dueDate?: string;
  readonly helper: string;
  readonly outcome: string;
  readonly order: string;
}

export interface SubGoal {
  readonly id: string;
  readonly title: string;
  readonly status: SubGoalStatus;
  readonly targetDate?: string;
  readonly order: string;
  readonly steps: readonly Step[];
}

export interface Review {
  readonly id: string;
  readonly date: string;
  readonly progress: ReviewProgress;
  readonly note: string;
  readonly nextStep: string;
  readonly by: string;
}

export interface Progress {
  readonly done: number;
  readonly total: number;
}

export interface Goal {
  readonly id: string;
  readonly title: string;
  readonly why: RichText | null;
  /** "Why it matters" holds no text yet (the read-first card leaves it out). */
  readonly whyEmpty: boolean;
  readonly status: GoalStatus;
  readonly lifeArea: string;
  readonly modules: readonly string[];
  readonly createdAt: string;
  readonly targetDate?: string;
  readonly order: string;
  readonly createdBy: string;
  readonly subgoals: readonly SubGoal[];
  /** Oldest first: the timeline reads left to right. */
  readonly reviews: readonly Review[];
  /** Steps done of all steps, over every sub-goal that is not dropped. */
  readonly progress: Progress;
}

export interface GoalBoard {
  readonly goals: readonly Goal[];
  readonly problems: readonly Problem[];
}

export interface Section {
  readonly id: string;
  readonly zone: Zone;
  readonly kind: SectionKind;
  /** Only custom sections have a title of their own; standard ones are named by locale. */
  readonly title: string;
  readonly order: string;
  readonly body: RichText | null;
  /** The body holds no text yet (the view folds such a section to one line). */
  readonly empty: boolean;
}

export interface Contact {
  readonly id: string;
  readonly name: string;
  readonly relation: string;
  readonly phone: string;
  readonly role: ContactRole;
  readonly whatTheyDo: string;
  readonly order: string;
}

export interface ServicePlan {
  /** In zone order (green, yellow, red), then by `order` within a zone. */
  readonly sections: readonly Section[];
  readonly contacts: readonly Contact[];
  readonly reviewedAt?: string;
  readonly nextReviewAt?: string;
  readonly problems: readonly Problem[];
}

export interface NoteTarget {
  readonly kind: NoteTargetKind;
  readonly id: string;
}

export interface Comment {
  readonly id: string;
  readonly by: string;
  readonly at: string;
  readonly body: string;
  readonly order: string;
}

export interface Thread {
  readonly id: string;
  readonly target: NoteTarget;
  readonly range?: { readonly anchor: string; readonly head: string };
  readonly createdBy: string;
  readonly createdAt: string;
  readonly resolved: boolean;
  readonly comments: readonly Comment[];
}

export interface Notes {
  readonly threads: readonly Thread[];
  readonly problems: readonly Problem[];
}
