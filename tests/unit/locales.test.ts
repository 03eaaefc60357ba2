/**
 * Every language says everything, and says it with the same placeholders (STYLE.md: "every
 * locale has every key"). Two catalogues are checked:
 * - the app's messages, `locales/<lang>/<namespace>.json`: flat objects of key → string,
 *   where a string may hold `{name}` placeholders;
 * - Chrome's manifest messages, `public/_locales/<lang>/messages.json` (name, description,
 *   action title). Norwegian is `nb` there too: it is the directory Chrome reads for a
 *   Norwegian browser (see tests/e2e/fixtures.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LANGUAGES = ['en', 'nb', 'sv'] as const;
const APP_LOCALES = path.join(ROOT, 'locales');
const MANIFEST_LOCALES = path.join(ROOT, 'public/_locales');

type Catalogue = Map<string, string>;

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/** `{name}` placeholders, sorted and deduplicated, so the same set compares equal. */
const placeholders = (text: string): string[] =>
  [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!))].sort();

/** A language's app messages as `namespace.key` → string, with any malformed entry reported. */
function appCatalogue(language: string): { messages: Catalogue; problems: string[] } {
  const dir = path.join(APP_LOCALES, language);
  const messages: Catalogue = new Map();
  const problems: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const namespace = file.replace(/\.json$/, '');
    const where = `locales/${language}/${file}`;
    let content: unknown;
    try {
      content = readJson(path.join(dir, file));
    } catch (error) {
      problems.push(`${where} is not valid JSON: ${String(error)}`);
      continue;
    }
    if (typeof content !== 'object' || content === null || Array.isArray(content)) {
      problems.push(`${where} is not a JSON object`);
      continue;
    }
    for (const [key, value] of Object.entries(content)) {
      if (typeof value !== 'string') problems.push(`${where}: "${key}" is not a string`);
      else messages.set(`${namespace}.${key}`, value);
    }
  }
  return { messages, problems };
}

/** A language's manifest messages as key → message. */
function manifestCatalogue(language: string): Catalogue {
  const content = readJson(path.join(MANIFEST_LOCALES, language, 'messages.json')) as Record<
    string,
    { message?: unknown }
  >;
  return new Map(
    Object.entries(content).map(([key, entry]) => [
      key,
      typeof entry.message === 'string' ? entry.message : '',
    ]),
  );
}

/** Differences between catalogues that should hold the same keys with the same placeholders. */
function compare(catalogues: Record<string, Catalogue>, what: string): string[] {
  const problems: string[] = [];
  const allKeys = new Set(Object.values(catalogues).flatMap((catalogue) => [...catalogue.keys()]));
  for (const key of [...allKeys].sort()) {
    const present = Object.entries(catalogues).filter(([, catalogue]) => catalogue.has(key));
    for (const [language, catalogue] of Object.entries(catalogues)) {
      const text = catalogue.get(key);
      if (text === undefined) problems.push(`${what} ${language} misses "${key}"`);
      else if (text.trim() === '') problems.push(`${what} ${language} has an empty "${key}"`);
    }
    const sets = new Map(
      present.map(([language, catalogue]) => [language, placeholders(catalogue.get(key)!)]),
    );
    const distinct = new Set([...sets.values()].map((set) => set.join(',')));
    if (distinct.size > 1) {
      const detail = [...sets].map(([language, set]) => `${language} {${set.join(', ')}}`).join(', ');
      problems.push(`${what} "${key}" has different placeholders: ${detail}`);
    }
  }
  return problems;
}

describe('the app messages in locales/', () => {
  it('have a directory for each of en, nb and sv', () => {
    for (const language of LANGUAGES) {
      const dir = path.join(APP_LOCALES, language);
      expect(existsSync(dir) && statSync(dir).isDirectory(), `locales/${language}/`).toBe(true);
    }
  });

  it('are flat JSON objects of strings', () => {
    expect(LANGUAGES.flatMap((language) => appCatalogue(language).problems)).toEqual([]);
  });

  it('have every key in every language, none empty, with the same placeholders', () => {
    const catalogues = Object.fromEntries(
      LANGUAGES.map((language) => [language, appCatalogue(language).messages]),
    );
    expect(compare(catalogues, 'locales/')).toEqual([]);
  });
});

/**
 * Plural families: a key `x.one` makes `x` a family for `t.plural`, and each language must
 * then have `x.<category>` for every category its Intl.PluralRules can choose (en, nb and
 * sv: one and other).
 */
function pluralGaps(language: string, messages: Catalogue): string[] {
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const families = [...messages.keys()].filter((key) => key.endsWith('.one')).map((key) => key.slice(0, -4));
  return families.flatMap((family) =>
    categories
      .filter((category) => !messages.has(`${family}.${category}`))
      .map((category) => `locales/ ${language} misses "${family}.${category}"`),
  );
}

describe('the plural messages in locales/', () => {
  it('have every plural category of each language', () => {
    const all = LANGUAGES.map((language) => appCatalogue(language).messages);
    expect(all.some((messages) => messages.has('goals.stepsDone.one'))).toBe(true);
    expect(LANGUAGES.flatMap((language, i) => pluralGaps(language, all[i]!))).toEqual([]);
  });

  it('report a family that lacks a category', () => {
    expect(pluralGaps('sv', new Map([['goals.stepsDone.one', '{done} av {count} steg klart']]))).toEqual([
      'locales/ sv misses "goals.stepsDone.other"',
    ]);
  });
});

describe("Chrome's manifest messages in public/_locales/", () => {
  it('exist for en, nb and sv and name the extension Varde', () => {
    for (const language of LANGUAGES) {
      expect(manifestCatalogue(language).get('extName'), `public/_locales/${language}`).toBe('Varde');
    }
  });

  it('have every key in every language, none empty', () => {
    const catalogues = Object.fromEntries(
      LANGUAGES.map((language) => [language, manifestCatalogue(language)]),
    );
    expect(compare(catalogues, 'public/_locales/')).toEqual([]);
  });

  it('keep the description within the 132 characters Chrome allows', () => {
    for (const language of LANGUAGES) {
      expect(manifestCatalogue(language).get('extDescription')!.length).toBeLessThanOrEqual(132);
    }
  });
});

describe('the comparison itself', () => {
  it('reports a missing key, an empty string and a placeholder that differs', () => {
    const catalogues = {
      en: new Map([
        ['app.hello', 'Hello {name}'],
        ['app.bye', 'Bye'],
      ]),
      nb: new Map([['app.hello', 'Hei {navn}']]),
      sv: new Map([
        ['app.hello', 'Hej {name}'],
        ['app.bye', ' '],
      ]),
    };
    expect(compare(catalogues, 'x')).toEqual([
      'x nb misses "app.bye"',
      'x sv has an empty "app.bye"',
      'x "app.hello" has different placeholders: en {name}, nb {navn}, sv {name}',
    ]);
  });
});
