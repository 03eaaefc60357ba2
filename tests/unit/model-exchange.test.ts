/**
 * The export file (core/sync/exchange.ts): a broken file is refused with a reason a person
 * can be told, before anything is written; a good one brings back exactly what was exported.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  DOC_NAMES,
  addContact,
  addGoal,
  addReview,
  addStep,
  addSubGoal,
  addThread,
  newPlanId,
  readGoalBoard,
  readNotes,
  readServicePlan,
  richTextPlain,
  seedServicePlan,
  setReviewDates,
  setRichTextPlain,
  toBase64,
  type DocName,
} from '../../core/model/index.ts';
import { thrownBy } from './refuses.ts';
import {
  ImportError,
  MAX_PLAN_FILE_BYTES,
  PLAN_FILE_FORMAT,
  PLAN_FILE_VERSION,
  applyPlanFile,
  exportPlan,
  parsePlanFile,
  type ImportErrorReason,
  type PlanDocs,
} from '../../core/sync/index.ts';

function emptyDocs(): PlanDocs {
  return Object.fromEntries(DOC_NAMES.map((name) => [name, new Y.Doc()])) as Record<DocName, Y.Doc>;
}

/** A plan with something in every doc, rich text included. */
function fullPlan(): PlanDocs {
  const docs = emptyDocs();
  seedServicePlan(docs.plan);
  const goalId = addGoal(docs.goals, { title: 'Walk to the shop', modules: ['coping-with-stress'] });
  setRichTextPlain(readGoalBoard(docs.goals).goals[0]!.why!, 'So I can buy my own food\nand see people');
  const subId = addSubGoal(docs.goals, goalId, { title: 'First week', targetDate: '2025-03-01' });
  addStep(docs.goals, goalId, subId, { text: 'Shoes on', done: true, helper: 'Mum' });
  addReview(docs.goals, goalId, { date: '2025-02-01', progress: 'partly', note: 'Twice' });
  const warning = readServicePlan(docs.plan).sections.find((s) => s.kind === 'warningSigns')!;
  setRichTextPlain(warning.body!, 'I stop sleeping');
  const contactId = addContact(docs.plan, { name: 'Mum', phone: '+47 99 99 99 99', role: 'family' });
  setReviewDates(docs.plan, { reviewedAt: '2025-01-15' });
  addThread(docs['goals-notes'], { target: { kind: 'goal', id: goalId }, body: 'Nice goal', by: 'local' });
  addThread(docs['plan-notes'], {
    target: { kind: 'contact', id: contactId },
    body: 'Day time only?',
    by: 'local',
  });
  return docs;
}

/** Everything a person can see in a plan, with rich text as plain text. */
function content(docs: PlanDocs) {
  const board = readGoalBoard(docs.goals);
  const plan = readServicePlan(docs.plan);
  return {
    goals: board.goals.map((g) => ({ ...g, why: richTextPlain(g.why) })),
    sections: plan.sections.map((s) => ({ ...s, body: richTextPlain(s.body) })),
    contacts: plan.contacts,
    dates: [plan.reviewedAt, plan.nextReviewAt],
    goalNotes: readNotes(docs['goals-notes']).threads,
    planNotes: readNotes(docs['plan-notes']).threads,
    problems: [board.problems, plan.problems],
  };
}

const goodFile = () =>
  JSON.parse(JSON.stringify(exportPlan(fullPlan(), newPlanId(), 'Kari'))) as Record<string, unknown>;
const docsOf = (file: Record<string, unknown>) => file.docs as Record<string, unknown>;

function refusedWith(text: string, reason: ImportErrorReason, part?: DocName): void {
  const caught = thrownBy(() => parsePlanFile(text), 'the file should have been refused');
  expect(caught).toBeInstanceOf(ImportError);
  expect((caught as ImportError).reason).toBe(reason);
  expect((caught as ImportError).part).toBe(part);
}

describe('an exported plan, imported again', () => {
  it('brings back the same goals, sections, contacts, dates and notes, rich text included', () => {
    const original = fullPlan();
    const planId = newPlanId();
    const parsed = parsePlanFile(JSON.stringify(exportPlan(original, planId, 'Kari')));
    expect([parsed.planId, parsed.name, parsed.problems]).toEqual([planId, 'Kari', []]);
    const restored = emptyDocs();
    applyPlanFile(restored, parsed);
    expect(content(restored)).toEqual(content(original));
    expect(content(restored).goals[0]!.why).toBe('So I can buy my own food\nand see people');
    for (const name of DOC_NAMES) {
      expect(Y.encodeStateVector(restored[name]), name).toEqual(Y.encodeStateVector(original[name]));
    }
  });

  it('merges into a plan that has changed since, keeping both sides', () => {
    const original = fullPlan();
    const file = parsePlanFile(JSON.stringify(exportPlan(original, newPlanId(), 'Kari')));
    const later = emptyDocs();
    applyPlanFile(later, file);
    addGoal(later.goals, { title: 'Added after the export' });
    applyPlanFile(later, file);
    expect(readGoalBoard(later.goals).goals.map((g) => g.title)).toEqual([
      'Walk to the shop',
      'Added after the export',
    ]);
  });

  it('carries a plain reading of the content for people and other programs', () => {
    const file = exportPlan(fullPlan(), newPlanId(), 'Kari');
    expect(file).toMatchObject({ format: PLAN_FILE_FORMAT, version: PLAN_FILE_VERSION, name: 'Kari' });
    expect(JSON.stringify(file.readable)).toContain('So I can buy my own food');
    expect(JSON.stringify(file.readable)).toContain('I stop sleeping');
  });

  it('lists what the readers will skip, without refusing the file', () => {
    const docs = fullPlan();
    docs.goals.getMap('goals').set('not an id', 'junk');
    const parsed = parsePlanFile(JSON.stringify(exportPlan(docs, newPlanId(), 'Kari')));
    expect(parsed.problems).toEqual([{ path: 'goals:goals/?', reason: 'malformed id' }]);
  });

  it('shortens an over-long name and tolerates a missing one', () => {
    const file = goodFile();
    file.name = 'n'.repeat(5000);
    expect(parsePlanFile(JSON.stringify(file)).name).toHaveLength(200);
    delete file.name;
    expect(parsePlanFile(JSON.stringify(file)).name).toBe('');
  });
});

describe('parsePlanFile refuses', () => {
  it('a file larger than any real plan', () => {
    refusedWith(' '.repeat(MAX_PLAN_FILE_BYTES + 1), 'tooLarge');
  });

  it.each([
    ['an empty file', ''],
    ['plain text', 'my plan'],
    ['cut-off JSON', '{"format": "varde-plan", '],
  ])('%s as not JSON', (_what, text) => refusedWith(text, 'notJson'));

  it.each([
    ['JSON null', null],
    ['a JSON list', [1, 2]],
    ['a number', 7],
    ['another format', { format: 'other-app', version: 1 }],
    ['no format', { version: 1 }],
  ])('%s as not a Varde file', (_what, data) => refusedWith(JSON.stringify(data), 'notVardeFile'));

  it('a file from a newer Varde', () => {
    const file = goodFile();
    file.version = PLAN_FILE_VERSION + 1;
    refusedWith(JSON.stringify(file), 'newerVersion');
  });

  it.each([
    ['no version', undefined],
    ['a version written as text', '1'],
    ['a version 0', 0],
    ['a fractional version', 0.5],
  ])('%s as not a Varde file', (_what, version) => {
    const file = goodFile();
    file.version = version;
    refusedWith(JSON.stringify(file), 'notVardeFile');
  });

  it.each([
    ['no plan id', undefined],
    ['a short plan id', 'abc'],
    ['a plan id with a slash', 'a'.repeat(21) + '/'],
  ])('a file with %s', (_what, planId) => {
    const file = goodFile();
    file.planId = planId;
    refusedWith(JSON.stringify(file), 'badPlanId');
  });

  it.each(DOC_NAMES)('a file missing its "%s" part, naming the part', (name) => {
    const file = goodFile();
    delete docsOf(file)[name];
    refusedWith(JSON.stringify(file), 'missingPart', name);
  });

  it('a file with no parts at all', () => {
    const file = goodFile();
    delete file.docs;
    refusedWith(JSON.stringify(file), 'missingPart', 'goals');
  });

  it('a part that is not text', () => {
    const file = goodFile();
    docsOf(file).plan = [1, 2, 3];
    refusedWith(JSON.stringify(file), 'missingPart', 'plan');
  });

  it.each([
    ['characters outside base64', () => '!!!not base64!!!'],
    ['an impossible base64 length', () => 'AAAAA'],
    [
      'bytes that are not a Yjs update',
      () => toBase64(new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255])),
    ],
    [
      'a cut-off update',
      () => {
        const bytes = Y.encodeStateAsUpdate(fullPlan().goals);
        return toBase64(bytes.slice(0, Math.floor(bytes.length / 2)));
      },
    ],
    [
      'an update that needs changes the file does not hold',
      () => {
        const doc = new Y.Doc();
        addGoal(doc, { title: 'first' });
        const before = Y.encodeStateVector(doc);
        addGoal(doc, { title: 'second' });
        return toBase64(Y.encodeStateAsUpdate(doc, before));
      },
    ],
  ])('a part with %s as damaged, naming the part', (_what, make) => {
    const file = goodFile();
    docsOf(file).goals = make();
    refusedWith(JSON.stringify(file), 'damagedPart', 'goals');
  });
});
