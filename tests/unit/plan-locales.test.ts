/**
 * The service plan's words: the section titles are the official ones of IMR.md in every
 * language (they are also the editors' accessible names, and the crisis card reuses
 * `plan.section.<kind>.title`), and every section, zone and contact role has its text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTACT_ROLES, SECTION_KINDS, STANDARD_SECTIONS, ZONES } from '../../core/model/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const messages = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(path.join(ROOT, 'locales', lang, 'plan.json'), 'utf8')) as Record<string, string>;

/** IMR.md, "Service plan": zone, kind, English, Norsk, Svenska. */
const IMR_TABLE = [
  ['green', 'wellness', 'When I am well', 'Når jeg har det bra', 'När jag mår bra'],
  ['green', 'keepsMeWell', 'What keeps me well', 'Dette holder meg frisk', 'Det här håller mig frisk'],
  ['yellow', 'triggers', 'Triggers', 'Utløsende situasjoner', 'Utlösande situationer'],
  ['yellow', 'warningSigns', 'Early warning signs', 'Tidlige varseltegn', 'Tidiga varningstecken'],
  ['yellow', 'whatIDo', 'What I do', 'Dette gjør jeg', 'Det här gör jag'],
  ['yellow', 'whatOthersDo', 'What others can do', 'Dette kan andre gjøre', 'Det här kan andra göra'],
  [
    'red',
    'takeOverSigns',
    'Signs that others need to step in',
    'Tegn på at andre må ta over',
    'Tecken på att andra behöver ta över',
  ],
  [
    'red',
    'crisisWishes',
    'Treatment wishes in a crisis',
    'Behandlingsønsker i krise',
    'Önskemål om vård i kris',
  ],
  ['red', 'howToMeetMe', 'How I want to be met', 'Slik vil jeg bli møtt', 'Så vill jag bli bemött'],
  ['red', 'notHelpful', 'What does not help', 'Dette hjelper ikke', 'Det här hjälper inte'],
  ['red', 'practical', 'Practical matters', 'Praktiske ting', 'Praktiska saker'],
  [
    'red',
    'doNotInvolve',
    'People not to involve',
    'Personer som ikke skal kontaktes',
    'Personer som inte ska kontaktas',
  ],
] as const;

describe('the service plan messages', () => {
  it('name the standard sections exactly as IMR.md does, in English, Norwegian and Swedish', () => {
    const [en, nb, sv] = ['en', 'nb', 'sv'].map(messages);
    const table = STANDARD_SECTIONS.map(({ zone, kind }) => [
      zone,
      kind,
      en![`section.${kind}.title`],
      nb![`section.${kind}.title`],
      sv![`section.${kind}.title`],
    ]);
    expect(table).toEqual(IMR_TABLE.map((row) => [...row]));
  });

  it('give every section kind a one-line prompt in every language', () => {
    for (const lang of ['en', 'nb', 'sv']) {
      const m = messages(lang);
      for (const kind of SECTION_KINDS) {
        const prompt = m[`section.${kind}.prompt`];
        expect(prompt, `${lang} section.${kind}.prompt`).toMatch(/\S/);
        expect(prompt, `${lang} section.${kind}.prompt`).not.toContain('\n');
      }
    }
  });

  it('keep the prompts IMR.md gives as examples', () => {
    const en = messages('en');
    expect(en['section.triggers.prompt']).toBe(
      'situations that have set off a relapse before, and how I handle them',
    );
    expect(en['section.warningSigns.prompt']).toBe('noticed by me or by others');
    expect(en['section.whatOthersDo.prompt']).toBe('who, and what');
    expect(en['section.crisisWishes.prompt']).toBe('what I want, what I accept, what I do not want');
    expect(en['section.practical.prompt']).toBe('children, pets, bills, work');
  });

  it('name every zone and every contact role in every language', () => {
    for (const lang of ['en', 'nb', 'sv']) {
      const m = messages(lang);
      for (const zone of ZONES) expect(m[`zone.${zone}`], `${lang} zone.${zone}`).toMatch(/\S/);
      for (const role of CONTACT_ROLES) expect(m[`role.${role}`], `${lang} role.${role}`).toMatch(/\S/);
    }
  });

  it('use the contract names of issue 2 for the contact fields and the add buttons', () => {
    const en = messages('en');
    expect([en.addSection, en.addContact, en.name, en.phone]).toEqual([
      'Add section',
      'Add contact',
      'Name',
      'Phone',
    ]);
  });
});
