/**
 * `t.plural` counts by the locale's own plural rules (Intl.PluralRules), with the real
 * messages of locales/: "1 of 1 step done", never "1 of 1 steps done".
 */
import { describe, expect, it } from 'vitest';
import { pluralCategory, translator } from '../../hooks/i18n.tsx';

const stepsDone = (locale: 'en' | 'nb' | 'sv', done: number, total: number) =>
  translator(locale).plural('goals.stepsDone', total, { done });

describe('t.plural', () => {
  it('says "step" for one and "steps" otherwise in English', () => {
    expect(stepsDone('en', 1, 1)).toBe('1 of 1 step done');
    expect(stepsDone('en', 0, 1)).toBe('0 of 1 step done');
    expect(stepsDone('en', 1, 2)).toBe('1 of 2 steps done');
    expect(stepsDone('en', 0, 0)).toBe('0 of 0 steps done');
    expect(stepsDone('en', 21, 21)).toBe('21 of 21 steps done');
  });

  it('says "steg" for one and many in Norwegian, as bokmål does', () => {
    expect(stepsDone('nb', 1, 1)).toBe('1 av 1 steg gjort');
    expect(stepsDone('nb', 2, 3)).toBe('2 av 3 steg gjort');
  });

  it('says "klart" for one and "klara" for many in Swedish', () => {
    expect(stepsDone('sv', 1, 1)).toBe('1 av 1 steg klart');
    expect(stepsDone('sv', 0, 1)).toBe('0 av 1 steg klart');
    expect(stepsDone('sv', 2, 3)).toBe('2 av 3 steg klara');
  });

  it('picks the category of each locale from Intl.PluralRules', () => {
    for (const locale of ['en', 'nb', 'sv'] as const) {
      expect([0, 1, 2, 5, 21].map((n) => pluralCategory(locale, n))).toEqual([
        'other',
        'one',
        'other',
        'other',
        'other',
      ]);
    }
  });

  it('fills {count} itself and shows an unknown key as the key', () => {
    expect(translator('en').plural('goals.nothingHere', 3)).toBe('goals.nothingHere');
    expect(translator('sv').plural('exchange.stepsDone', 4, { done: 4 })).toBe('4 av 4 steg klara');
  });

  it('leaves the plain t(key, params) as it was', () => {
    const t = translator('nb');
    expect(t('goals.addGoal')).toBe('Legg til mål');
    expect(t('goals.deleted', { text: 'Gå tur' })).toBe('Slettet «Gå tur».');
    expect(t('goals.overdueSince', { date: '3. desember 2026' })).toBe('Fristen gikk ut 3. desember 2026');
  });
});
