import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  addContact,
  addCustomSection,
  addGoal,
  addStep,
  addSubGoal,
  readGoalBoard,
  readServicePlan,
  seedServicePlan,
  setRichTextPlain,
  updateGoal,
  updateSubGoal,
} from '../../core/model/index.ts';
import { callableFirst, nextStepsDue, redEssentials, sectionTitle } from '../../components/crisis/content.ts';
import { formatDate, localToday, telHref } from '../../components/shared/format.ts';
import { exportFileName } from '../../components/exchange/exportFile.ts';

function planWith(texts: Partial<Record<string, string>>): Y.Doc {
  const doc = new Y.Doc();
  seedServicePlan(doc);
  for (const section of readServicePlan(doc).sections) {
    const text = texts[section.kind];
    if (text !== undefined) setRichTextPlain(section.body!, text);
  }
  return doc;
}

describe('the red-zone essentials on the crisis card', () => {
  it('are the red sections that have text, in plan order, as plain blocks', () => {
    const doc = planWith({
      warningSigns: 'I stop sleeping',
      howToMeetMe: 'Speak calmly\nGive me time',
      takeOverSigns: 'I do not answer the phone',
      practical: '   ',
    });
    const essentials = redEssentials(readServicePlan(doc));
    expect(essentials.map((e) => e.kind)).toEqual(['takeOverSigns', 'howToMeetMe']);
    expect(essentials[1]!.blocks.map((b) => b.text)).toEqual(['Speak calmly', 'Give me time']);
  });

  it('include a custom red section under its own title', () => {
    const doc = planWith({});
    const id = addCustomSection(doc, { title: 'My dog', zone: 'red' });
    setRichTextPlain(readServicePlan(doc).sections.find((s) => s.id === id)!.body!, 'Ask Per to feed Rufus');
    const [essential] = redEssentials(readServicePlan(doc));
    expect(essential).toMatchObject({ kind: 'custom', title: 'My dog' });
  });

  it('are empty for a new plan', () => {
    expect(redEssentials(readServicePlan(planWith({})))).toEqual([]);
  });
});

describe('the next steps due', () => {
  function board() {
    const doc = new Y.Doc();
    const walk = addGoal(doc, { title: 'Walk more' });
    const daily = addSubGoal(doc, walk, { title: 'Walk daily' });
    addStep(doc, walk, daily, { text: 'Buy shoes', dueDate: '2030-03-10' });
    addStep(doc, walk, daily, { text: 'Walk to the shop', dueDate: '2030-03-02' });
    addStep(doc, walk, daily, { text: 'Already done', dueDate: '2030-03-01', done: true });
    addStep(doc, walk, daily, { text: 'Someday', dueDate: null });
    const work = addGoal(doc, { title: 'Find work' });
    const cv = addSubGoal(doc, work, { title: 'CV' });
    addStep(doc, work, cv, { text: 'Write CV', dueDate: '2030-03-05' });
    return { doc, walk, daily, work, cv };
  }

  it('are the undone steps with a date, soonest first, each with its goal', () => {
    const { doc } = board();
    expect(nextStepsDue(readGoalBoard(doc)).map((s) => [s.text, s.dueDate, s.goalTitle])).toEqual([
      ['Walk to the shop', '2030-03-02', 'Walk more'],
      ['Write CV', '2030-03-05', 'Find work'],
      ['Buy shoes', '2030-03-10', 'Walk more'],
    ]);
  });

  it('stop at the limit', () => {
    const { doc } = board();
    expect(nextStepsDue(readGoalBoard(doc), 2).map((s) => s.text)).toEqual(['Walk to the shop', 'Write CV']);
  });

  it('leave out paused or achieved goals and done or dropped sub-goals', () => {
    const { doc, walk, daily, work } = board();
    updateGoal(doc, work, { status: 'paused' });
    expect(nextStepsDue(readGoalBoard(doc)).map((s) => s.text)).toEqual(['Walk to the shop', 'Buy shoes']);
    updateSubGoal(doc, walk, daily, { status: 'dropped' });
    expect(nextStepsDue(readGoalBoard(doc))).toEqual([]);
  });
});

describe('the call links', () => {
  it('dial the digits of a number as people type it, keeping a leading +', () => {
    expect(telHref('+47 22 33 44 55')).toBe('tel:+4722334455');
    expect(telHref('(08) 123-45.67')).toBe('tel:081234567');
    expect(telHref('  ')).toBeNull();
  });

  it('put contacts with a phone number first and keep the order otherwise', () => {
    const doc = new Y.Doc();
    addContact(doc, { name: 'No phone' });
    addContact(doc, { name: 'Kari', phone: '111' });
    addContact(doc, { name: 'Also no phone' });
    addContact(doc, { name: 'Crisis line', phone: '116 123' });
    expect(callableFirst(readServicePlan(doc).contacts).map((c) => c.name)).toEqual([
      'Kari',
      'Crisis line',
      'No phone',
      'Also no phone',
    ]);
  });
});

describe('names and dates', () => {
  const messages: Record<string, string> = {
    'plan.section.warningSigns.title': 'Early warning signs',
    'plan.section.practical.title': 'Practical matters',
    'crisis.untitledSection': 'Untitled section',
  };
  const t = (key: string) => messages[key] ?? key;

  it('name standard sections as the service plan does, and custom ones by their own title', () => {
    expect(sectionTitle(t, { kind: 'warningSigns', title: '' })).toBe('Early warning signs');
    expect(sectionTitle(t, { kind: 'practical', title: '' })).toBe('Practical matters');
    expect(sectionTitle(t, { kind: 'custom', title: 'Pets' })).toBe('Pets');
    expect(sectionTitle(t, { kind: 'custom', title: '' })).toBe('Untitled section');
  });

  it('show a calendar day in the language of the card, on the same day everywhere', () => {
    expect(formatDate('2030-03-02', 'en', 'medium')).toBe('2 Mar 2030');
    expect(formatDate('2030-03-02', 'nb', 'medium')).toMatch(/^2\. mar\S* 2030$/);
    expect(formatDate('not a date', 'en')).toBe('not a date');
    expect(localToday(new Date(2030, 0, 5, 23, 30))).toBe('2030-01-05');
  });

  it('name the export file after the plan and the day, safe for any file system', () => {
    expect(exportFileName('Åse Ødegård', '2030-03-02')).toBe('varde-åse-ødegård-2030-03-02.json');
    expect(exportFileName('../../etc/passwd', '2030-03-02')).toBe('varde-etc-passwd-2030-03-02.json');
    expect(exportFileName('  ', '2030-03-02')).toBe('varde-plan-2030-03-02.json');
    expect(exportFileName('x'.repeat(100), '2030-03-02')).toBe(`varde-${'x'.repeat(40)}-2030-03-02.json`);
  });
});
