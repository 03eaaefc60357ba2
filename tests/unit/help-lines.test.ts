/**
 * Help lines: the operator's list is read by the same rules on the server (the file) and on
 * the device (the token answer), kept per plan on the device, and the country is a setting.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { COUNTRIES, parseHelpLines } from '../../core/access/index.ts';
import { addPlanEntry, readRegistry, setCountry, updatePlanHelpLines } from '../../core/sync/registry.ts';
import { newPlanId } from '../../core/model/index.ts';
import { COUNTRY_OF_LOCALE, HELP_LINES } from '../../components/crisis/help-lines.ts';
import { telHref } from '../../components/shared/format.ts';
import { LOCALES } from '../../core/sync/index.ts';

const clinic = [
  { name: 'Solbakken DPS, akutteam', phone: '+47 22 00 00 00', what: 'Hverdager 08–22.' },
  { name: 'Invented line', phone: '(0)123-45.67', what: 'Any time.', source: 'made up for a test' },
];

describe('an operator’s help lines', () => {
  it('reads a list of lines, trimmed', () => {
    expect(parseHelpLines([{ ...clinic[0], name: '  Solbakken DPS, akutteam ' }, clinic[1]])).toEqual(clinic);
    expect(parseHelpLines([])).toEqual([]);
  });

  it.each([
    ['not a list', { lines: clinic }],
    ['a line without a number', [{ name: 'A', what: 'B' }]],
    ['a number nobody can dial', [{ name: 'A', phone: 'call us', what: 'B' }]],
    ['a number too short to be one', [{ name: 'A', phone: '12', what: 'B' }]],
    ['an empty name', [{ name: ' ', phone: '113', what: 'B' }]],
    ['a name too long', [{ name: 'x'.repeat(81), phone: '113', what: 'B' }]],
    ['a source that is not text', [{ name: 'A', phone: '113', what: 'B', source: 7 }]],
    ['more lines than a card holds', Array.from({ length: 9 }, () => clinic[0])],
    ['one bad line among good ones', [clinic[0], null]],
  ])('refuses %s, whole', (_what, value) => {
    expect(parseHelpLines(value)).toBeNull();
  });
});

describe('the shipped help lines', () => {
  it('have a list for every country and a country for every language, each number dialable', () => {
    for (const c of COUNTRIES) {
      expect(HELP_LINES[c].length).toBeGreaterThan(0);
      for (const line of HELP_LINES[c]) {
        expect(telHref(line.phone)).toMatch(/^tel:\d{3,}$/);
        expect(line.source).toBeTruthy();
      }
    }
    for (const l of LOCALES) expect(COUNTRIES).toContain(COUNTRY_OF_LOCALE[l]);
    expect(HELP_LINES.NO.map((l) => l.phone)).toEqual(['113', '116 117', '116 123']);
    expect(HELP_LINES.SE.map((l) => l.phone)).toEqual(['112', '1177', '90101']);
  });
});

describe('the device keeps', () => {
  it('the clinic’s lines per plan, and forgets them when the server says there are none', () => {
    const doc = new Y.Doc();
    const planId = newPlanId();
    addPlanEntry(doc, { planId, name: 'Kari' });
    updatePlanHelpLines(doc, planId, clinic);
    expect(readRegistry(doc).plans[0]!.helpLines).toEqual(clinic);
    let writes = 0;
    doc.on('update', () => writes++);
    updatePlanHelpLines(doc, planId, clinic);
    expect(writes).toBe(0); // the same answer again writes nothing
    updatePlanHelpLines(doc, planId, []);
    expect(readRegistry(doc).plans[0]!.helpLines).toBeUndefined();
  });

  it('a kept list that no longer reads as one as none', () => {
    const doc = new Y.Doc();
    const planId = newPlanId();
    addPlanEntry(doc, { planId, name: 'Kari' });
    (doc.getMap('plans').get(planId) as Y.Map<unknown>).set('helpLines', [
      { name: 'A', phone: 'x', what: 'B' },
    ]);
    expect(readRegistry(doc).plans[0]!.helpLines).toBeUndefined();
  });

  it('the person’s country, which follows the language until set', () => {
    const doc = new Y.Doc();
    expect(readRegistry(doc).country).toBeNull();
    setCountry(doc, 'NO');
    expect(readRegistry(doc).country).toBe('NO');
    doc.getMap('settings').set('country', 'XX');
    expect(readRegistry(doc).country).toBeNull();
    setCountry(doc, 'SE');
    setCountry(doc, null);
    expect(readRegistry(doc).country).toBeNull();
  });
});
