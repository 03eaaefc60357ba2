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

export type Translate = (key: string, params?: Record<string, string | number>) => string;

function translator(locale: Locale): Translate {
  return (key, params) => {
    const template = catalog[locale][key] ?? catalog.en[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };
}

interface I18n {
  locale: Locale;
  t: Translate;
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
