/** Every command on the `plan` doc (core/model/plan.ts): sections, contacts, review dates. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  MAX_SHORT_TEXT,
  STANDARD_SECTIONS,
  addContact,
  addCustomSection,
  deleteContact,
  deleteSection,
  moveContact,
  moveSection,
  readServicePlan,
  renameSection,
  seedServicePlan,
  setReviewDates,
  updateContact,
  type Zone,
} from '../../core/model/index.ts';
import { refuses } from './refuses.ts';

function seeded(): Y.Doc {
  const doc = new Y.Doc();
  seedServicePlan(doc);
  return doc;
}

const plan = (doc: Y.Doc) => readServicePlan(doc);
/** Section kinds (custom ones by title) of one zone, in reading order. */
const zone = (doc: Y.Doc, z: Zone) =>
  plan(doc)
    .sections.filter((s) => s.zone === z)
    .map((s) => (s.kind === 'custom' ? s.title : s.kind));
const section = (doc: Y.Doc, kind: string) => plan(doc).sections.find((s) => s.kind === kind)!;
const names = (doc: Y.Doc) => plan(doc).contacts.map((c) => c.name);

describe('seedServicePlan', () => {
  it('gives a new plan the twelve IMR sections, empty, in green, yellow and red order', () => {
    const doc = seeded();
    const { sections, contacts, problems, reviewedAt, nextReviewAt } = plan(doc);
    expect(sections.map((s) => [s.zone, s.kind])).toEqual(STANDARD_SECTIONS.map((s) => [s.zone, s.kind]));
    for (const s of sections) {
      expect(s.body).toBeInstanceOf(Y.XmlFragment);
      expect(s.body!.length).toBe(0);
      expect(s.title).toBe('');
    }
    expect([contacts, problems, reviewedAt, nextReviewAt]).toEqual([[], [], undefined, undefined]);
  });

  it('does nothing to a plan that has sections already', () => {
    const doc = seeded();
    const ids = plan(doc).sections.map((s) => s.id);
    seedServicePlan(doc);
    expect(plan(doc).sections.map((s) => s.id)).toEqual(ids);
  });
});

describe('custom sections', () => {
  it('are added at the end of their own zone', () => {
    const doc = seeded();
    addCustomSection(doc, { title: 'My dog', zone: 'green' });
    addCustomSection(doc, { title: 'Money', zone: 'red' });
    addCustomSection(doc, { title: 'Music', zone: 'green' });
    expect(zone(doc, 'green')).toEqual(['wellness', 'keepsMeWell', 'My dog', 'Music']);
    expect(zone(doc, 'red').at(-1)).toBe('Money');
    expect(plan(doc).sections.find((s) => s.title === 'Money')!.body).toBeInstanceOf(Y.XmlFragment);
  });

  it('are renamed, moved within their zone and deleted', () => {
    const doc = seeded();
    const id = addCustomSection(doc, { title: 'My dog', zone: 'yellow' });
    renameSection(doc, id, '  My dog Fido ');
    expect(zone(doc, 'yellow').at(-1)).toBe('My dog Fido');
    moveSection(doc, id, 0);
    expect(zone(doc, 'yellow')).toEqual([
      'My dog Fido',
      'triggers',
      'warningSigns',
      'whatIDo',
      'whatOthersDo',
    ]);
    deleteSection(doc, id);
    expect(zone(doc, 'yellow')).toEqual(['triggers', 'warningSigns', 'whatIDo', 'whatOthersDo']);
  });

  it('refuse an empty or over-long title, an unknown zone and a section that does not exist', () => {
    const doc = seeded();
    refuses(() => addCustomSection(doc, { title: ' ', zone: 'green' }), 'invalidInput');
    refuses(
      () => addCustomSection(doc, { title: 'x'.repeat(MAX_SHORT_TEXT + 1), zone: 'green' }),
      'invalidInput',
    );
    refuses(() => addCustomSection(doc, { title: 'x', zone: 'blue' as never }), 'invalidInput');
    const id = addCustomSection(doc, { title: 'x', zone: 'green' });
    refuses(() => renameSection(doc, id, ''), 'invalidInput');
    refuses(() => renameSection(doc, 'no-such-section-id0', 'x'), 'notFound');
    refuses(() => deleteSection(doc, 'no-such-section-id0'), 'notFound');
    refuses(() => moveSection(doc, 'no-such-section-id0', 0), 'notFound');
  });

  it('are not left half-made by a refused command', () => {
    const doc = seeded();
    refuses(() => addCustomSection(doc, { title: ' ', zone: 'green' }), 'invalidInput');
    expect(plan(doc).sections).toHaveLength(12);
    expect(plan(doc).problems).toEqual([]);
  });
});

describe('standard sections', () => {
  it('cannot be renamed or deleted, only moved within their zone', () => {
    const doc = seeded();
    const triggers = section(doc, 'triggers');
    refuses(() => renameSection(doc, triggers.id, 'Bad days'), 'notCustom');
    refuses(() => deleteSection(doc, triggers.id), 'notCustom');
    moveSection(doc, section(doc, 'whatOthersDo').id, 0);
    expect(zone(doc, 'yellow')).toEqual(['whatOthersDo', 'triggers', 'warningSigns', 'whatIDo']);
    moveSection(doc, section(doc, 'wellness').id, 99);
    expect(zone(doc, 'green')).toEqual(['keepsMeWell', 'wellness']);
    expect(zone(doc, 'red')).toEqual(STANDARD_SECTIONS.filter((s) => s.zone === 'red').map((s) => s.kind));
  });
});

describe('contacts', () => {
  it('are added at the end with the defaults of a new contact', () => {
    const doc = new Y.Doc();
    const id = addContact(doc, { name: 'Mum' });
    addContact(doc, {
      name: 'Crisis team',
      relation: 'Clinic',
      phone: '+47 22 00 00 00',
      role: 'crisis-line',
      whatTheyDo: 'Answers day and night',
    });
    expect(plan(doc).contacts).toMatchObject([
      { id, name: 'Mum', relation: '', phone: '', role: 'other', whatTheyDo: '' },
      { name: 'Crisis team', relation: 'Clinic', phone: '+47 22 00 00 00', role: 'crisis-line' },
    ]);
  });

  it('are changed field by field, moved and deleted', () => {
    const doc = new Y.Doc();
    const [a, b, c] = ['Mum', 'Dad', 'GP'].map((name) => addContact(doc, { name }));
    updateContact(doc, c!, { role: 'clinician', phone: '(+46) 8-123 45.67' });
    expect(plan(doc).contacts[2]).toMatchObject({
      name: 'GP',
      role: 'clinician',
      phone: '(+46) 8-123 45.67',
    });
    moveContact(doc, c!, 0);
    expect(names(doc)).toEqual(['GP', 'Mum', 'Dad']);
    moveContact(doc, a!, 2);
    expect(names(doc)).toEqual(['GP', 'Dad', 'Mum']);
    deleteContact(doc, b!);
    expect(names(doc)).toEqual(['GP', 'Mum']);
  });

  it.each([
    ['an empty name', { name: '' }],
    ['letters for a phone number', { name: 'x', phone: 'call me' }],
    ['a phone number with a script in it', { name: 'x', phone: '<script>' }],
    ['a phone number too long to be one', { name: 'x', phone: '1'.repeat(41) }],
    ['an unknown role', { name: 'x', role: 'boss' as never }],
    ['an over-long relation', { name: 'x', relation: 'r'.repeat(MAX_SHORT_TEXT + 1) }],
  ])('refuse %s', (_what, input) => {
    refuses(() => addContact(new Y.Doc(), input), 'invalidInput');
  });

  it('refuse commands on a contact that does not exist', () => {
    const doc = new Y.Doc();
    refuses(() => updateContact(doc, 'no-such-contact-id0', { name: 'x' }), 'notFound');
    refuses(() => deleteContact(doc, 'no-such-contact-id0'), 'notFound');
    refuses(() => moveContact(doc, 'no-such-contact-id0', 0), 'notFound');
  });

  it('are not left half-made or half-changed by a refused command', () => {
    const doc = new Y.Doc();
    refuses(() => addContact(doc, { name: 'Mum', phone: 'call me' }), 'invalidInput');
    expect(plan(doc).contacts).toEqual([]);
    const id = addContact(doc, { name: 'Dad' });
    refuses(() => updateContact(doc, id, { name: 'Father', role: 'boss' as never }), 'invalidInput');
    expect(names(doc)).toEqual(['Dad']);
  });
});

describe('setReviewDates', () => {
  it('sets, keeps and clears "reviewed on" and "next review"', () => {
    const doc = seeded();
    setReviewDates(doc, { reviewedAt: '2025-01-15', nextReviewAt: '2025-07-15' });
    expect(plan(doc)).toMatchObject({ reviewedAt: '2025-01-15', nextReviewAt: '2025-07-15' });
    setReviewDates(doc, { nextReviewAt: '2025-08-01' });
    expect(plan(doc)).toMatchObject({ reviewedAt: '2025-01-15', nextReviewAt: '2025-08-01' });
    setReviewDates(doc, { reviewedAt: null, nextReviewAt: '' });
    expect(plan(doc).reviewedAt).toBeUndefined();
    expect(plan(doc).nextReviewAt).toBeUndefined();
  });

  it('refuses a date that is not a real YYYY-MM-DD day', () => {
    const doc = seeded();
    refuses(() => setReviewDates(doc, { reviewedAt: '15.01.2025' }), 'invalidInput');
    refuses(() => setReviewDates(doc, { nextReviewAt: '2025-04-31' }), 'invalidInput');
  });
});

describe('every plan command', () => {
  it('is one transaction with the origin "local"', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    seedServicePlan(doc);
    const s = addCustomSection(doc, { title: 'x', zone: 'red' });
    renameSection(doc, s, 'y');
    moveSection(doc, s, 0);
    deleteSection(doc, s);
    const c = addContact(doc, { name: 'x' });
    updateContact(doc, c, { name: 'y' });
    moveContact(doc, c, 0);
    deleteContact(doc, c);
    setReviewDates(doc, { reviewedAt: '2025-01-01' });
    expect(origins).toEqual(Array(10).fill('local'));
  });
});
