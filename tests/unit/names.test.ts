/**
 * Display names (core/access/names.ts): the check the server and the forms share refuses
 * every kind of name that could deceive another member, and lets through real names in any
 * script; duplicates become "Anna (2)".
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_NAME_LENGTH,
  NAME_PROBLEMS,
  checkDisplayName,
  distinctName,
  nameKey,
  type NameProblem,
} from '../../core/access/index.ts';

const refused = (raw: string): NameProblem | null => {
  const check = checkDisplayName(raw);
  return check.ok ? null : check.reason;
};
const accepted = (raw: string): string => {
  const check = checkDisplayName(raw);
  if (!check.ok) throw new Error(`refused ${JSON.stringify(raw)}: ${check.reason}`);
  return check.name;
};

describe('checkDisplayName', () => {
  it.each([
    ['Norwegian', 'Kari Nordmann'],
    ['Norwegian letters', 'Ærlige Øyvind Åsen'],
    ['Swedish', 'Åsa Öberg'],
    ['Northern Sámi', 'Máret Ŋuolja Čoavddáš'],
    ['Arabic (right-to-left letters)', 'مريم'],
    ['Hebrew next to Latin', 'Dana דנה'],
    ['Chinese', '王小明'],
    ['Japanese', 'さくら'],
    ['Korean', '김민준'],
    ['Devanagari with a conjunct', 'क्षमा'],
    ['Persian with a zero-width non-joiner', 'می\u200Cخواهم'],
    ['Greek', 'Αθηνά'],
    ['Cyrillic', 'Наталья'],
    ['Vietnamese', 'Nguyễn Thị Hương'],
    ['an emoji with a zero-width joiner', 'Anna 👩‍⚕️'],
    ['a family emoji', '👨‍👩‍👧‍👦'],
    ['a flame heart (joiner after a variation selector)', 'Ola ❤️‍🔥'],
    ['a skin tone', 'Per 👍🏽'],
    ['a tag-sequence flag', 'Eilidh 🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
    ['a keycap', 'Team 1️⃣'],
    ['punctuation and digits', "O'Brien-Smith Jr. (2nd)"],
  ])('accepts %s', (_what, name) => {
    expect(accepted(name)).toBe(name);
  });

  it('stores names in NFC, so "e" with a combining accent is "é"', () => {
    expect(accepted('Ine\u0301s')).toBe('Inés');
    expect(accepted('Ine\u0301s')).toBe(accepted('In\u00e9s'));
    expect(accepted('A\u030Asa')).toBe('Åsa');
  });

  it('trims the name and makes runs of spaces one space', () => {
    expect(accepted('  Kari \u00a0\u3000 Nordmann\n')).toBe('Kari Nordmann');
  });

  it('refuses an empty name and a name of spaces', () => {
    expect(refused('')).toBe('empty');
    expect(refused(' \u3000\u00a0\t ')).toBe('empty');
  });

  it('refuses C0 and C1 control characters and line breaks inside the name', () => {
    for (const c of [
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u009b',
      '\u0080',
      '\n',
      '\u2028',
      '\u2029',
    ]) {
      expect(refused(`An${c}na`), `U+${c.codePointAt(0)!.toString(16)}`).toBe('control');
    }
  });

  it('refuses every text direction control, also around right-to-left letters', () => {
    const controls = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E'];
    controls.push('\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C');
    for (const c of controls) {
      expect(refused(`Anna${c}tsipareht`), `U+${c.codePointAt(0)!.toString(16)}`).toBe('bidi');
    }
    expect(refused('مريم\u200F')).toBe('bidi');
  });

  it('refuses names made only of zero-width, filler or blank characters', () => {
    for (const name of [
      '\u200B',
      '\u3164',
      '\u115F',
      '\u1160',
      '\uFFA0',
      '\u2800',
      '\u200B\u200C\u200D',
      '\u2060',
      '\uFEFF\u200B',
      '\u00AD',
      '\u{1D159}',
      '\u0301',
    ]) {
      expect(refused(name), JSON.stringify(name)).toBe('invisible');
    }
  });

  it('refuses invisible characters hidden inside a visible name', () => {
    expect(refused('An\u200Bna')).toBe('invisible');
    expect(refused('Anna\u3164')).toBe('invisible');
    expect(refused('Anna\u2800Therapist')).toBe('invisible');
    expect(refused('Anna\u{E0041}\u{E0042}')).toBe('invisible'); // tag letters: hidden text
    expect(refused('An\u00ADna')).toBe('invisible');
    expect(refused('Anna\u2062')).toBe('invisible');
  });

  it('refuses a joiner or variation selector that joins nothing visible', () => {
    expect(refused('Anna\u200D')).toBe('invisible');
    expect(refused('\u200DAnna')).toBe('invisible');
    expect(refused('Anna \u200D Per')).toBe('invisible');
    expect(refused('Anna\uFE0F\uFE0F')).toBe('invisible');
    expect(refused('\uFE0FAnna')).toBe('invisible');
  });

  it('refuses lone surrogates, which would be stored as something else', () => {
    expect(refused('Anna\uD800')).toBe('surrogate');
    expect(refused('\uDC00Anna')).toBe('surrogate');
    expect(refused('\uDE00\uD83D')).toBe('surrogate'); // the halves of 😀 in the wrong order
    expect(accepted('\uD83D\uDE00')).toBe('😀');
  });

  it('refuses unassigned code points, noncharacters and private use', () => {
    for (const c of ['\u0378', '\uFFFF', '\uFDD0', '\uE000', '\uF8FF', '\u{10FFFD}']) {
      expect(refused(`Anna${c}`), `U+${c.codePointAt(0)!.toString(16)}`).toBe('unassigned');
    }
  });

  it('refuses a character piled with combining marks, and accepts a few', () => {
    // "x" composes with none of these, so NFC leaves all the marks on it.
    const marks = '\u0301\u0300\u0302\u0303\u0304\u0306\u0307\u0308\u030A';
    expect(refused(`Ax${marks}`)).toBe('marks');
    expect(accepted(`Ax${marks.slice(1)}`)).toBe(`Ax${marks.slice(1)}`);
    expect(accepted('Ệ')).toBe('Ệ');
  });

  it(`counts the length in characters as a person sees them, at most ${MAX_NAME_LENGTH}`, () => {
    expect(accepted('a'.repeat(MAX_NAME_LENGTH))).toHaveLength(MAX_NAME_LENGTH);
    expect(refused('a'.repeat(MAX_NAME_LENGTH + 1))).toBe('tooLong');
    // 40 doctor emoji are 40 characters though 200 UTF-16 units.
    expect(accepted('👩‍⚕️'.repeat(40))).toHaveLength(200);
    expect(refused('王'.repeat(MAX_NAME_LENGTH + 1))).toBe('tooLong');
    expect(refused('👨‍👩‍👧‍👦'.repeat(60))).toBe('tooLong');
  });

  it('has a reason for every refusal it can give', () => {
    expect([...NAME_PROBLEMS].sort()).toEqual(
      ['bidi', 'control', 'empty', 'invisible', 'marks', 'surrogate', 'tooLong', 'unassigned'].sort(),
    );
  });
});

describe('distinctName', () => {
  it('keeps a name nobody else has', () => {
    expect(distinctName('Anna', ['Per', 'Kari'])).toBe('Anna');
    expect(distinctName('Anna', [])).toBe('Anna');
  });

  it('adds the lowest free number to a taken name', () => {
    expect(distinctName('Anna', ['Anna'])).toBe('Anna (2)');
    expect(distinctName('Anna', ['Anna', 'Anna (2)'])).toBe('Anna (3)');
    expect(distinctName('Anna', ['Anna', 'Anna (3)'])).toBe('Anna (2)');
  });

  it('compares without case, accents written two ways, width or joiners', () => {
    expect(distinctName('anna', ['Anna'])).toBe('anna (2)');
    expect(distinctName('ÅSA', ['åsa'])).toBe('ÅSA (2)');
    expect(distinctName('Inés', ['Ine\u0301s'])).toBe('Inés (2)');
    expect(distinctName('Ａnna', ['Anna'])).toBe('Ａnna (2)');
    expect(distinctName('Straße', ['STRASSE'])).toBe('Straße (2)');
    expect(nameKey('👩‍⚕️')).toBe(nameKey('👩⚕'));
  });

  it('replaces a number the person wrote rather than stacking numbers', () => {
    expect(distinctName('Anna (2)', ['Anna', 'Anna (2)'])).toBe('Anna (3)');
  });

  it('shortens a long name so that the numbered name still passes the check', () => {
    const long = 'a'.repeat(MAX_NAME_LENGTH);
    const name = distinctName(long, [long]);
    expect(name).toBe('a'.repeat(MAX_NAME_LENGTH - 4) + ' (2)');
    expect(checkDisplayName(name)).toEqual({ ok: true, name });
    const emoji = '👩‍⚕️'.repeat(MAX_NAME_LENGTH);
    expect(checkDisplayName(emoji).ok).toBe(false);
    const wide = '👩‍⚕️'.repeat(64);
    expect(checkDisplayName(wide).ok).toBe(true);
    expect(checkDisplayName(distinctName(wide, [wide])).ok).toBe(true);
  });
});
