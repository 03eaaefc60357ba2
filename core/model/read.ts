import * as Y from 'yjs';
import { FieldReader, entries, orderOf } from './fields.ts';
import { compareOrdered } from './order.ts';
import {
  CONTACT_ROLES,
  GOAL_STATUSES,
  NOTE_TARGET_KINDS,
  REVIEW_PROGRESS,
  SECTION_KINDS,
  STANDARD_SECTIONS,
  SUBGOAL_STATUSES,
  ZONES,
  isDate,
  isOneOf,
  type Zone,
} from './schema.ts';
import { isId } from './ids.ts';
import { richTextIsEmpty } from './richtext.ts';
import type {
  Comment,
  Contact,
  Goal,
  GoalBoard,
  Notes,
  Problem,
  Review,
  Section,
  ServicePlan,
  Step,
  SubGoal,
  Thread,
} from './types.ts';

/** Root shared types, by the names DESIGN.md gives them. */
export const goalsRoot = (doc: Y.Doc) => doc.getMap<unknown>('goals');
export const sectionsRoot = (doc: Y.Doc) => doc.getMap<unknown>('sections');
export const contactsRoot = (doc: Y.Doc) => doc.getMap<unknown>('contacts');
export const threadsRoot = (doc: Y.Doc) => doc.getMap<unknown>('threads');
export const metaRoot = (doc: Y.Doc) => doc.getMap<unknown>('meta');

function readStep(id: string, r: FieldReader): Step | null {
  const text = r.requiredText('text');
  if (text === null) return null;
  return {
    id,
    text,
    done: r.boolean('done'),
    dueDate: r.date('dueDate'),
    helper: r.text('helper'),
    outcome: r.text('outcome'),
    order: orderOf(r),
  };
}

function readSubGoal(id: string, r: FieldReader, problems: Problem[]): SubGoal | null {
  const title = r.requiredText('title');
  if (title === null) return null;
  const steps: Step[] = [];
  for (const [stepId, sr] of entries(r.collection('steps'), `${r.path}/steps`, problems)) {
    const step = readStep(stepId, sr);
    if (step) steps.push(step);
  }
  return {
    id,
    title,
    status: r.oneOf('status', SUBGOAL_STATUSES, 'todo'),
    targetDate: r.date('targetDate'),
    order: orderOf(r),
    steps: steps.sort(compareOrdered),
  };
}

function readReview(id: string, r: FieldReader): Review | null {
  const date = r.get('date');
  if (!isDate(date)) {
    r.report('missing or malformed date', 'date');
    return null;
  }
  return {
    id,
    date,
    progress: r.oneOf('progress', REVIEW_PROGRESS, 'partly'),
    note: r.text('note'),
    nextStep: r.text('nextStep'),
    by: r.text('by'),
  };
}

function readModules(r: FieldReader): string[] {
  const raw = r.text('modules');
  return raw
    .split(',')
    .map((m) => m.trim())
    .filter((m) => /^[a-z0-9-]{1,64}$/.test(m));
}

function readGoal(id: string, r: FieldReader, problems: Problem[]): Goal | null {
  const title = r.requiredText('title');
  if (title === null) return null;
  const subgoals: SubGoal[] = [];
  for (const [subId, sr] of entries(r.collection('subgoals'), `${r.path}/subgoals`, problems)) {
    const sub = readSubGoal(subId, sr, problems);
    if (sub) subgoals.push(sub);
  }
  subgoals.sort(compareOrdered);
  const reviews: Review[] = [];
  for (const [reviewId, rr] of entries(r.collection('reviews'), `${r.path}/reviews`, problems)) {
    const review = readReview(reviewId, rr);
    if (review) reviews.push(review);
  }
  reviews.sort((a, b) => (a.date === b.date ? (a.id < b.id ? -1 : 1) : a.date < b.date ? -1 : 1));
  const counted = subgoals.filter((s) => s.status !== 'dropped').flatMap((s) => s.steps);
  const createdBy = r.text('createdBy');
  const why = r.richText('why');
  return {
    id,
    title,
    why,
    whyEmpty: richTextIsEmpty(why),
    status: r.oneOf('status', GOAL_STATUSES, 'active'),
    lifeArea: r.text('lifeArea'),
    modules: readModules(r),
    createdAt: r.timestamp('createdAt'),
    targetDate: r.date('targetDate'),
    order: orderOf(r),
    createdBy: createdBy || 'local',
    subgoals,
    reviews,
    progress: { done: counted.filter((s) => s.done).length, total: counted.length },
  };
}

/** The goal board as the UI shows it; malformed items are skipped and listed in `problems`. */
export function readGoalBoard(doc: Y.Doc): GoalBoard {
  const problems: Problem[] = [];
  const goals: Goal[] = [];
  for (const [id, r] of entries(goalsRoot(doc), 'goals', problems)) {
    const goal = readGoal(id, r, problems);
    if (goal) goals.push(goal);
  }
  return { goals: goals.sort(compareOrdered), problems };
}

const zoneRank = (zone: Zone) => ZONES.indexOf(zone);

function readSection(id: string, r: FieldReader): Section {
  const kind = r.oneOf('kind', SECTION_KINDS, 'custom');
  const standard = STANDARD_SECTIONS.find((s) => s.kind === kind);
  const body = r.richText('body');
  return {
    id,
    kind,
    zone: r.oneOf('zone', ZONES, standard?.zone ?? 'yellow'),
    title: r.text('title'),
    order: orderOf(r),
    body,
    empty: richTextIsEmpty(body),
  };
}

function readContact(id: string, r: FieldReader): Contact {
  return {
    id,
    name: r.text('name'),
    relation: r.text('relation'),
    phone: r.text('phone'),
    role: r.oneOf('role', CONTACT_ROLES, 'other'),
    whatTheyDo: r.text('whatTheyDo'),
    order: orderOf(r),
  };
}

/** The service plan: sections grouped by zone, contacts, and its review dates. */
export function readServicePlan(doc: Y.Doc): ServicePlan {
  const problems: Problem[] = [];
  const sections: Section[] = [];
  for (const [id, r] of entries(sectionsRoot(doc), 'sections', problems)) {
    sections.push(readSection(id, r));
  }
  sections.sort((a, b) => zoneRank(a.zone) - zoneRank(b.zone) || compareOrdered(a, b));
  const contacts: Contact[] = [];
  for (const [id, r] of entries(contactsRoot(doc), 'contacts', problems)) {
    contacts.push(readContact(id, r));
  }
  contacts.sort(compareOrdered);
  const meta = new FieldReader(metaRoot(doc), 'meta', problems);
  return {
    sections,
    contacts,
    reviewedAt: meta.date('reviewedAt'),
    nextReviewAt: meta.date('nextReviewAt'),
    problems,
  };
}

function readRange(value: unknown): Thread['range'] {
  if (typeof value !== 'object' || value === null) return undefined;
  const { anchor, head } = value as Record<string, unknown>;
  const ok = (v: unknown) => typeof v === 'string' && v.length <= 400 && /^[A-Za-z0-9+/=]*$/.test(v);
  return ok(anchor) && ok(head) ? { anchor: anchor as string, head: head as string } : undefined;
}

function readThread(id: string, r: FieldReader, problems: Problem[]): Thread | null {
  // DESIGN.md writes the target as `{ kind, id }`; Varde stores a plain object, and a client
  // written from DESIGN.md alone may store a Y.Map. Both are read.
  const target = r.get('target');
  const t =
    target instanceof Y.Map
      ? { kind: target.get('kind'), id: target.get('id') }
      : ((typeof target === 'object' && target !== null ? target : {}) as Record<string, unknown>);
  if (!isOneOf(NOTE_TARGET_KINDS, t.kind) || !isId(t.id)) {
    r.report('missing or malformed target', 'target');
    return null;
  }
  const comments: Comment[] = [];
  for (const [commentId, cr] of entries(r.collection('comments'), `${r.path}/comments`, problems)) {
    const body = cr.requiredText('body');
    if (body === null) continue;
    comments.push({ id: commentId, by: cr.text('by'), at: cr.timestamp('at'), body, order: orderOf(cr) });
  }
  return {
    id,
    target: { kind: t.kind, id: t.id },
    range: readRange(r.get('range')),
    createdBy: r.text('createdBy'),
    createdAt: r.timestamp('createdAt'),
    resolved: r.boolean('resolved'),
    comments: comments.sort(compareOrdered),
  };
}

/** Annotation threads of a `*-notes` doc, oldest first. */
export function readNotes(doc: Y.Doc): Notes {
  const problems: Problem[] = [];
  const threads: Thread[] = [];
  for (const [id, r] of entries(threadsRoot(doc), 'threads', problems)) {
    const thread = readThread(id, r, problems);
    if (thread) threads.push(thread);
  }
  threads.sort((a, b) =>
    a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
  );
  return { threads, problems };
}
