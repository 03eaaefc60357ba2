import * as Y from 'yjs';
import { newId } from './ids.ts';
import { keyAtEnd, keyBetween, planMove } from './order.ts';
import { contactsRoot, metaRoot, sectionsRoot } from './read.ts';
import { CommandError } from './errors.ts';
import { CONTACT_ROLES, STANDARD_SECTIONS, ZONES, isOneOf, type ContactRole, type Zone } from './schema.ts';
import { applyWrites, change, cleanText, dateWrite, itemAt, siblingsOf, type Writes } from './write.ts';

/** Commands on the `plan` doc (the service plan). Each is one transaction, origin `local`. */

/**
 * Gives a brand-new plan its standard sections, empty, in IMR.md order. Only the device that
 * creates a plan calls this; a device that joins one receives the sections by sync.
 */
export function seedServicePlan(doc: Y.Doc): void {
  const sections = sectionsRoot(doc);
  if (sections.size > 0) return;
  change(doc, () => {
    let previous: string | null = null;
    for (const { kind, zone } of STANDARD_SECTIONS) {
      const section = new Y.Map<unknown>();
      const order = keyBetween(previous, null);
      previous = order;
      sections.set(newId(), section);
      section.set('kind', kind);
      section.set('zone', zone);
      section.set('order', order);
      section.set('body', new Y.XmlFragment());
    }
  });
}

const inZone = (zone: Zone) => (item: Y.Map<unknown>) => item.get('zone') === zone;

/**
 * Adds a custom section with a title at the end of its zone and returns its id. Throws CommandError
 * 'invalidInput' for an unknown zone or an empty or too long title.
 */
export function addCustomSection(doc: Y.Doc, input: { title: string; zone: Zone }): string {
  if (!isOneOf(ZONES, input.zone)) throw new CommandError('invalidInput', 'unknown zone');
  const title = cleanText(input.title ?? '', { required: true });
  const sections = sectionsRoot(doc);
  const id = newId();
  change(doc, () => {
    const order = keyAtEnd(siblingsOf(sections, inZone(input.zone)));
    const section = new Y.Map<unknown>();
    sections.set(id, section);
    section.set('kind', 'custom');
    section.set('zone', input.zone);
    section.set('title', title);
    section.set('order', order);
    section.set('body', new Y.XmlFragment());
  });
  return id;
}

function customSection(doc: Y.Doc, sectionId: string): Y.Map<unknown> {
  const section = itemAt(sectionsRoot(doc), [sectionId]);
  if (section.get('kind') !== 'custom')
    throw new CommandError('notCustom', 'only custom sections change this way');
  return section;
}

/**
 * Retitles a custom section. Throws CommandError 'notFound' when the section does not exist, 'notCustom'
 * for a standard section, 'invalidInput' for an empty or too long title.
 */
export function renameSection(doc: Y.Doc, sectionId: string, title: string): void {
  const clean = cleanText(title ?? '', { required: true });
  change(doc, () => customSection(doc, sectionId).set('title', clean));
}

/**
 * Deletes a custom section. Throws CommandError 'notFound' when the section does not exist, 'notCustom' for
 * a standard section, which a plan always keeps.
 */
export function deleteSection(doc: Y.Doc, sectionId: string): void {
  change(doc, () => {
    customSection(doc, sectionId);
    sectionsRoot(doc).delete(sectionId);
  });
}

/** Moves a section to `toIndex` among the sections of its own zone. */
export function moveSection(doc: Y.Doc, sectionId: string, toIndex: number): void {
  const sections = sectionsRoot(doc);
  change(doc, () => {
    const zone = itemAt(sections, [sectionId]).get('zone');
    const siblings = siblingsOf(sections, (s) => s.get('zone') === zone);
    for (const [id, key] of planMove(siblings, sectionId, toIndex)) {
      (sections.get(id) as Y.Map<unknown>).set('order', key);
    }
  });
}

export interface ContactInput {
  name: string;
  relation?: string;
  phone?: string;
  role?: ContactRole;
  whatTheyDo?: string;
}

/** Digits, spaces and the usual phone punctuation; anything else is not a phone number. */
const PHONE_PATTERN = /^[+0-9 ()./-]{0,40}$/;

/** Whether `text` (as typed, before trimming) is acceptable as a contact's phone number. */
export function isPhoneNumber(text: string): boolean {
  return PHONE_PATTERN.test(text.replace(/[\r\n]+/g, ' ').trim());
}

function contactWrites(patch: Partial<ContactInput>): Writes {
  const writes: Writes = [];
  if (patch.name !== undefined) writes.push(['name', cleanText(patch.name, { required: true })]);
  if (patch.relation !== undefined) writes.push(['relation', cleanText(patch.relation)]);
  if (patch.phone !== undefined) {
    const phone = cleanText(patch.phone);
    if (!PHONE_PATTERN.test(phone)) throw new CommandError('invalidInput', 'not a phone number');
    writes.push(['phone', phone]);
  }
  if (patch.role !== undefined) {
    if (!isOneOf(CONTACT_ROLES, patch.role)) throw new CommandError('invalidInput', 'unknown role');
    writes.push(['role', patch.role]);
  }
  if (patch.whatTheyDo !== undefined) writes.push(['whatTheyDo', cleanText(patch.whatTheyDo)]);
  return writes;
}

/**
 * Adds a contact at the end of the list (role `other` unless given) and returns its id. Throws CommandError
 * 'invalidInput' for an empty name, a phone that fails `isPhoneNumber`, an unknown role or too long text.
 */
export function addContact(doc: Y.Doc, input: ContactInput): string {
  const contacts = contactsRoot(doc);
  const id = newId();
  const writes = contactWrites({ ...input, name: input.name ?? '' });
  change(doc, () => {
    const order = keyAtEnd(siblingsOf(contacts));
    const contact = new Y.Map<unknown>();
    contacts.set(id, contact);
    contact.set('relation', '');
    contact.set('phone', '');
    contact.set('role', 'other');
    contact.set('whatTheyDo', '');
    contact.set('order', order);
    applyWrites(contact, writes);
  });
  return id;
}

/**
 * Changes the given fields of a contact. Throws CommandError 'notFound' when the contact does not exist,
 * 'invalidInput' for a value `addContact` would refuse.
 */
export function updateContact(doc: Y.Doc, contactId: string, patch: Partial<ContactInput>): void {
  const writes = contactWrites(patch);
  change(doc, () => applyWrites(itemAt(contactsRoot(doc), [contactId]), writes));
}

/** Deletes a contact. Throws CommandError 'notFound' when the contact does not exist. */
export function deleteContact(doc: Y.Doc, contactId: string): void {
  change(doc, () => {
    itemAt(contactsRoot(doc), [contactId]);
    contactsRoot(doc).delete(contactId);
  });
}

/**
 * Moves a contact to `toIndex` in the list (0 = first). Throws CommandError 'notFound' when the contact does
 * not exist.
 */
export function moveContact(doc: Y.Doc, contactId: string, toIndex: number): void {
  const contacts = contactsRoot(doc);
  change(doc, () => {
    itemAt(contacts, [contactId]);
    for (const [id, key] of planMove(siblingsOf(contacts), contactId, toIndex)) {
      (contacts.get(id) as Y.Map<unknown>).set('order', key);
    }
  });
}

/** Sets "reviewed on" / "next review"; `null` clears a date, `undefined` leaves it. */
export function setReviewDates(
  doc: Y.Doc,
  dates: { reviewedAt?: string | null; nextReviewAt?: string | null },
): void {
  const writes: Writes = [];
  dateWrite(writes, 'reviewedAt', dates.reviewedAt);
  dateWrite(writes, 'nextReviewAt', dates.nextReviewAt);
  change(doc, () => applyWrites(metaRoot(doc), writes));
}
