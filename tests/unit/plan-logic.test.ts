import { describe, expect, it } from 'vitest';
import { CommandError, type Section } from '../../core/model/index.ts';
import { isReviewOverdue, sectionTitle, sectionsByZone } from '../../components/plan/logic.ts';
import { formatDate, localToday, telHref } from '../../components/shared/format.ts';
import { isPhoneNumber } from '../../core/model/index.ts';
import { commandErrorKey } from '../../components/shared/commands.tsx';
import { moveTarget } from '../../components/shared/MoveButtons.tsx';

const section = (
  id: string,
  zone: Section['zone'],
  kind: Section['kind'] = 'custom',
  title = '',
): Section => ({
  id,
  zone,
  kind,
  title,
  order: id,
  body: null,
  empty: true,
});

describe('a phone number as a tel: link', () => {
  it('keeps only the digits, and a leading plus for international numbers', () => {
    expect(telHref('+47 22 33 44 55')).toBe('tel:+4722334455');
    expect(telHref('(08) 123-45.67')).toBe('tel:081234567');
    expect(telHref('116 123')).toBe('tel:116123');
  });

  it('drops a plus that is not at the start, so the link still dials the digits', () => {
    expect(telHref('22+33')).toBe('tel:2233');
    expect(telHref(' +46 (0)8 1+2')).toBe('tel:+460812');
  });

  it('is no link at all when there is no digit to call', () => {
    expect(telHref('')).toBeNull();
    expect(telHref('+ ( ) -')).toBeNull();
  });
});

describe('what counts as a phone number', () => {
  it('accepts digits, spaces and the usual punctuation, and an empty field', () => {
    expect(isPhoneNumber('+47 22 33 44 55')).toBe(true);
    expect(isPhoneNumber('(08) 123-45.67')).toBe(true);
    expect(isPhoneNumber('')).toBe(true);
  });

  it('refuses letters and overlong input', () => {
    expect(isPhoneNumber('call me')).toBe(false);
    expect(isPhoneNumber('22 33 44 55 ext 2')).toBe(false);
    expect(isPhoneNumber('1'.repeat(41))).toBe(false);
  });
});

describe('the review reminder', () => {
  it('comes the day after the planned review, not on the day', () => {
    expect(isReviewOverdue('2025-03-10', '2025-03-10')).toBe(false);
    expect(isReviewOverdue('2025-03-10', '2025-03-11')).toBe(true);
    expect(isReviewOverdue('2025-03-10', '2025-03-09')).toBe(false);
  });

  it('does not come when no next review is planned', () => {
    expect(isReviewOverdue(undefined, '2025-03-11')).toBe(false);
  });

  it("uses the device's own calendar day for today", () => {
    expect(localToday(new Date(2025, 0, 5, 23, 59))).toBe('2025-01-05');
    expect(localToday(new Date(2025, 11, 31, 0, 1))).toBe('2025-12-31');
  });

  it('writes dates in the reader’s language', () => {
    expect(formatDate('2025-03-04', 'en')).toBe('4 March 2025');
    expect(formatDate('2025-03-04', 'nb')).toBe('4. mars 2025');
    expect(formatDate('2025-03-04', 'sv')).toBe('4 mars 2025');
  });
});

describe('moving an item one place', () => {
  it('goes to the neighbouring index, counted without the moved item', () => {
    expect(moveTarget(2, 4, 'up')).toBe(1);
    expect(moveTarget(1, 4, 'down')).toBe(2);
  });

  it('stops at either end', () => {
    expect(moveTarget(0, 4, 'up')).toBeNull();
    expect(moveTarget(3, 4, 'down')).toBeNull();
    expect(moveTarget(0, 1, 'down')).toBeNull();
  });
});

describe('sections by zone', () => {
  it('lists green, yellow and red in that order, each with its own sections in reading order', () => {
    const zones = sectionsByZone([section('a', 'green'), section('b', 'red'), section('c', 'green')]);
    expect(zones.map((z) => [z.zone, z.sections.map((s) => s.id)])).toEqual([
      ['green', ['a', 'c']],
      ['yellow', []],
      ['red', ['b']],
    ]);
  });

  it('names a standard section by locale and a custom one by its own title', () => {
    const t = (key: string) => `[${key}]`;
    expect(sectionTitle(section('a', 'yellow', 'warningSigns', 'ignored'), t)).toBe(
      '[plan.section.warningSigns.title]',
    );
    expect(sectionTitle(section('b', 'red', 'custom', 'Medicines'), t)).toBe('Medicines');
    expect(sectionTitle(section('c', 'red', 'custom', ''), t)).toBe('[plan.section.custom.title]');
  });
});

describe('why a command refused, in words', () => {
  it('has a message for each reason and for anything unexpected', () => {
    expect(commandErrorKey(new CommandError('invalidInput', 'x'))).toBe('app.commandError.invalidInput');
    expect(commandErrorKey(new CommandError('notFound', 'x'))).toBe('app.commandError.notFound');
    expect(commandErrorKey(new Error('disk full'))).toBe('app.commandError.failed');
  });
});
