import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { LOCALES, type Locale } from '../core/sync/index.ts';

type Messages = Record<string, string>;

/**
 * Messages live in `locales/<lang>/<namespace>.json`; a key is `<namespace>.<key>`, e.g.
 * `goals.addGoal`. Each feature owns its namespace file, in all three languages.
 */
const files = import.meta.glob<Messages>('../locales/*/*.json', { eager: true, import: 'default' });

const catalog: Record<Locale, Messages> = { en: {}, nb: {}, sv: {} };
for (const [path, messages] of Object.entries(files)) {
  const match = /locales\/(\w+)\/([\w-]+)\.json$/.exec(path);
  if (!match) continue;
  const [, lang, ns] = match;
  if (!(LOCALES as readonly string[]).includes(lang!)) continue;
  for (const [key, value] of Object.entries(messages)) catalog[lang as Locale][`${ns}.${key}`] = value;
}

/** The browser's preferred language among ours: Norwegian (nb, no, nn) → nb, Swedish → sv. */
export function browserLocale(languages: readonly string[] = navigator.languages): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'nb' || base === 'no' || base === 'nn') return 'nb';
    if (base === 'sv') return 'sv';
    if (base === 'en') return 'en';
  }
  return 'en';
}

type Params = Record<string, string | number>;

/**
 * `t('goals.addGoal')`, `t('goals.deleted', { text })`. `t.plural(key, count, params)` picks
 * `<key>.<category>` by the locale's plural rules (CLDR via Intl.PluralRules: en, nb and sv
 * have `one` and `other`), falls back to `<key>.other`, and fills `{count}` and `params`:
 * `t.plural('goals.stepsDone', 1, { done: 0 })` → "0 of 1 step done".
 */
export type Translate = (key: string, params?: Params) => string;

/** The translator `useI18n` gives: a `Translate` that also counts. */
export interface Translator extends Translate {
  plural(key: string, count: number, params?: Params): string;
}

/** Building an Intl.PluralRules is not free, and a board counts hundreds of things. */
const pluralRules = new Map<Locale, Intl.PluralRules>();

/** The CLDR plural category of `count` in `locale` (`one`, `other`, …). */
export function pluralCategory(locale: Locale, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(count);
}

function fill(template: string, params: Params | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The translator of one locale; English fills any gap, and a missing key shows as itself. */
export function translator(locale: Locale): Translator {
  const lookup = (key: string): string | undefined => catalog[locale][key] ?? catalog.en[key];
  const t = ((key: string, params?: Params) => fill(lookup(key) ?? key, params)) as Translator;
  t.plural = (key, count, params) => {
    const template =
      catalog[locale][`${key}.${pluralCategory(locale, count)}`] ??
      catalog[locale][`${key}.other`] ??
      catalog.en[`${key}.${pluralCategory('en', count)}`] ??
      catalog.en[`${key}.other`] ??
      key;
    return fill(template, { count, ...params });
  };
  return t;
}

interface I18n {
  locale: Locale;
  t: Translator;
}

const I18nContext = createContext<I18n>({ locale: 'en', t: translator('en') });

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const value = useMemo(() => ({ locale, t: translator(locale) }), [locale]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** `const { t, locale } = useI18n(); t('goals.addGoal')`. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
