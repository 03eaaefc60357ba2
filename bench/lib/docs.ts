/**
 * Documents the scenarios load, built in Node with the same schema and commands the extension
 * uses (core/model), from a fixed seed so every run and every server gets the same bytes.
 */
import * as Y from 'yjs';
import {
  DOC_NAMES,
  MODULE_IDS,
  addContact,
  addCustomSection,
  addGoal,
  addReview,
  addStep,
  addSubGoal,
  goalsRoot,
  migrate,
  newPlanId,
  sectionsRoot,
  seedServicePlan,
  updateGoal,
  updateStep,
  updateSubGoal,
  type DocName,
} from '../../core/model/index.ts';
import { mulberry32 } from '../../harness/random.ts';

const WORDS = (
  'I sleep badly when stress builds up and then I stop calling friends so ask me how the week went ' +
  'walk every morning take the medicine with breakfast call my sister if I do not answer for two days'
).split(' ');

/** A paragraph holding one text node, the shape Tiptap writes for a typed line. */
function paragraph(text = ''): { p: Y.XmlElement; text: Y.XmlText } {
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText(text);
  p.insert(0, [t]);
  return { p, text: t };
}

/** Every XmlText inside a fragment, in document order. */
function textsOf(fragment: Y.XmlFragment): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  for (const node of fragment.toArray()) {
    if (node instanceof Y.XmlElement) for (const c of node.toArray()) if (c instanceof Y.XmlText) out.push(c);
  }
  return out;
}

/** The service plan's twelve standard sections, each body one empty paragraph. */
export function basePlanDoc(): Y.Doc {
  const doc = new Y.Doc();
  migrate(doc);
  seedServicePlan(doc);
  doc.transact(() => {
    for (const section of sectionsRoot(doc).values()) {
      const body = (section as Y.Map<unknown>).get('body') as Y.XmlFragment;
      body.insert(0, [paragraph().p]);
    }
  }, 'local');
  return doc;
}

/** The text nodes a typist may edit in a plan doc (one per section paragraph). */
export function sectionTexts(doc: Y.Doc): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  for (const section of sectionsRoot(doc).values()) {
    out.push(...textsOf((section as Y.Map<unknown>).get('body') as Y.XmlFragment));
  }
  return out;
}

/**
 * Someone typing in one text node: characters go in at a cursor that moves on, as in an
 * editor (consecutive keystrokes merge into one Yjs item, as real typing does); now and then
 * the cursor jumps elsewhere, and 1 keystroke in 12 is a backspace.
 */
export class Typist {
  private cursor = 0;
  constructor(
    readonly text: Y.XmlText,
    private readonly rand: () => number,
  ) {
    this.cursor = text.length;
  }

  /** One keystroke, one transaction with `origin`. */
  type(origin: unknown = 'local'): void {
    const { text, rand } = this;
    const doc = text.doc!;
    doc.transact(() => {
      const len = text.length;
      if (this.cursor > len || rand() < 0.04) this.cursor = Math.floor(rand() * (len + 1));
      if (this.cursor > 0 && rand() < 1 / 12) {
        text.delete(this.cursor - 1, 1);
        this.cursor--;
      } else {
        const ch = 'abcdefghijklmnopqrstuvwxyz     '[Math.floor(rand() * 31)]!;
        text.insert(this.cursor, ch);
        this.cursor++;
      }
    }, origin);
  }
}

/**
 * A service plan of about `targetBytes` encoded (Y.encodeStateAsUpdate), built by many
 * phrase-sized insertions and some deletions across the twelve sections: the shape of years of
 * typing, not one pasted string (which would be unrealistically cheap to hold).
 */
export function typedPlanUpdate(targetBytes: number, seed: number): Uint8Array {
  const rand = mulberry32(seed);
  const doc = basePlanDoc();
  const texts = sectionTexts(doc);
  for (let i = 1; ; i++) {
    const text = texts[Math.floor(rand() * texts.length)]!;
    doc.transact(() => {
      const len = text.length;
      if (len > 200 && rand() < 0.12) {
        const at = Math.floor(rand() * (len - 10));
        text.delete(at, 1 + Math.floor(rand() * 8));
      } else {
        let phrase = '';
        const words = 1 + Math.floor(rand() * 8);
        for (let w = 0; w < words; w++) phrase += WORDS[Math.floor(rand() * WORDS.length)] + ' ';
        text.insert(Math.floor(rand() * (len + 1)), phrase);
      }
    }, 'local');
    if (i % 500 === 0) {
      const update = Y.encodeStateAsUpdate(doc);
      if (update.byteLength >= targetBytes) {
        doc.destroy();
        return update;
      }
    }
  }
}

export interface TwoYearPlan {
  planId: string;
  docs: Record<DocName, Y.Doc>;
  goalTitles: string[];
  edits: number;
}

/**
 * "Two years of weekly use": 10 goals × 3 sub-goals × 2 steps (100 items), the 12 standard
 * sections, 4 contacts, a review of two goals every week for 104 weeks, steps ticked, statuses
 * changed, and the rest of `edits` as keystrokes in section bodies and goals' "why" (each
 * keystroke its own transaction, as the editor makes them).
 */
export function twoYearPlan(seed: number, edits: number): TwoYearPlan {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const docs = Object.fromEntries(DOC_NAMES.map((n) => [n, new Y.Doc()])) as Record<DocName, Y.Doc>;
  let count = 0;
  for (const d of Object.values(docs)) {
    migrate(d);
    count++;
  }
  const plan = docs.plan;
  const goals = docs.goals;
  seedServicePlan(plan);
  addCustomSection(plan, { title: 'My dog', zone: 'red' });
  const people = ['Kari Berg', 'Ola Nordmann', 'Dr. Lund', 'Crisis line'];
  people.forEach((name, i) => {
    addContact(plan, { name, phone: `+47 22 33 44 5${i}`, role: i === 3 ? 'crisis-line' : 'family' });
  });
  count += 2 + people.length;
  const texts: Typist[] = [];
  const typist = (t: Y.XmlText) => texts.push(new Typist(t, rand));
  plan.transact(() => {
    for (const section of sectionsRoot(plan).values()) {
      const { p, text } = paragraph('');
      ((section as Y.Map<unknown>).get('body') as Y.XmlFragment).insert(0, [p]);
      typist(text);
    }
  }, 'local');
  const structure: { goalId: string; subs: { subId: string; steps: string[] }[] }[] = [];
  const goalTitles: string[] = [];
  for (let g = 0; g < 10; g++) {
    const title = `Goal ${g + 1}: ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`;
    goalTitles.push(title);
    const goalId = addGoal(goals, {
      title,
      lifeArea: pick(['health', 'work', 'friends', 'home']),
      modules: [pick(MODULE_IDS)],
    });
    const why = (goalsRoot(goals).get(goalId) as Y.Map<unknown>).get('why') as Y.XmlFragment;
    goals.transact(() => {
      const { p, text } = paragraph('');
      why.insert(0, [p]);
      typist(text);
    }, 'local');
    const subs = [];
    for (let s = 0; s < 3; s++) {
      const subId = addSubGoal(goals, goalId, { title: `Sub-goal ${s + 1} ${pick(WORDS)}` });
      const steps = [0, 1].map((k) =>
        addStep(goals, goalId, subId, { text: `Step ${k + 1} ${pick(WORDS)}` }),
      );
      subs.push({ subId, steps });
      count += 3;
    }
    structure.push({ goalId, subs });
    count += 2;
  }
  const start = Date.now() - 104 * 7 * 86_400_000;
  const perWeek = Math.max(1, Math.floor((edits - count) / 104));
  for (let week = 0; week < 104; week++) {
    const date = new Date(start + week * 7 * 86_400_000).toISOString().slice(0, 10);
    for (let r = 0; r < 2; r++) {
      const goal = pick(structure);
      addReview(goals, goal.goalId, {
        date,
        progress: pick(['achieved', 'partly', 'not'] as const),
        note: `week ${week}`,
      });
      const sub = pick(goal.subs);
      updateStep(goals, goal.goalId, sub.subId, pick(sub.steps), { done: rand() < 0.5 });
      updateSubGoal(goals, goal.goalId, sub.subId, { status: pick(['todo', 'doing', 'done'] as const) });
      count += 3;
    }
    if (week % 13 === 0)
      updateGoal(goals, pick(structure).goalId, { status: pick(['active', 'paused'] as const) });
    const weekEnd = Math.min(edits, count + perWeek);
    while (count < weekEnd || (week === 103 && count < edits)) {
      const current = pick(texts);
      if (rand() < 0.01) {
        // Enter: a new paragraph at the end of the field.
        current.text.doc!.transact(() => {
          const { p, text } = paragraph('');
          (current.text.parent!.parent as Y.XmlFragment).push([p]);
          typist(text);
        }, 'local');
      } else {
        // A burst of typing in one place, as people do.
        for (let k = 0; k < 20 && count < weekEnd; k++, count++) current.type();
        continue;
      }
      count++;
    }
  }
  return { planId: newPlanId(), docs, goalTitles, edits: count };
}
